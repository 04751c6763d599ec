// The public text helpers: slugs, search keys, bidi checks and article HTML.
export { slugify, isValidSlug, normalizeSlugInput, MAX_SLUG_LENGTH } from './slugify.ts'
export { searchKey, searchTokens } from './normalize-arabic.ts'
export { hasBidiOverride } from './bidi.ts'
export { sanitizeBody, htmlToText, sanitizedToText, readingTimeMinutes } from './html.ts'
