// What khabar puts into its FTS5 index and how it turns a reader's query into an FTS5
// MATCH expression. Both go through forEachKeyWord and wordTokens, so a query word meets
// the same normalised forms (and attached-prefix copies) as the text it should find.
import { forEachKeyWord, forEachWordSpan, lastKeyUnit, wordTokens } from './normalize-arabic.ts'

// A query longer than this many words is cut: beyond it, words only slow the query down.
export const MAX_QUERY_WORDS = 12

/** The text to index: every word's tokens, repeats kept so bm25 sees term frequency. */
export function indexText (text: string): string {
  const out: string[] = []
  forEachKeyWord(text, word => { wordTokens(word, out) })
  return out.join(' ')
}

/** The query's words, each with the forms it may match (itself and its stripped copies). */
export function queryTerms (q: string): string[][] {
  const terms: string[][] = []
  const seen = new Set<string>()
  forEachKeyWord(q, word => {
    if (seen.has(word) || terms.length === MAX_QUERY_WORDS) return
    seen.add(word)
    const forms: string[] = []
    wordTokens(word, forms)
    terms.push(forms)
  })
  return terms
}

// Every term is a quoted string: nothing a client sends is ever FTS5 syntax.
const quote = (token: string): string => `"${token.replaceAll('"', '""')}"`

/**
 * An FTS5 MATCH expression: the words ANDed, each an OR of its forms. With prefix, the last
 * word matches as a prefix (for typeahead).
 */
export function ftsMatch (terms: string[][], opts: { prefixLast?: boolean } = {}): string {
  const parts = terms.map((forms, i) => {
    const star = opts.prefixLast === true && i === terms.length - 1 ? '*' : ''
    const alternatives = forms.map(f => quote(f) + star)
    return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`
  })
  return parts.join(' AND ')
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, c => ESCAPES[c])

/**
 * A snippet of the original text (not the normalised one) around the first match: about
 * `size` words, HTML-escaped, each matching word wrapped in <mark>. A word matches when one
 * of its tokens is one of the query's forms, as in the index. The words are read only as
 * far as the snippet reaches; a text already in NFKC (nearly every text) is keyed word by
 * word without normalising each word again.
 */
export function snippet (text: string, terms: string[][], size = 30): string {
  const wanted = new Set(terms.flat())
  const lead = Math.floor(size / 4)
  const normalized = text.normalize('NFKC') === text
  // A form is the end of a word's key (the copies drop prefixes only): most words are told
  // apart by their last letter alone.
  const lastUnits = new Set([...wanted].map(f => f.charCodeAt(f.length - 1)))
  const tokens: string[] = []
  const matches = (word: string): boolean => {
    if (normalized) {
      const last = lastKeyUnit(word)
      if (last !== -1 && !lastUnits.has(last)) return false
    }
    tokens.length = 0
    forEachKeyWord(word, w => { wordTokens(w, tokens) }, normalized)
    return tokens.some(tok => wanted.has(tok))
  }
  const found: Array<{ start: number, end: number, hit: boolean }> = []
  let first = -1
  forEachWordSpan(text, (start, end) => {
    const hit = matches(text.slice(start, end))
    if (hit && first === -1) first = found.length
    found.push({ start, end, hit })
    // One word past the snippet's end tells it to end with an ellipsis.
    return first === -1 || found.length <= Math.max(0, first - lead) + size
  })
  if (found.length === 0) return escapeHtml(text.slice(0, 200))
  const from = Math.max(0, (first === -1 ? 0 : first) - lead)
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
