// Search keys for Arabic text, as docs/ARABIC.md "The search key of a text" lays down. SQLite FTS5
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

// What the search key makes of each UTF-16 code unit, worked out once per unit and kept:
// ASCII up front, everything else on first sight. The pass over a text is then one array
// read per character instead of a chain of regexes.
const KEY_OF: Array<string | undefined> = new Array(0x10000)
for (let c = 0; c < 0x80; c++) {
  KEY_OF[c] = c >= 0x41 && c <= 0x5A ? String.fromCharCode(c + 0x20) : String.fromCharCode(c)
}

// toLowerCase after spellingOf: İ must lose its dot before lower-casing adds U+0307.
const keyOfChar = (ch: string, c: number): string => LETTER_FOLD.get(c) ?? spellingOf(ch).toLowerCase()

function keyOfUnit (c: number): string {
  let key = KEY_OF[c]
  if (key === undefined) KEY_OF[c] = key = keyOfChar(String.fromCharCode(c), c)
  return key
}

// How a character takes part in a word (the WORD pattern below): a letter or digit starts
// or continues one, a combining mark only continues one, anything else ends it.
const OTHER = 1
const MARK = 2
const LETTER = 3
const CLASS_OF = new Uint8Array(0x10000)
const IS_LETTER = /^[\p{L}\p{N}]$/u
const IS_MARK = /^\p{M}$/u
const classOfChar = (ch: string): number => IS_LETTER.test(ch) ? LETTER : IS_MARK.test(ch) ? MARK : OTHER

function classOfUnit (c: number): number {
  let k = CLASS_OF[c]
  if (k === 0) CLASS_OF[c] = k = classOfChar(String.fromCharCode(c))
  return k
}

// Hangul jamo (the blocks at U+1100, U+A960 and U+D7B0): side by side, NFC composes them.
const isJamo = (u: number): boolean => (u >= 0x1100 && u <= 0x11FF) || (u >= 0xA960 && u <= 0xA97F) || (u >= 0xD7B0 && u <= 0xD7FF)
const isHigh = (c: number): boolean => c >= 0xD800 && c <= 0xDBFF
const isLow = (c: number): boolean => c >= 0xDC00 && c <= 0xDFFF

/**
 * The words of a text's search key, in order: words(searchKey(text)) in a single pass over
 * the text's char codes. A deleted character (a bidi mark, a haraka, tatweel) never ends a
 * word, so دم\u200Fشق is one word. The key's closing NFC (see searchKey) is applied per word,
 * and only to a word holding a combining mark or a Hangul jamo: nothing else composes.
 */
export function forEachKeyWord (text: string, emit: (word: string) => void, isNfkc = false): void {
  // isNfkc: the caller knows the text is in NFKC already (a word of a text that is).
  const s = isNfkc ? text : text.normalize('NFKC')
  const n = s.length
  let word = ''
  let compose = false
  // One character of the key: it starts or continues the word, or ends it.
  const step = (piece: string, kind: number, u: number): void => {
    if (kind === LETTER || (kind === MARK && word !== '')) {
      word += piece
      if (kind === MARK || isJamo(u)) compose = true
    } else if (word !== '') {
      emit(compose ? word.normalize('NFC') : word)
      word = ''
      compose = false
    }
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    let key: string
    if (c < 0x80) {
      key = KEY_OF[c] as string
    } else if (isHigh(c) && i + 1 < n && isLow(s.charCodeAt(i + 1))) {
      const ch = s.slice(i, i + 2)
      key = keyOfChar(ch, s.codePointAt(i) as number)
      i++
    } else {
      key = keyOfUnit(c)
    }
    // Usually one unit (a table read), or none; an astral letter lower-cased is two units,
    // taken a code point at a time.
    if (key.length === 1) {
      const u = key.charCodeAt(0)
      step(key, classOfUnit(u), u)
    } else {
      for (const piece of key) step(piece, classOfChar(piece), piece.charCodeAt(0))
    }
  }
  if (word !== '') emit(compose ? word.normalize('NFC') : word)
}

/**
 * The last UTF-16 unit of the search key of a word already in NFKC, or -1 where that takes
 * more than a look at its last characters (astral characters, or a mark or jamo that the
 * key's NFC could compose). A cheap first test: a word can only match a search form that
 * its key ends with.
 */
export function lastKeyUnit (word: string): number {
  for (let i = word.length - 1; i >= 0; i--) {
    const c = word.charCodeAt(i)
    if (c >= 0xD800 && c <= 0xDFFF) return -1
    const key = keyOfUnit(c)
    if (key === '') continue
    const u = key.charCodeAt(key.length - 1)
    return classOfUnit(u) === LETTER && !isJamo(u) ? u : -1
  }
  return -1
}

/**
 * The search key of a text: NFKC (folds presentation forms such as ﻻ and ﷲ), then one pass
 * that deletes invisible/bidi characters, harakat and tatweel, folds letters and digits, and
 * lower-cases. One pass gives the same result as docs/ARABIC.md's steps 2–6 in turn because every
 * step maps a single character and none produces a character an earlier step would change.
 * NFD is never applied to the whole text: it would split أ into ا + U+0654.
 * The closing NFC matters only when a deleted character sat between two that normalise
 * together (combining marks left out of canonical order, Hangul jamo that now compose): it
 * makes searchKey(searchKey(x)) === searchKey(x). It cannot undo a fold: the marks that
 * would rebuild أ, آ, ئ or é are all deleted.
 */
export function searchKey (text: string): string {
  let key = ''
  const s = text.normalize('NFKC')
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      key += keyOfChar(s.slice(i, i + 2), s.codePointAt(i) as number)
      i++
    } else {
      key += keyOfUnit(c)
    }
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

/**
 * Calls fn with the start and end (UTF-16 offsets) of each word of a text, as words() finds
 * them, in one pass over the char codes (the \p{...} pattern costs several times more);
 * stops early when fn returns false.
 */
export function forEachWordSpan (text: string, fn: (start: number, end: number) => boolean | undefined): void {
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let kind: number
    let width = 1
    if (isHigh(c) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      kind = classOfChar(text.slice(i, i + 2))
      width = 2
    } else {
      kind = classOfUnit(c)
    }
    if (kind === LETTER) {
      if (start === -1) start = i
    } else if (kind === OTHER && start !== -1) {
      if (fn(start, i) === false) return
      start = -1
    }
    i += width - 1
  }
  if (start !== -1) fn(start, text.length)
}

/** words(text).length, without making the words. */
export function countWords (text: string): number {
  let count = 0
  forEachWordSpan(text, () => { count++; return true })
  return count
}

const ALEF = 0x0627
const LAM = 0x0644
// Proclitics (docs/ARABIC.md): و ف ب ل ك.
const isProclitic = (c: number): boolean => c === 0x0648 || c === 0x0641 || c === 0x0628 || c === 0x0644 || c === 0x0643

/**
 * Appends the tokens of one word of a search key: the word, then a copy without the article
 * prefix (the first of وال بال كال فال لل ال, when at least 2 letters remain) and, for words
 * of 5+ letters, a copy without one leading و ف ب ل ك. The copies are always shorter than
 * the word and than each other, so the three never repeat.
 */
export function wordTokens (word: string, out: string[]): void {
  out.push(word)
  const c0 = word.charCodeAt(0)
  const c1 = word.charCodeAt(1)
  const length = letters(word)
  let cut = 0
  if ((c0 === ALEF || c0 === LAM) && c1 === LAM) cut = 2 // ال لل
  else if ((c0 === 0x0648 || c0 === 0x0628 || c0 === 0x0643 || c0 === 0x0641) && c1 === ALEF && word.charCodeAt(2) === LAM) cut = 3 // وال بال كال فال
  if (cut > 0 && length - cut >= 2) out.push(word.slice(cut))
  if (length >= 5 && isProclitic(c0)) out.push(word.slice(1))
}

// The letters (code points) of a word, counted only where the rules above can tell: a word
// of 10 UTF-16 units or more has at least 5 letters however many are astral.
function letters (word: string): number {
  if (word.length >= 10) return word.length
  let n = 0
  for (let i = 0; i < word.length; i++) if (!isLow(word.charCodeAt(i))) n++
  return n
}

/**
 * The tokens to index (or to query) for a text: each word of its search key, followed by a
 * copy without the article prefix (when at least 2 letters remain) and, for words of 5+
 * letters, a copy without one leading و ف ب ل ك. So بدمشق and لحكومة also index دمشق and
 * حكومه. No suffix stemming: it hurts news search more than it helps. De-duplicated, in order.
 */
export function searchTokens (text: string): string[] {
  const tokens: string[] = []
  forEachKeyWord(text, word => { wordTokens(word, tokens) })
  return [...new Set(tokens)]
}
