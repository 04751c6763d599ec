// Slugs keep Arabic letters (docs/ARABIC.md "Slugs"): WordPress-style, stored decoded (NFC) and
// percent-encoded only on the wire. Transliteration (Ghost) mangles letters such as ع, and
// dropping non-ASCII (Payload) leaves nothing of an Arabic title.
import { spellingOf, words } from './normalize-arabic.ts'

/** The longest slug a client may supply; generated slugs default to 80. */
export const MAX_SLUG_LENGTH = 200

/**
 * The slug of a title: NFC; harakat, tatweel, invisible and bidi characters deleted;
 * Arabic-Indic digits to 0–9; Latin diacritics stripped (é → e); lower-cased; each run of
 * anything that is not a letter or digit becomes one '-', trimmed; cut at a '-' to at most
 * maxLength code points (a first word longer than that is hard-cut). Arabic letters are not
 * folded (أ stays أ) so the slug reads as the title does. Combining marks of other scripts
 * (Devanagari vowel signs, say) stay inside their word. Returns '' when nothing is left;
 * the caller picks a fallback.
 */
export function slugify (input: string, maxLength = 80): string {
  let text = ''
  for (const ch of input.normalize('NFC')) text += spellingOf(ch)
  // NFC again: a deleted mark can leave its neighbours out of canonical order, and the
  // stored slug must be NFC (and slugify idempotent, which isValidSlug relies on).
  text = text.normalize('NFC').toLowerCase()
  return joinWithin(words(text), Math.max(0, Math.floor(maxLength)))
}

// Join words with '-' while the result stays within max code points (counted in code
// points so a cut never splits a surrogate pair).
function joinWithin (parts: string[], max: number): string {
  let slug = ''
  let length = 0
  for (const word of parts) {
    const next = slug === '' ? [...word].length : length + 1 + [...word].length
    if (next > max) break
    slug = slug === '' ? word : `${slug}-${word}`
    length = next
  }
  if (slug === '' && parts.length > 0) slug = [...parts[0]].slice(0, max).join('')
  return slug
}

/**
 * True when a client-supplied slug is one slugify would leave unchanged: non-empty, at most
 * 200 code points, lower-case letters and digits with single inner dashes, NFC, no harakat,
 * tatweel, invisible characters or Arabic-Indic digits. Pass it through normalizeSlugInput
 * first.
 */
export function isValidSlug (s: string): boolean {
  // Cheap bound before the full check: 200 code points never take more than 400 UTF-16 units.
  if (s === '' || s.length > 2 * MAX_SLUG_LENGTH) return false
  return slugify(s, MAX_SLUG_LENGTH) === s
}

/**
 * The stored (decoded, NFC) form of a slug a client sent, in a path or a body, encoded
 * (%D8%AF...) or not. Decoding an already-decoded slug is harmless: a valid slug holds no
 * '%'. A string that is not valid percent-encoding (a lone '%') is kept as it came, and
 * isValidSlug then refuses it.
 */
export function normalizeSlugInput (s: string): string {
  let decoded = s
  try {
    decoded = decodeURIComponent(s)
  } catch {
    // URIError: not percent-encoded after all.
  }
  return decoded.normalize('NFC')
}
