// A deliberately plain, slow search key written straight from docs/ARABIC.md ("The search key of
// a text"), one regex per step. The fast single-pass code in src/text/normalize-arabic.ts is
// tested (and benchmarked) against it, so it must stay obvious rather than quick.

const INVISIBLE_OR_BIDI = /[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\uFEFF\u00AD]/g
const HARAKAT_AND_TATWEEL = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g
const ALEFS = /[\u0622\u0623\u0625\u0671]/g
const PRECOMPOSED_LATIN = /[\u00C0-\u024F\u1E00-\u1EFF]/g
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu

/** docs/ARABIC.md steps 1–6 in turn, with the Latin choices searchKey documents. */
export function referenceKey (text: string): string {
  let s = text.normalize('NFKC') // 1. presentation forms
  s = s.replace(INVISIBLE_OR_BIDI, '') // 2.
  s = s.replace(HARAKAT_AND_TATWEEL, '') // 3.
  s = s.replace(ALEFS, '\u0627') // 4. letter folds, Persian yeh/keheh included
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u06CC/g, '\u064A')
    .replace(/\u06A9/g, '\u0643')
  s = s.replace(/[\u0660-\u0669]/g, d => String(d.charCodeAt(0) - 0x0660)) // 5.
    .replace(/[\u06F0-\u06F9]/g, d => String(d.charCodeAt(0) - 0x06F0))
  // Latin letters lose their diacritics (é → e); other scripts keep theirs.
  s = s.replace(PRECOMPOSED_LATIN, ch => ch.normalize('NFD').replace(COMBINING_DIACRITICS, ''))
  s = s.replace(COMBINING_DIACRITICS, '')
  // 6. Per code point, as searchKey does: no context-dependent casing (final sigma).
  s = Array.from(s, ch => ch.toLowerCase()).join('')
  return s.normalize('NFC')
}

/** The words of a search key. */
export function referenceWords (text: string): string[] {
  return referenceKey(text).match(WORD) ?? []
}

const ARTICLES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال']
const PROCLITICS = ['و', 'ف', 'ب', 'ل', 'ك']

/** A word, its copy without the article prefix and its copy without one proclitic. */
export function referenceWordTokens (word: string): string[] {
  const letters = Array.from(word)
  const tokens = [word]
  const article = ARTICLES.find(p => word.startsWith(p))
  if (article !== undefined && letters.length - article.length >= 2) tokens.push(word.slice(article.length))
  if (letters.length >= 5 && PROCLITICS.includes(letters[0])) tokens.push(letters.slice(1).join(''))
  return tokens
}

/** Every token of every word, repeats kept (what indexText joins). */
export function referenceAllTokens (text: string): string[] {
  return referenceWords(text).flatMap(referenceWordTokens)
}

/** The tokens, de-duplicated, in order (what searchTokens returns). */
export function referenceTokens (text: string): string[] {
  return [...new Set(referenceAllTokens(text))]
}
