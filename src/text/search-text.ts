// What khabar puts into its FTS5 index and how it turns a reader's query into an FTS5
// MATCH expression. Both go through searchTokens, so a query word meets the same
// normalised forms (and attached-prefix copies) as the text it should find.
import { searchTokens, words } from './normalize-arabic.ts'

// A query longer than this many words is cut: beyond it, words only slow the query down.
export const MAX_QUERY_WORDS = 12

/** The text to index: every word's tokens, repeats kept so bm25 sees term frequency. */
export function indexText (text: string): string {
  const out: string[] = []
  for (const word of words(text)) out.push(...searchTokens(word))
  return out.join(' ')
}

/** The query's words, each with the forms it may match (itself and its stripped copies). */
export function queryTerms (q: string): string[][] {
  const terms: string[][] = []
  const seen = new Set<string>()
  for (const word of words(q)) {
    const forms = searchTokens(word)
    const key = forms.join(' ')
    if (forms.length === 0 || seen.has(key)) continue
    seen.add(key)
    terms.push(forms)
    if (terms.length === MAX_QUERY_WORDS) break
  }
  return terms
}

// Every term is a quoted string: nothing a client sends is ever FTS5 syntax.
const quote = (token: string): string => `"${token.replaceAll('"', '""')}"`

/**
 * An FTS5 MATCH expression: the words ANDed, each an OR of its forms. With prefix, the last
 * word matches as a prefix (for typeahead). With column, only that column is searched.
 */
export function ftsMatch (terms: string[][], opts: { prefixLast?: boolean, column?: string } = {}): string {
  const parts = terms.map((forms, i) => {
    const star = opts.prefixLast === true && i === terms.length - 1 ? '*' : ''
    const alternatives = forms.map(f => quote(f) + star)
    return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`
  })
  const expr = parts.join(' AND ')
  return opts.column === undefined ? expr : `{${opts.column}} : (${expr})`
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, c => ESCAPES[c])

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu

/**
 * A snippet of the original text (not the normalised one) around the first match: about
 * `size` words, HTML-escaped, each matching word wrapped in <mark>. A word matches when one
 * of its tokens is one of the query's forms, as in the index.
 */
export function snippet (text: string, terms: string[][], size = 30): string {
  const wanted = new Set(terms.flat())
  const found: Array<{ start: number, end: number, hit: boolean }> = []
  let first = -1
  for (const m of text.matchAll(WORD)) {
    const hit = searchTokens(m[0]).some(tok => wanted.has(tok))
    if (hit && first === -1) first = found.length
    found.push({ start: m.index, end: m.index + m[0].length, hit })
  }
  if (found.length === 0) return escapeHtml(text.slice(0, 200))
  const from = Math.max(0, (first === -1 ? 0 : first) - Math.floor(size / 4))
  const to = Math.min(found.length, from + size)
  let out = from > 0 ? '… ' : ''
  let pos = found[from].start
  for (let i = from; i < to; i++) {
    const w = found[i]
    out += escapeHtml(text.slice(pos, w.start))
    const word = escapeHtml(text.slice(w.start, w.end))
    out += w.hit ? `<mark>${word}</mark>` : word
    pos = w.end
  }
  out += to < found.length ? ' …' : escapeHtml(text.slice(pos))
  return out.trim()
}
