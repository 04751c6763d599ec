import { slugify, normalizeSlugInput, MAX_SLUG_LENGTH } from '../../text/index.ts'
import { Conflict, invalid } from '../errors.ts'

// A slug for a new or renamed resource. A slug the client asked for is cleaned the
// way slugify cleans titles, and refused (409) when another resource holds it; a slug
// made from the title gets -2, -3, ... until it is free. A path segment of digits is
// an id (parseIdOrSlug), so a slug is never digits only.
const DIGITS_ONLY = /^[0-9]+$/

export async function chooseSlug (opts: {
  requested: string | undefined
  source: string
  fallback: string
  isTaken: (slug: string) => Promise<boolean>
  what: string
}): Promise<string> {
  if (opts.requested !== undefined) {
    const slug = slugify(normalizeSlugInput(opts.requested), MAX_SLUG_LENGTH)
    if (slug === '') throw invalid('slug', 'must contain at least one letter or digit')
    if (DIGITS_ONLY.test(slug)) throw invalid('slug', 'must not be digits only: a path segment of digits is an id')
    if (await opts.isTaken(slug)) throw new Conflict('slug-taken', `The slug "${slug}" is already used by another ${opts.what}`)
    return slug
  }
  let base = slugify(opts.source) || opts.fallback
  if (DIGITS_ONLY.test(base)) base = `${opts.fallback}-${base}`
  let candidate = base
  for (let n = 2; await opts.isTaken(candidate); n++) candidate = `${base}-${n}`
  return candidate
}

// The lookup key of a path segment: digits only is an id, anything else a slug
// (raw or percent-encoded).
export function parseIdOrSlug (value: string): { id: number } | { slug: string } {
  if (/^[0-9]{1,15}$/.test(value)) return { id: Number(value) }
  return { slug: normalizeSlugInput(value) }
}
