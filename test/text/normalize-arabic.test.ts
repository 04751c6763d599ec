import { test } from 'tap'
import { isArabicMark, searchKey, searchTokens, spellingOf, words } from '../../src/text/normalize-arabic.ts'

test('Lucene normaliser vectors (docs/ARABIC.md)', async (t) => {
  const vectors: Array<[string, string]> = [
    ['آجن', 'اجن'], ['أحمد', 'احمد'], ['إعاذ', 'اعاذ'], ['بنى', 'بني'], ['فاطمة', 'فاطمه'],
    ['روبرـــــت', 'روبرت'], ['مَبنا', 'مبنا'], ['علِي', 'علي'], ['بُوات', 'بوات'], ['ولداً', 'ولدا'],
    ['ولدٍ', 'ولد'], ['ولدٌ', 'ولد'], ['نلْسون', 'نلسون'], ['هتميّ', 'هتمي'], ['١٢٣٤', '1234']
  ]
  for (const [input, key] of vectors) t.equal(searchKey(input), key, input)
})

test('what a reader expects of search: each side finds the other', async (t) => {
  const pairs: Array<[string, string]> = [
    ['دمشق', 'بدمشق'], ['دمشق', 'ودمشق'], ['دمشق', 'دمشـــق'], ['محمد', 'مُحَمَّد'],
    ['2024', '٢٠٢٤'], ['حكومة', 'لحكومة'], ['احمد', 'أحمد'], ['مستشفى', 'مستشفي']
  ]
  for (const [query, text] of pairs) {
    t.ok(searchTokens(text).includes(searchKey(query)), `${query} finds ${text}`)
  }
  // The symmetric cases: the plain query word's own tokens hold the other spelling's key.
  for (const [a, b] of [['دمشق', 'دمشـــق'], ['محمد', 'مُحَمَّد'], ['2024', '٢٠٢٤'],
    ['احمد', 'أحمد'], ['مستشفى', 'مستشفي']]) {
    t.ok(searchTokens(a).includes(searchKey(b)), `${b} finds ${a}`)
  }
})

test('NFKC folds presentation forms before anything else', async (t) => {
  t.equal(searchKey('ﻻ'), 'لا')
  t.equal(searchKey('ﺩﻣﺸﻖ'), 'دمشق')
  t.equal(searchKey('ﷲ'), 'الله')
  // Alef with hamza above written decomposed (ا + U+0654) composes, then folds.
  t.equal(searchKey('\u0627\u0654حمد'), 'احمد')
  t.equal(searchKey('ٱلرحمن'), 'الرحمن')
})

test('invisible and bidi characters vanish, so a word stays one token', async (t) => {
  const marks = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C',
    '\u202D', '\u202E', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\uFEFF', '\u00AD']
  for (const m of marks) {
    t.equal(searchKey(`دم${m}شق`), 'دمشق', `U+${m.charCodeAt(0).toString(16)}`)
  }
  t.same(searchTokens('مدرسة\u200Cالنور \u200Fدمشق\u200F'), ['مدرسهالنور', 'دمشق'])
})

test('Quranic marks and all harakat are deleted', async (t) => {
  t.equal(searchKey('بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ'), 'بسم الله الرحمن')
  t.equal(searchKey('ذٰلِكَ'), 'ذلك')
  t.equal(searchKey('صلى\u0610 الله\u061A'), 'صلي الله')
  t.equal(searchKey('قال\u06D6 ربك\u06ED'), 'قال ربك')
  t.equal(searchKey('أَأَ\u065F'), 'اا')
})

test('Persian yeh and keheh fold to Arabic', async (t) => {
  t.equal(searchKey('کتاب'), 'كتاب')
  t.equal(searchKey('علی'), 'علي')
  t.equal(searchKey('۱۴۰۳'), '1403')
  t.ok(searchTokens('كتاب علي').includes(searchKey('کتاب')))
})

test('Latin is lower-cased and loses its diacritics', async (t) => {
  t.equal(searchKey('BBC News'), 'bbc news')
  t.equal(searchKey('Café Élysée naïve'), 'cafe elysee naive')
  t.equal(searchKey('İSTANBUL'), 'istanbul')
  t.equal(searchKey('Ångström Ṩ'), 'angstrom s')
  // A combining mark with no precomposed letter is dropped too.
  t.equal(searchKey('q\u0303'), 'q')
  // Other scripts: lower-cased, letters kept as they are (й is not и).
  t.equal(searchKey('ЙОД Ωμέγα'), 'йод ωμέγα')
  // Astral cased letters (Deseret) lower-case as whole code points.
  t.equal(searchKey('\u{10400}'), '\u{10428}')
  // Fullwidth Latin becomes ASCII through NFKC.
  t.equal(searchKey('ＡＢＣ１'), 'abc1')
})

test('mixed Arabic and Latin text, numbers and emoji', async (t) => {
  // فيديو has 5 letters and starts with ف: the rule also indexes يديو, which is harmless.
  t.same(searchTokens('قال مراسل CNN في دمشق: الحرب 🔥 دخلت عامها ١٣ (فيديو) iPhone-15'),
    ['قال', 'مراسل', 'cnn', 'في', 'دمشق', 'الحرب', 'حرب', 'دخلت', 'عامها', '13', 'فيديو', 'يديو', 'iphone', '15'])
  t.equal(searchKey('👍🏽 عاجل'), '👍🏽 عاجل')
  t.same(searchTokens('👨‍👩‍👧 🇸🇾'), [])
  t.same(searchTokens(''), [])
  t.equal(searchKey(''), '')
})

test('the key is NFC and normalising it again changes nothing', async (t) => {
  // Deleting U+0300 leaves Hangul jamo side by side: they compose.
  t.equal(searchKey('\u1106\u0300\u1161'), '\uB9C8')
  // Deleting U+06E9 leaves two Arabic Extended-A marks out of canonical order.
  for (const s of ['\u0649\u08E0\u06E9\u08ED\u0318', 'ﻳﺡﾽ\u035Eￒ', 'مُحَمَّد Café ﻻ ٢٠٢٤']) {
    const key = searchKey(s)
    t.equal(key, key.normalize('NFC'), s)
    t.equal(searchKey(key), key, s)
  }
})

test('attached prefixes', async (t) => {
  t.same(searchTokens('والكتاب'), ['والكتاب', 'كتاب', 'الكتاب'])
  t.same(searchTokens('بالمدرسة'), ['بالمدرسه', 'مدرسه', 'المدرسه'])
  t.same(searchTokens('كالبحر'), ['كالبحر', 'بحر', 'البحر'])
  t.same(searchTokens('فالأمر'), ['فالامر', 'امر', 'الامر'])
  t.same(searchTokens('للحكومة'), ['للحكومه', 'حكومه', 'لحكومه'])
  t.same(searchTokens('القوات'), ['القوات', 'قوات'])
  // The article must leave at least 2 letters: والد is "father", الم is a word.
  t.same(searchTokens('والد'), ['والد'])
  t.same(searchTokens('الم'), ['الم'])
  t.same(searchTokens('الله'), ['الله', 'له'])
  // One leading و ف ب ل ك only when the word has 5 or more letters.
  t.same(searchTokens('وطن'), ['وطن'])
  t.same(searchTokens('بيروت'), ['بيروت', 'يروت'])
  t.same(searchTokens('كتابه'), ['كتابه', 'تابه'])
  t.same(searchTokens('فلسطين'), ['فلسطين', 'لسطين'])
  // Duplicates collapse, first occurrence keeps its place.
  t.same(searchTokens('دمشق بدمشق دمشق'), ['دمشق', 'بدمشق'])
})

test('shared helpers', async (t) => {
  t.ok(isArabicMark(0x0640))
  t.notOk(isArabicMark(0x0627))
  t.equal(spellingOf('a'), 'a')
  t.equal(spellingOf('é'), 'e')
  t.equal(spellingOf('ẞ'), 'ẞ')
  t.equal(spellingOf('٣'), '3')
  t.equal(spellingOf('۳'), '3')
  t.equal(spellingOf('\u064E'), '')
  t.same(words('  مُحَمَّد، hello-world  '), ['مُحَمَّد', 'hello', 'world'])
  t.same(words('हिन्दी'), ['हिन्दी'])
  t.same(words('...'), [])
})
