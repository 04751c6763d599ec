// Search keys for Arabic text, as ARABIC.md "The search key of a text" lays down. SQLite FTS5
// neither strips harakat nor folds alef/yeh/teh marbuta nor splits attached prefixes, so
// khabar indexes (and queries with) the text these functions return.
import { isInvisibleOrBidi } from './bidi.ts'

/** Harakat, Quranic annotation marks (U+0610–U+061A, U+064B–U+065F, U+0670, U+06D6–U+06ED)
 * and tatweel (U+0640): they decorate a word, they do not spell it. */
export function isArabicMark (c: number): boolean {
  return (c >= 0x0610 && c <= 0x061A) ||
    (c >= 0x064B && c <= 0x065F) ||
    c === 0x0670 ||
    (c >= 0x06D6 && c <= 0x06ED) ||
    c === 0x0640
}

const COMBINING_DIACRITICS = /[\u0300-\u036F]/g

/**
 * How one character (code point) is spelled in both slugs and search keys: '' for invisible,
 * bidi and Arabic marks and for stray combining diacritics (U+0300–U+036F); ASCII for
 * Arabic-Indic and Persian digits (NFKC leaves them alone); a precomposed Latin letter
 * without its diacritics (é → e), so English and French titles stay readable and searchable.
 * Only Latin is stripped: in Cyrillic or Greek a "diacritic" can make another letter
 * (й is not и). Arabic letters are not folded here: slugs keep their spelling.
 */
export function spellingOf (ch: string): string {
  const c = ch.charCodeAt(0)
  if (isInvisibleOrBidi(c) || isArabicMark(c) || (c >= 0x0300 && c <= 0x036F)) return ''
  if (c >= 0x0660 && c <= 0x0669) return String.fromCharCode(c - 0x0660 + 0x30)
  if (c >= 0x06F0 && c <= 0x06F9) return String.fromCharCode(c - 0x06F0 + 0x30)
  if ((c >= 0x00C0 && c <= 0x024F) || (c >= 0x1E00 && c <= 0x1EFF)) {
    return ch.normalize('NFD').replace(COMBINING_DIACRITICS, '')
  }
  return ch
}

// Letter folds (step 4): hamza-carrying and wasla alefs to bare alef, alef maqsura to yeh,
// teh marbuta to heh, and Persian yeh/keheh that Persian keyboards put into Arabic text.
const LETTER_FOLD = new Map<number, string>([
  [0x0622, '\u0627'], [0x0623, '\u0627'], [0x0625, '\u0627'], [0x0671, '\u0627'],
  [0x0649, '\u064A'], [0x06CC, '\u064A'],
  [0x0629, '\u0647'],
  [0x06A9, '\u0643']
])

/**
 * The search key of a text: NFKC (folds presentation forms such as ﻻ and ﷲ), then one pass
 * that deletes invisible/bidi characters, harakat and tatweel, folds letters and digits, and
 * lower-cases. One pass gives the same result as ARABIC.md's steps 2–6 in turn because every
 * step maps a single character and none produces a character an earlier step would change.
 * NFD is never applied to the whole text: it would split أ into ا + U+0654.
 * The closing NFC matters only when a deleted character sat between two that normalise
 * together (combining marks left out of canonical order, Hangul jamo that now compose): it
 * makes searchKey(searchKey(x)) === searchKey(x). It cannot undo a fold: the marks that
 * would rebuild أ, آ, ئ or é are all deleted.
 */
export function searchKey (text: string): string {
  let key = ''
  for (const ch of text.normalize('NFKC')) {
    const c = ch.charCodeAt(0)
    if (c < 0x80) {
      // ASCII is most of the non-Arabic text: skip the lookups.
      key += c >= 0x41 && c <= 0x5A ? String.fromCharCode(c + 0x20) : ch
      continue
    }
    // toLowerCase after spellingOf: İ must lose its dot before lower-casing adds U+0307.
    key += LETTER_FOLD.get(c) ?? spellingOf(ch).toLowerCase()
  }
  return key.normalize('NFC')
}

// A word is a letter or digit followed by letters, digits and combining marks (marks keep
// Devanagari or Hebrew words, and raw harakat in reading-time counts, in one piece).
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu

/** The words of a text, in order. */
export function words (text: string): string[] {
  return text.match(WORD) ?? []
}

// Attached prefixes (ARABIC.md): the definite article with its proclitics, tried in this
// order; they all start with different letters, so at most one matches.
const ARTICLES = ['\u0648\u0627\u0644', '\u0628\u0627\u0644', '\u0643\u0627\u0644',
  '\u0641\u0627\u0644', '\u0644\u0644', '\u0627\u0644'] // وال بال كال فال لل ال
const PROCLITICS = new Set(['\u0648', '\u0641', '\u0628', '\u0644', '\u0643']) // و ف ب ل ك

/**
 * The tokens to index (or to query) for a text: each word of its search key, followed by a
 * copy without the article prefix (when at least 2 letters remain) and, for words of 5+
 * letters, a copy without one leading و ف ب ل ك. So بدمشق and لحكومة also index دمشق and
 * حكومه. No suffix stemming: it hurts news search more than it helps. De-duplicated, in order.
 */
export function searchTokens (text: string): string[] {
  const tokens = new Set<string>()
  for (const word of words(searchKey(text))) {
    tokens.add(word)
    const article = ARTICLES.find((p) => word.startsWith(p) && word.length - p.length >= 2)
    if (article !== undefined) tokens.add(word.slice(article.length))
    if (word.length >= 5 && PROCLITICS.has(word[0])) tokens.add(word.slice(1))
  }
  return [...tokens]
}
