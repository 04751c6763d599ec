// A deterministic generator of synthetic Arabic news: the same seed and article number
// always give the same title, body and tags. The word lists are the project's own
// (written for this benchmark, no third-party data): common news vocabulary, places,
// invented person names, categories with subcategories, and tags.

import { mulberry32 } from '../test/support/prng.ts'

export { mulberry32 }

export type Rng = () => number

/** An integer in [0, n). */
export const int = (r: Rng, n: number): number => Math.floor(r() * n)
/** An integer in [lo, hi]. */
export const between = (r: Rng, lo: number, hi: number): number => lo + int(r, hi - lo + 1)
export const pick = <T>(r: Rng, list: readonly T[]): T => list[int(r, list.length)]

/** A seed for one item of a stream, so item i can be made without making items 0..i-1. */
export function seedOf (seed: number, i: number): number {
  let h = (seed ^ 0x9E3779B9) >>> 0
  h = Math.imul(h ^ i, 0x85EBCA6B) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩'
/** 2025 → ٢٠٢٥ */
export const arabicDigits = (n: number | string): string => String(n).replace(/[0-9]/g, d => ARABIC_INDIC[Number(d)])

// Nouns of the news (with the article), about 170.
export const NOUNS = [
  'الحكومة', 'الرئيس', 'الوزير', 'الوزارة', 'البرلمان', 'المجلس', 'الانتخابات', 'الاقتصاد', 'السوق', 'الأسعار',
  'النفط', 'الغاز', 'الطاقة', 'الكهرباء', 'المياه', 'الزراعة', 'الصناعة', 'التجارة', 'الاستثمار', 'البنك',
  'المصرف', 'الدولار', 'العملة', 'التضخم', 'الموازنة', 'الضرائب', 'الرواتب', 'العمال', 'النقابة', 'الشركة',
  'المشروع', 'الخطة', 'الاتفاق', 'الاتفاقية', 'المفاوضات', 'الحوار', 'القمة', 'المؤتمر', 'الاجتماع', 'الجلسة',
  'القرار', 'القانون', 'الدستور', 'المحكمة', 'القضاء', 'الشرطة', 'الأمن', 'الجيش', 'القوات', 'الحدود',
  'المعبر', 'اللاجئين', 'النازحين', 'المساعدات', 'الإغاثة', 'المستشفى', 'الصحة', 'الأطباء', 'المرضى', 'اللقاح',
  'المدرسة', 'الجامعة', 'الطلاب', 'التعليم', 'الامتحانات', 'الثقافة', 'المهرجان', 'المعرض', 'الكتاب', 'الرواية',
  'الشاعر', 'الفنان', 'المسرح', 'السينما', 'الفيلم', 'الموسيقى', 'الأغنية', 'التراث', 'المتحف', 'الآثار',
  'السياحة', 'الفندق', 'الطيران', 'المطار', 'الميناء', 'الطريق', 'السيارات', 'النقل', 'المدينة', 'القرية',
  'المحافظة', 'المنطقة', 'البلاد', 'العاصمة', 'الشعب', 'المواطنين', 'السكان', 'الشباب', 'النساء', 'الأطفال',
  'الأسر', 'المجتمع', 'الإعلام', 'الصحفيين', 'الصحيفة', 'القناة', 'الموقع', 'الإنترنت', 'التكنولوجيا', 'الهاتف',
  'التطبيق', 'البيانات', 'الشبكة', 'الفريق', 'المنتخب', 'المباراة', 'الدوري', 'البطولة', 'الكأس', 'الهدف',
  'اللاعب', 'المدرب', 'الملعب', 'الجمهور', 'الموسم', 'النادي', 'الفوز', 'الخسارة', 'التعادل', 'النتيجة',
  'الأزمة', 'الحرب', 'السلام', 'الهدنة', 'الوقف', 'المعارضة', 'الأحزاب', 'الحزب', 'النواب', 'الوفد',
  'السفير', 'السفارة', 'الخارجية', 'الداخلية', 'المالية', 'الدفاع', 'الاحتجاجات', 'المظاهرات', 'الإضراب', 'البطالة',
  'الفقر', 'السكن', 'الإيجارات', 'القمح', 'الخبز', 'الوقود', 'البنزين', 'المناخ', 'الأمطار', 'الحرائق',
  'الزلزال', 'الفيضانات', 'العاصفة', 'البيئة', 'التلوث', 'البحر', 'النهر', 'السد', 'المصنع', 'المنتجات',
  'الصادرات', 'الواردات', 'الديون', 'القروض', 'الفائدة', 'البورصة', 'الأسهم', 'الذهب', 'التقرير', 'الدراسة',
  'الإحصاءات', 'المسؤولين', 'الخبراء', 'المحللين', 'المصادر', 'الشهود', 'الضحايا', 'الجرحى', 'الإصلاحات', 'التحقيق'
] as const

// Adjectives and participles, about 50.
const ADJECTIVES = [
  'الجديد', 'الجديدة', 'الكبير', 'الكبرى', 'الأولى', 'الأول', 'الثاني', 'الماضي', 'المقبل', 'الحالي',
  'الدولي', 'الدولية', 'العربي', 'العربية', 'المحلي', 'الوطني', 'الرسمي', 'الرسمية', 'الاقتصادية', 'السياسية',
  'الأمنية', 'الإنسانية', 'الاجتماعية', 'العالمية', 'الإقليمية', 'المشترك', 'الواسعة', 'الكامل', 'العامة', 'الخاصة',
  'المحتملة', 'الأخيرة', 'المتزايدة', 'الحادة', 'الصعبة', 'المرتفعة', 'المنخفضة', 'الطارئة', 'الشامل', 'المستقل',
  'الحكومية', 'الشعبية', 'التاريخية', 'الرقمية', 'الزراعية', 'الصناعية', 'الصحية', 'التعليمية', 'الثقافية', 'الرياضية'
] as const

// Verbs of reporting and of events, about 45.
const VERBS = [
  'قال', 'أعلن', 'أكد', 'أشار', 'أوضح', 'كشف', 'نفى', 'طالب', 'دعا', 'حذر',
  'أضاف', 'رحب', 'انتقد', 'اتهم', 'وقّع', 'افتتح', 'استقبل', 'بحث', 'ناقش', 'التقى',
  'زار', 'شارك', 'أطلق', 'قرر', 'وافق', 'رفض', 'ارتفع', 'انخفض', 'تراجع', 'سجل',
  'حقق', 'بلغ', 'وصل', 'شهد', 'يشهد', 'يواصل', 'تستمر', 'يتوقع', 'يعتزم', 'تسعى',
  'أعلنت', 'أكدت', 'قالت', 'كشفت', 'شهدت'
] as const

// Small words, about 45.
const FUNCTION_WORDS = [
  'في', 'من', 'إلى', 'على', 'عن', 'مع', 'بين', 'حول', 'ضد', 'عند',
  'لدى', 'أن', 'إن', 'الذي', 'التي', 'الذين', 'هذا', 'هذه', 'ذلك', 'تلك',
  'كما', 'وقد', 'حيث', 'بينما', 'لكن', 'إلا', 'أو', 'ثم', 'كل', 'بعض',
  'جميع', 'عدد', 'أكثر', 'أقل', 'نحو', 'قرابة', 'خلال', 'بعد', 'قبل', 'منذ',
  'حتى', 'أثناء', 'وفق', 'بسبب', 'رغم'
] as const

// Words with harakat (tanween, shadda, fatha...), as Arabic news often has a few.
const VOWELLED = [
  'أيضًا', 'جدًّا', 'رسميًّا', 'حاليًّا', 'مؤخرًا', 'تقريبًا', 'عمومًا', 'دوليًّا', 'مُجدَّدًا', 'سابقًا',
  'لاحقًا', 'فورًا', 'يوميًّا', 'سنويًّا', 'محليًّا', 'عربيًّا', 'الدَّولة', 'الحُكم', 'مُستقبل', 'قِمَّة'
] as const

const TIME_WORDS = [
  'اليوم', 'أمس', 'غدًا', 'الأسبوع الماضي', 'الشهر الجاري', 'العام المقبل', 'صباح اليوم', 'مساء أمس',
  'خلال الأسبوع', 'منذ أيام', 'في وقت سابق', 'فجر اليوم'
] as const

const ROLES = [
  'المتحدث باسم', 'وزير', 'رئيس', 'مدير', 'عضو', 'سفير', 'الخبير في', 'المحلل في', 'مستشار', 'نائب رئيس'
] as const

const SOURCES = [
  'مصادر مطلعة', 'وكالة الأنباء الرسمية', 'بيان رسمي', 'مراسلنا', 'شهود عيان', 'تقرير حكومي',
  'مصادر طبية', 'مصادر أمنية', 'بيان مشترك', 'منظمة دولية'
] as const

const UNITS = [
  'مليون دولار', 'مليار دولار', 'في المئة', 'ألف طن', 'كيلومترًا', 'شخصًا', 'يومًا', 'ألف برميل', 'مدرسة', 'مشروعًا'
] as const

/** Places, about 45. */
export const PLACES = [
  'دمشق', 'بيروت', 'القاهرة', 'بغداد', 'عمّان', 'الرياض', 'جدة', 'دبي', 'أبوظبي', 'الدوحة',
  'الكويت', 'المنامة', 'مسقط', 'صنعاء', 'عدن', 'الخرطوم', 'طرابلس', 'تونس', 'الجزائر', 'الرباط',
  'الدار البيضاء', 'نواكشوط', 'القدس', 'غزة', 'رام الله', 'حلب', 'حمص', 'اللاذقية', 'الموصل', 'البصرة',
  'الإسكندرية', 'أسوان', 'مراكش', 'فاس', 'وهران', 'صفاقس', 'بنغازي', 'إربد', 'صيدا', 'جنيف',
  'باريس', 'لندن', 'واشنطن', 'موسكو', 'إسطنبول'
] as const

/** Invented people (first name and family name), 30. */
export const PERSONS = [
  'محمد الأحمد', 'أحمد الخطيب', 'علي حسن', 'خالد العمر', 'يوسف إبراهيم', 'سامي النجار', 'ليلى حداد', 'مريم سعيد',
  'نور الهدى سليمان', 'هدى عبد الله', 'سلمى منصور', 'رنا خوري', 'ريم العلي', 'كريم عثمان', 'طارق السيد', 'ياسر عبد الرحمن',
  'حسين الموسوي', 'إياد صالح', 'رامي حمدان', 'مازن الشامي', 'نادية يوسف', 'دينا فاروق', 'سعاد الحسن', 'عمر البزاز',
  'جمال الدين قاسم', 'هالة مراد', 'باسل العطار', 'لينا الزعبي', 'فراس الحلبي', 'زينب الكاظمي'
] as const

/** Categories: [name, subcategories]. 9 top-level and 12 below them. */
export const CATEGORY_TREE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['سياسة', ['شؤون عربية', 'شؤون دولية', 'انتخابات']],
  ['اقتصاد', ['أسواق', 'طاقة', 'شركات']],
  ['رياضة', ['كرة القدم', 'كرة السلة', 'تنس']],
  ['ثقافة', ['أدب', 'سينما', 'موسيقى']],
  ['تكنولوجيا', []],
  ['صحة', []],
  ['علوم', []],
  ['منوعات', []],
  ['رأي', []]
]

/** Tag names (about 110 before de-duplication by slug). */
export const TAG_NAMES = [
  'النفط', 'الذهب', 'الدولار', 'التضخم', 'البطالة', 'الانتخابات البرلمانية', 'الانتخابات الرئاسية', 'كأس العالم',
  'دوري أبطال أوروبا', 'الدوري الإسباني', 'الدوري الإنجليزي', 'كأس آسيا', 'كأس أمم أفريقيا', 'الألعاب الأولمبية',
  'الذكاء الاصطناعي', 'الهواتف الذكية', 'الفضاء', 'تغير المناخ', 'الجفاف', 'الزلازل', 'الفيضانات', 'اللاجئون',
  'حقوق الإنسان', 'الأمم المتحدة', 'الجامعة العربية', 'مجلس الأمن', 'صندوق النقد الدولي', 'البنك الدولي', 'أوبك',
  'الطاقة المتجددة', 'السيارات الكهربائية', 'العملات الرقمية', 'البورصة', 'السياحة', 'رمضان', 'عيد الفطر',
  'عيد الأضحى', 'الحج', 'معرض الكتاب', 'المهرجانات السينمائية', 'الجوائز الأدبية', 'التعليم العالي', 'الامتحانات الرسمية',
  'الصحة العامة', 'اللقاحات', 'الأمراض المزمنة', 'الغذاء', 'الأمن الغذائي', 'المياه', 'الكهرباء', 'الإسكان',
  'النقل العام', 'الطيران المدني', 'الموانئ', 'التجارة الخارجية', 'الاستثمار الأجنبي', 'الشركات الناشئة', 'ريادة الأعمال',
  'الأمن السيبراني', 'وسائل التواصل الاجتماعي', 'الصحافة', 'حرية التعبير', 'المرأة', 'الشباب', 'الطفولة', 'كبار السن',
  'الهجرة', 'الحدود', 'الدبلوماسية', 'القمة العربية', 'المفاوضات', 'وقف إطلاق النار', 'إعادة الإعمار', 'المساعدات الإنسانية',
  'الفساد', 'الإصلاح الإداري', 'الموازنة العامة', 'الضرائب', 'الرواتب', 'الأسعار', 'القمح', 'الوقود',
  'سوريا', 'لبنان', 'مصر', 'العراق', 'الأردن', 'السعودية', 'الإمارات', 'قطر', 'الكويت', 'البحرين',
  'سلطنة عمان', 'اليمن', 'السودان', 'ليبيا', 'تونس', 'الجزائر', 'المغرب', 'موريتانيا', 'فلسطين', 'تركيا',
  'إيران', 'روسيا', 'الصين', 'الولايات المتحدة', 'الاتحاد الأوروبي', 'أفريقيا', 'آسيا', 'أمريكا اللاتينية'
] as const

export const SOURCE_NAMES = ['وكالة الأنباء العربية', 'مراسل خبر', 'وكالات', 'خاص', 'الوكالة الوطنية للإعلام'] as const

export interface GeneratedArticle {
  title: string
  subtitle: string | null
  excerpt: string
  /** HTML: several <p> paragraphs. */
  body: string
  /** The body's words, for the reading time. */
  text: string
  author: string
  sourceName: string
  hasVideo: boolean
  breaking: boolean
}

// One word of running text: mostly nouns, then small words, adjectives, verbs.
function word (r: Rng): string {
  const x = r()
  if (x < 0.42) return pick(r, NOUNS)
  if (x < 0.67) return pick(r, FUNCTION_WORDS)
  if (x < 0.82) return pick(r, ADJECTIVES)
  if (x < 0.92) return pick(r, VERBS)
  if (x < 0.96) return pick(r, VOWELLED)
  if (x < 0.98) return pick(r, PLACES)
  return pick(r, PERSONS)
}

function numberPhrase (r: Rng): string {
  const unit = pick(r, UNITS)
  const n = unit === 'في المئة' && r() < 0.5 ? `${between(r, 1, 99)}٫${between(r, 1, 9)}` : String(between(r, 2, 950))
  return `${arabicDigits(n)} ${unit}`
}

function sentence (r: Rng): string {
  const parts: string[] = []
  switch (int(r, 5)) {
    case 0: parts.push(pick(r, VERBS), `${pick(r, PERSONS)}،`, pick(r, ROLES), `${pick(r, NOUNS)}،`, pick(r, TIME_WORDS), 'إن'); break
    case 1: parts.push('في', `${pick(r, PLACES)}،`, pick(r, VERBS), pick(r, NOUNS), pick(r, ADJECTIVES)); break
    case 2: parts.push(pick(r, TIME_WORDS), pick(r, VERBS), pick(r, NOUNS)); break
    case 3: parts.push('وبحسب', `${pick(r, SOURCES)}،`, 'فإن'); break
    default: parts.push('و' + pick(r, VERBS), pick(r, NOUNS), pick(r, ADJECTIVES), 'في', pick(r, PLACES))
  }
  const n = between(r, 6, 14)
  for (let i = 0; i < n; i++) {
    if (r() < 0.06) parts.push(numberPhrase(r))
    else parts.push(word(r))
    if (i === (n >> 1) && r() < 0.3) parts[parts.length - 1] += '،'
  }
  return parts.join(' ') + '.'
}

function title (r: Rng): { title: string, hasVideo: boolean } {
  const words: string[] = []
  const n = between(r, 8, 12)
  words.push(pick(r, NOUNS), pick(r, ADJECTIVES), pick(r, VERBS))
  if (r() < 0.5) words.push('في', pick(r, PLACES))
  while (words.length < n) words.push(r() < 0.1 ? numberPhrase(r) : word(r))
  const hasVideo = r() < 0.12
  const text = words.slice(0, n).join(' ')
  return { title: hasVideo ? `${text} (فيديو)` : text, hasVideo }
}

/** Article number `i` of the stream `seed`: a body of about 3.1 KB of UTF-8 on average. */
export function generateArticle (seed: number, i: number, targetBytes = 2800): GeneratedArticle {
  const r = mulberry32(seedOf(seed, i))
  const { title: t, hasVideo } = title(r)
  const paragraphs: string[] = []
  let bytes = 0
  while (bytes < targetBytes) {
    const sentences: string[] = []
    const k = between(r, 2, 5)
    for (let j = 0; j < k; j++) sentences.push(sentence(r))
    const p = sentences.join(' ')
    paragraphs.push(p)
    bytes += Buffer.byteLength(p) + 7
  }
  const first = paragraphs[0]
  const excerpt = first.slice(0, first.indexOf('.') + 1)
  return {
    title: t,
    subtitle: r() < 0.4 ? sentence(r).slice(0, -1) : null,
    excerpt,
    body: paragraphs.map(p => `<p>${p}</p>`).join(''),
    text: paragraphs.join(' '),
    author: pick(r, PERSONS),
    sourceName: pick(r, SOURCE_NAMES),
    hasVideo,
    breaking: r() < 0.02
  }
}
