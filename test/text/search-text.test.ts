import { test } from 'tap'
import { ftsMatch, indexText, queryTerms, snippet, escapeHtml, MAX_QUERY_WORDS } from '../../src/text/search-text.ts'

test('indexText keeps repeats (term frequency) and adds the stripped copies', async (t) => {
  t.equal(indexText('دمشق بدمشق دمشق'), 'دمشق بدمشق دمشق دمشق')
  t.equal(indexText('<b>'), 'b')
  t.equal(indexText(''), '')
})

test('queryTerms: one entry per distinct word, with its forms, at most MAX_QUERY_WORDS', async (t) => {
  t.same(queryTerms('بدمشق دمشق بدمشق'), [['بدمشق', 'دمشق'], ['دمشق']])
  t.same(queryTerms('"(((*)))" ^'), [])
  const many = Array.from({ length: 20 }, (_, i) => `كلمة${i}`).join(' ')
  t.equal(queryTerms(many).length, MAX_QUERY_WORDS)
})

test('ftsMatch quotes every form, so nothing is FTS5 syntax', async (t) => {
  t.equal(ftsMatch([['a'], ['b', 'c']]), '"a" AND ("b" OR "c")')
  t.equal(ftsMatch([['a'], ['b', 'c']], { prefixLast: true }), '"a" AND ("b"* OR "c"*)')
  t.equal(ftsMatch([['x"y']]), '"x""y"', 'a quote inside a term is doubled')
})

test('snippet: the original text around the first match, escaped, matches marked', async (t) => {
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`)
  words[40] = 'دمشق'
  const text = words.join(' ')
  const s = snippet(text, [['دمشق']], 10)
  t.ok(s.startsWith('… '), 'cut at the start')
  t.ok(s.endsWith(' …'), 'cut at the end')
  t.match(s, /w38 w39 <mark>دمشق<\/mark> w41/)
  t.equal(snippet('قصير <i> & دمشق.', [['دمشق']]), 'قصير &lt;i&gt; &amp; <mark>دمشق</mark>.', 'the whole short text, the tail kept')
  t.equal(snippet('no match here', [['x']], 2), 'no match …', 'no match: the beginning')
  t.equal(snippet('<<>>', [['x']]), '&lt;&lt;&gt;&gt;', 'no words at all: the escaped text')
  t.equal(escapeHtml('"\'&<>'), '&quot;&#39;&amp;&lt;&gt;')
})

test('snippet reads only as far as it shows, and marks the same words the index matches', async (t) => {
  const long = Array.from({ length: 5000 }, (_, i) => `w${i}`)
  long[10] = 'بدمشق'
  t.equal(snippet(long.join(' '), [['دمشق']], 6), '… w9 <mark>بدمشق</mark> w11 w12 w13 w14 …')
  // The last letter decides at once for most words; these need the whole word looked at.
  const cases: Array<[string, string[][], string]> = [
    ['قال مُحَمَّدٌ ذلك', [['محمد']], 'قال <mark>مُحَمَّدٌ</mark> ذلك'], // harakat at the end
    ['نص 𐐀𐐁 آخر', [['𐐨𐐩']], 'نص <mark>𐐀𐐁</mark> آخر'], // astral letters
    ['ab क़ ख', [['क़']], 'ab <mark>क़</mark> ख'], // a word ending in a combining mark
    ['한 국', [['한']], '<mark>한</mark> 국'],
    ['\u1112\u1161\u11AB', [['한']], '<mark>\u1112\u1161\u11AB</mark>'], // jamo that compose
    ['\u1100\uA960 x', [['\u1100\uA960']], '<mark>\u1100\uA960</mark> x'], // Hangul Jamo Extended-A
    ['\u1100\uD7B0 x', [['\u1100\uD7B0']], '<mark>\u1100\uD7B0</mark> x'], // and Extended-B
    ['\uF900 x', [['\u8C48']], '<mark>\uF900</mark> x'], // a CJK compatibility ideograph: NFKC makes it another
    ['ـــ دمشق', [['دمشق']], 'ـــ <mark>دمشق</mark>'], // a word of tatweel alone has no key
    ['ﺩﻣﺸﻖ اليوم', [['دمشق']], '<mark>ﺩﻣﺸﻖ</mark> اليوم'] // presentation forms: a text not in NFKC
  ]
  for (const [text, terms, want] of cases) t.equal(snippet(text, terms), want, text)
})
