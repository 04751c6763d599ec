// The fast paths (single-pass search key, per-code-unit tables, regex tag stripper) must give
// exactly what docs/ARABIC.md's steps give. The reference is the plain regex chain in
// reference-normalizer.ts; the inputs are fixed tricky strings plus seeded random ones.
import { test } from 'tap'
import { forEachKeyWord, searchKey, searchTokens } from '../../src/text/normalize-arabic.ts'
import { indexText } from '../../src/text/search-text.ts'
import { htmlToText, sanitizeBody, sanitizedToText } from '../../src/text/html.ts'
import { referenceAllTokens, referenceKey, referenceTokens, referenceWords } from './reference-normalizer.ts'
// The bench's seeded PRNG, so every run draws the same "random" inputs.
import { mulberry32 } from '../support/prng.ts'

const keyWords = (text: string): string[] => {
  const out: string[] = []
  forEachKeyWord(text, w => { out.push(w) })
  return out
}

// The first of the four functions that disagrees with the reference, or null.
function disagreement (text: string): string | null {
  if (searchKey(text) !== referenceKey(text)) return 'searchKey'
  const words = referenceWords(text)
  const emitted = keyWords(text)
  if (emitted.length !== words.length || emitted.some((w, i) => w !== words[i])) return 'forEachKeyWord'
  const tokens = referenceTokens(text)
  const got = searchTokens(text)
  if (got.length !== tokens.length || got.some((w, i) => w !== tokens[i])) return 'searchTokens'
  if (indexText(text) !== referenceAllTokens(text).join(' ')) return 'indexText'
  return null
}

const show = (s: string): string => JSON.stringify(s).replace(/[^\x20-\x7E]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const VECTORS = ['آجن', 'أحمد', 'إعاذ', 'بنى', 'فاطمة', 'روبرـــــت', 'مَبنا', 'علِي', 'بُوات', 'ولداً', 'ولدٍ',
  'ولدٌ', 'نلْسون', 'هتميّ', '١٢٣٤',
  'دمشق', 'بدمشق', 'ودمشق', 'دمشـــق', 'محمد', 'مُحَمَّد', '2024', '٢٠٢٤', 'حكومة', 'لحكومة', 'احمد', 'مستشفى', 'مستشفي']

const TRICKY = [
  // Short prefixed words with astral letters: the prefix rules count letters, not UTF-16 units.
  'ال\u{10428}', 'لل\u{10428}', 'وال\u{10428}', 'و\u{10428}\u{10428}', 'وab\u{10428}', 'و\u{10428}\u{10428}\u{10428}\u{10428}\u{10428}',
  '', ' ', '\u200B', 'ﻻ', 'ﷲ', 'ﺩﻣﺸﻖ', 'ﷺ', 'ﷻ', 'ﭐﭑ', 'ﹰﹱﹲ',
  'دم\u200Fشق', 'دم\u200Eشق', '\u202Bخبر\u202C', '\u202Eعنوان\u2066سري\u2069', 'كتاب\u200Cها', 'مي\u200Cخواهم', '\uFEFFنص\u00ADنص',
  'بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ', 'ذَٰلِكَ ٱلْكِتَٰبُ لَا رَيْبَ ۛ فِيهِ ۛ هُدًى', 'ـ', 'ـــ ـــ', 'َ', 'ّ ً',
  'یک کتاب', 'ی', 'ک', 'ۀ', 'كتابی',
  'Apple تطلق iPhone 15 في دمشق', 'café crème', 'ÀÉÎÕÜ àéîõü', 'ǅǈǋ', 'Ɫ ɫ ẞ ß', 'ΟΔΟΣ', 'Σ', 'İstanbul ıI', 'İ̇',
  '👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇸🇾 🇵🇸', 'خبر👍🏽عاجل', '1️⃣ #️⃣',
  '𐐀𐐁 𐐨', '𝐀𝐁𝐂 𝑨𝒃', 'ال𝐀𝐁', 'و𝐀𝐁𝐂𝐃',
  'क़ानून ज़रा', 'क\u093C', 'हिन्दी', 'ᄀ\u0300ᅡ', '각', '가\u200Bᆨ', '\u09C7\u200B\u09BE', 'ক\u09C7\u200B\u09BE',
  'Ｈｅｌｌｏ　ＷＯＲＬＤ １２３', '\uD800', '\uDC00x', 'a\uD83Db', '\uD83D', 'x\uDE00\uD83D',
  '٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹', 'عام ٢٠٢٤م', '٣.١٤', 'a\u0301\u0323b', 'e\u0301', '\u0301start', '=\u0338', '<\u200B\u0338',
  'والكتاب بالقلم كالأسد فالحق للبيت الدار', 'ال', 'الم', 'والي', 'وبك', 'وكتب', 'وكتاب', 'لل', 'للب', 'ا ل',
  'دمشق'.repeat(2560), ('مُحَمَّد ودمشق café 👍🏽 ١٢٣ ').repeat(400), 'x'.repeat(10240), 'ﻻ'.repeat(10240)
]

test('the docs/ARABIC.md vectors and tricky strings agree with the reference', async (t) => {
  for (const text of [...VECTORS, ...TRICKY]) {
    const label = show(text.slice(0, 40))
    t.equal(searchKey(text), referenceKey(text), `searchKey ${label}`)
    t.same(keyWords(text), referenceWords(text), `forEachKeyWord ${label}`)
    t.same(searchTokens(text), referenceTokens(text), `searchTokens ${label}`)
    t.equal(indexText(text), referenceAllTokens(text).join(' '), `indexText ${label}`)
  }
})

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i))

// Each group is picked with equal odds, so rare scripts show up next to common ones.
const POOL: string[][] = [
  range(0x0621, 0x064A), // Arabic letters
  ['آ', 'أ', 'إ', 'ٱ', 'ى', 'ة', 'ی', 'ک', 'ئ', 'ؤ', 'ء', 'ۀ', 'پ', 'چ', 'ژ', 'گ'],
  [...range(0x0610, 0x061A), ...range(0x064B, 0x065F), '\u0670', ...range(0x06D6, 0x06ED), '\u0640'],
  ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2060',
    '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\uFEFF', '\u00AD'],
  [...range(0x0660, 0x0669), ...range(0x06F0, 0x06F9)],
  [...range(0xFB50, 0xFBB1), ...range(0xFBD3, 0xFD3D), ...range(0xFD50, 0xFD8F), ...range(0xFDF0, 0xFDFD)],
  [...range(0xFE70, 0xFE74), ...range(0xFE76, 0xFEFC)],
  range(0x20, 0x7E),
  ['و', 'ا', 'ل', 'ب', 'ك', 'ف', ' ', 'ال', 'وال'], // so attached-prefix rules fire often
  range(0x00C0, 0x024F),
  range(0x1E00, 0x1EFF),
  range(0x0300, 0x036F),
  [...range(0x1100, 0x11FF), '가', '각', '한'],
  range(0x0900, 0x097F),
  ['\u09C7', '\u09BE', 'ক', 'İ', 'ı', 'Σ', 'ς', 'ẞ', 'ß', 'Ω', 'K', 'Å', 'ﬁ', 'Ａ', 'ｚ', '１', '\u3000', '\u0338', '=', '<'],
  ['👍', '🏽', '\u200D', '👨‍👩‍👧', '🇸', '🇾', '🏳️‍🌈', '\uFE0F', '😀', '⃣'],
  [...range(0x10400, 0x1044F), ...range(0x1D400, 0x1D433), '\uD800', '\uDC00']
]

test('random strings agree with the reference (seeded)', async (t) => {
  const r = mulberry32(0x4B484142)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]
  const failures: string[] = []
  for (let n = 0; n < 3000; n++) {
    const length = Math.floor(r() * 41)
    let text = ''
    for (let i = 0; i < length; i++) text += pick(pick(POOL))
    const which = disagreement(text)
    if (which !== null) failures.push(`${which}: ${show(text)}`)
  }
  t.same(failures, [], 'every random string agrees')
})

const HOSTILE_HTML = [
  '<p>خبر<script>alert("</p>")</script> عاجل</p>',
  '<style>p::after{content:"<b>x</b>"}</style><p>نص</p>',
  '<p>قبل<!-- <p>تعليق</p> -->بعد</p>', '<!--> <p>x</p>', '<!---->a<!-- -- -->b',
  '<a href="https://example.com/?a=1&b=2" title="a > b &quot;c&quot; \'d\'">رابط</a>',
  '<img src="a.jpg" alt="1 > 0 & 2 < 3 &quot;">', '<img alt=\'">\'>', '<p title=">">x</p>',
  '&amp;lt;b&amp;gt; &lt;i&gt; &nbsp;&nbsp;x&nbsp;y &#x41;&#66;&#x623; &copy; &bogus; & &amp &#0; &#xD800;',
  '<ul><li>أ<ul><li>ب</li><li>ج<ol><li>د</li></ol></li></ul></li></ul>',
  '<iframe src="https://www.youtube.com/embed/x"></iframe>نص<iframe src="https://evil.example/"></iframe>',
  '<iframe src="https://www.youtube.com/embed/x">داخل</iframe>',
  '<P>Upper</P><DIV DIR="RTL">نص</DIV><BR><H1>عنوان</H1><SCRIPT>x</SCRIPT>',
  '<p>unclosed <b>bold <i>italic', '<p', '<p>x</p', 'a <', 'a < b > c', '<<p>>', '</>', '< p>x</ p>', '<3 & love',
  '<![CDATA[<p>x</p>]]>', '<p><![CDATA[y]]></p>', '<?xml version="1.0"?><p>x</p>', '<!DOCTYPE html><p>x</p>',
  '\u202Eعنوان\u202C<p dir="rtl">\u2067x\u2069</p>', '<span dir="LTR">a</span><span dir="evil">b</span>',
  '<table><tr><td>1</td><td>2</td></tr></table><pre>  a\n\tb  </pre>',
  '<textarea><p>x</p></textarea><title>t</title><noscript><p>n</p></noscript><xmp><b>x</b></xmp>',
  '<svg><p>in svg</p></svg><math><mi>x</mi></math>', '<object><p>o</p></object><embed src=x>',
  '<a href="javascript:alert(1)">js</a><a href="x" target="_blank">t</a>',
  '<p>a</p><p>b</p>c<br>d<hr>e', 'x<br/>y<br />z', '<figure><img src="a"><figcaption>ت</figcaption></figure>',
  '<p>\u00A0\u2003 \n </p>', '<h1 class="x">h</h1><h7>x</h7>', '<q>q</q><cite>c</cite><sub>1</sub>',
  '<div><div><div>deep</div></div></div>', '<b>a</b><i>b</i>c', '"\'<>&', '<img src="x" onerror="alert(\'>\')">'
]

const FRAGMENTS = [
  '<p>', '</p>', '<div dir="rtl">', '</div>', '<span>', '</span>', '<br>', '<hr/>', '<b>', '</b>', '<i>', '<ul>', '<li>',
  '</li>', '</ul>', '<ol>', '<h1>', '</h1>', '<H2>', '<table>', '<tr>', '<td>', '<pre>', '<blockquote>', '<figure>',
  '<script>', '</script>', '<style>', '</style>', '<!--', '-->', '<![CDATA[', ']]>', '<textarea>', '<title>',
  '<a href="https://example.com/?a=1&amp;b=2" title="x > y">', '</a>', '<img src="a.jpg" alt="a &quot;b&quot; > c">',
  '<iframe src="https://www.youtube.com/embed/x">', '<iframe src="https://evil.example/">', '</iframe>',
  '<svg>', '<math>', '<object>', '<p onclick="x()">', '<p dir="ltr">', '<span dir=auto>',
  '&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&nbsp;', '&#x41;', '&#1583;', '&amp;lt;', '&', '<', '>', '"', "'", '=',
  ' ', '\n', '\t', '\u00A0', '\u202E', '\u2067', '\u200F', 'دمشق', 'مُحَمَّد', 'خبر عاجل', 'ﻻ', 'café', 'x', '١٢٣', '👍🏽'
]

test('sanitizedToText equals htmlToText on what sanitizeBody returns', async (t) => {
  for (const html of HOSTILE_HTML) {
    const body = sanitizeBody(html)
    t.equal(sanitizedToText(body), htmlToText(body), show(html))
  }
  const r = mulberry32(0x68746D6C)
  const failures: string[] = []
  for (let n = 0; n < 500; n++) {
    let html = ''
    const length = Math.floor(r() * 30)
    for (let i = 0; i < length; i++) html += FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]
    const body = sanitizeBody(html)
    if (sanitizedToText(body) !== htmlToText(body)) failures.push(show(html))
  }
  t.same(failures, [], 'every random fragment mix agrees')
})
