import { test } from 'tap'
import { isValidSlug, MAX_SLUG_LENGTH, normalizeSlugInput, slugify } from '../../src/text/slugify.ts'

test('the docs/ARABIC.md example', async (t) => {
  t.equal(slugify('قوات النظام تبدأ حملة على داعش جنوب دمشق (فيديو)'),
    'قوات-النظام-تبدأ-حملة-على-داعش-جنوب-دمشق-فيديو')
})

test('marks, tatweel, invisible and bidi characters are deleted; letters are not folded', async (t) => {
  t.equal(slugify('مُحَمَّد'), 'محمد')
  t.equal(slugify('دمشـــق'), 'دمشق')
  t.equal(slugify('دم\u200Fشق \u202Bخبر\u202C \uFEFFعاجل\u00AD'), 'دمشق-خبر-عاجل')
  t.equal(slugify('مدرسة\u200Cالنور'), 'مدرسةالنور')
  t.equal(slugify('أحمد إلى آخر مستشفى'), 'أحمد-إلى-آخر-مستشفى')
  t.equal(slugify('بِسْمِ ٱللَّهِ'), 'بسم-ٱلله')
  // NFC: alef + combining hamza becomes the one letter أ, not ا plus a deleted mark.
  t.equal(slugify('\u0627\u0654حمد'), 'أحمد')
})

test('digits, Latin and punctuation', async (t) => {
  t.equal(slugify('انتخابات ٢٠٢٤ و۱۴۰۳'), 'انتخابات-2024-و1403')
  t.equal(slugify('Apple تطلق iPhone 15 Pro!'), 'apple-تطلق-iphone-15-pro')
  t.equal(slugify('Café   Élysée — naïve'), 'cafe-elysee-naive')
  t.equal(slugify('İstanbul'), 'istanbul')
  t.equal(slugify('  ...«عاجل»: خبر؟!  '), 'عاجل-خبر')
  t.equal(slugify('a_b.c/d\\e'), 'a-b-c-d-e')
  t.equal(slugify('عاجل 🔥 خبر'), 'عاجل-خبر')
  // Other scripts keep their letters and combining marks; cased ones are lower-cased.
  t.equal(slugify('Новый ЙОД'), 'новый-йод')
  t.equal(slugify('हिन्दी समाचार'), 'हिन्दी-समाचार')
})

test('nothing left gives an empty string', async (t) => {
  t.equal(slugify(''), '')
  t.equal(slugify('ـــ َ ُ ِ ّ'), '')
  t.equal(slugify('!!! (؟) ---'), '')
  t.equal(slugify('\u200F\u202E'), '')
})

test('cut at a word boundary', async (t) => {
  const title = 'الرئيس يلتقي وفداً من رجال الأعمال في العاصمة لبحث فرص الاستثمار والتعاون الاقتصادي بين البلدين في المرحلة المقبلة'
  const slug = slugify(title)
  t.ok([...slug].length <= 80, slug)
  t.ok(slugify(title, 1000).startsWith(slug + '-'), 'a prefix of whole words')
  t.notOk(slug.endsWith('-'))
  t.equal(slugify('abc def ghi', 7), 'abc-def')
  t.equal(slugify('abc def ghi', 8), 'abc-def')
  t.equal(slugify('abc def ghi', 11), 'abc-def-ghi')
  t.equal(slugify('abc def ghi', 10), 'abc-def')
})

test('a first word longer than maxLength is hard-cut', async (t) => {
  t.equal(slugify('abcdefghij klm', 4), 'abcd')
  t.equal(slugify('a'.repeat(300)), 'a'.repeat(80))
  // Counted in code points: an astral letter is never split.
  t.equal(slugify('\u{20000}\u{20001}\u{20002}', 2), '\u{20000}\u{20001}')
  t.equal(slugify('abc', 0), '')
  t.equal(slugify('abc', -5), '')
})

test('slugify is idempotent', async (t) => {
  // The last one deletes U+06E9 from between two marks that NFC must then reorder.
  for (const s of ['قوات النظام (فيديو)', 'Café ٢٠٢٤', 'مُحَمَّد ـ دمشق', 'İSTANBUL Ωμέγα', 'हिन्दी',
    '\u0649\u08E0\u06E9\u08ED']) {
    const once = slugify(s)
    t.equal(slugify(once), once, s)
    t.equal(once, once.normalize('NFC'), s)
    t.ok(isValidSlug(once), once)
  }
})

test('isValidSlug accepts exactly what slugify leaves alone', async (t) => {
  t.ok(isValidSlug('قوات-النظام-تبدأ'))
  t.ok(isValidSlug('apple-2024'))
  t.ok(isValidSlug('a'.repeat(MAX_SLUG_LENGTH)))
  t.notOk(isValidSlug('a'.repeat(MAX_SLUG_LENGTH + 1)), 'too long')
  t.notOk(isValidSlug('a'.repeat(1000)), 'far too long')
  t.notOk(isValidSlug(''))
  t.notOk(isValidSlug('Apple'), 'upper case')
  t.notOk(isValidSlug('a--b'), 'double dash')
  t.notOk(isValidSlug('-a'), 'leading dash')
  t.notOk(isValidSlug('a-'), 'trailing dash')
  t.notOk(isValidSlug('a b'), 'space')
  t.notOk(isValidSlug('a/b'), 'slash')
  t.notOk(isValidSlug('مُحَمَّد'), 'harakat')
  t.notOk(isValidSlug('دمشـق'), 'tatweel')
  t.notOk(isValidSlug('خبر-٢٠٢٤'), 'Arabic-Indic digits')
  t.notOk(isValidSlug('دم\u200Fشق'), 'RLM')
  t.notOk(isValidSlug('\u0627\u0654حمد'), 'not NFC')
  t.notOk(isValidSlug('%D8%AF'), 'still encoded')
  t.notOk(isValidSlug('café'), 'Latin diacritic')
})

test('normalizeSlugInput decodes, or keeps what is not an escape, then NFC', async (t) => {
  const slug = 'قوات-النظام'
  t.equal(normalizeSlugInput(encodeURIComponent(slug)), slug)
  t.equal(normalizeSlugInput(slug), slug)
  t.equal(normalizeSlugInput(encodeURIComponent('\u0627\u0654حمد')), 'أحمد')
  t.equal(normalizeSlugInput('100%-خبر'), '100%-خبر')
  t.notOk(isValidSlug(normalizeSlugInput('%E0%A4%A')))
  t.ok(isValidSlug(normalizeSlugInput('%D8%AF%D9%85%D8%B4%D9%82')))
})
