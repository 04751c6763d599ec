import { test } from 'tap'
import { build, bearer, json } from '../../../helper.ts'
import { assertProblem, createArticle, createCategory, listAll, readArticle, snapshot } from '../../../factories.ts'

const TITLE = 'قوات النظام تبدأ حملة على داعش جنوب دمشق (فيديو)'
const SLUG = 'قوات-النظام-تبدأ-حملة-على-داعش-جنوب-دمشق-فيديو'
const NOW = '2026-11-26T12:00:00.000Z'

test('POST creates an article: 201, Location, the Arabic title byte for byte, the docs/ARABIC.md slug', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/articles',
    headers: bearer(app.editorKey),
    payload: { title: TITLE, body: '<p>بدأت قوات النظام صباح اليوم حملة عسكرية جنوب دمشق.</p>', status: 'published' }
  })
  t.equal(res.statusCode, 201)
  t.match(res.headers['content-type'], /^application\/json/)
  const article = json(res)
  t.equal(res.headers.location, `/v1/articles/${article.id}`)
  t.equal(res.headers.etag, '"1"', 'the ETag names the version')
  t.ok(Buffer.from(article.title).equals(Buffer.from(TITLE)), 'title kept byte for byte')
  t.equal(article.slug, SLUG)
  t.match(article, {
    lang: 'ar',
    dir: 'rtl',
    status: 'published',
    publishedAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
    subtitle: null,
    excerpt: null,
    categoryId: null,
    tags: [],
    author: null,
    source: null,
    breaking: false,
    hasVideo: false,
    views: 0,
    commentCount: 0,
    externalId: null,
    version: 1,
    trashedAt: null,
    body: '<p>بدأت قوات النظام صباح اليوم حملة عسكرية جنوب دمشق.</p>'
  })
  t.type(article.id, 'number')
  t.ok(article.id >= 1)

  // The Location leads to the same article, as an editor and as a reader.
  t.same(await readArticle(app, article.id), article)
  const anon = await app.inject({ url: res.headers.location as string })
  t.equal(anon.statusCode, 200)
  const { trashedAt: _, ...publicView } = article
  t.same(json(anon), publicView, 'readers see it without trashedAt')
})

test('Location is absolute when SITE_URL is set', async (t) => {
  const app = await build(t, { SITE_URL: 'https://news.example.com' })
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'خبر' } })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, `https://news.example.com/v1/articles/${json(res).id}`)
})

test('a slug made from a taken title gets -2, -3, ...', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: TITLE })
  const b = await createArticle(app, { title: TITLE })
  const c = await createArticle(app, { title: `  ${TITLE}!! ` })
  t.equal(a.slug, SLUG)
  t.equal(b.slug, `${SLUG}-2`)
  t.equal(c.slug, `${SLUG}-3`)
  t.equal(c.title, `  ${TITLE}!! `, 'the title itself is not trimmed')
  const all = await listAll(app, '/v1/articles')
  t.same(all.map(x => x.slug).sort(), [SLUG, `${SLUG}-2`, `${SLUG}-3`].sort())
})

test('harakat, tatweel and Arabic-Indic digits leave the slug; letters are not folded', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'مُحَمَّد يزور دمشـــق عام ٢٠٢٤' })
  t.equal(a.slug, 'محمد-يزور-دمشق-عام-2024')
  const b = await createArticle(app, { title: 'أحمد إلى مستشفى المدينة' })
  t.equal(b.slug, 'أحمد-إلى-مستشفى-المدينة', 'hamza and alef maqsura stay as written')
  const c = await createArticle(app, { title: 'Apple تطلق iPhone جديداً' })
  t.equal(c.slug, 'apple-تطلق-iphone-جديدا')
})

test('a long title gives a slug cut at a word boundary, at most 80 characters', async (t) => {
  const app = await build(t)
  const title = Array.from({ length: 30 }, (_, i) => `كلمة${i}`).join(' ')
  const a = await createArticle(app, { title })
  t.ok([...a.slug].length <= 80, `${[...a.slug].length} characters`)
  t.ok(title.replace(/ /g, '-').startsWith(a.slug + '-'), 'whole words only')
})

test('an explicit slug is cleaned and kept; percent-encoded input is decoded', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'عنوان', slug: 'Breaking News Today' })
  t.equal(a.slug, 'breaking-news-today')
  const b = await createArticle(app, { title: 'عنوان', slug: encodeURIComponent('دمشق-اليوم') })
  t.equal(b.slug, 'دمشق-اليوم')
  const c = await createArticle(app, { title: 'عنوان' })
  t.equal(c.slug, 'عنوان')
})

test('an explicit slug another article holds is a 409 and creates nothing', async (t) => {
  const app = await build(t)
  await createArticle(app, { title: 'أول', slug: 'first' })
  const before = await snapshot(app)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'ثان', slug: 'First' } })
  assertProblem(t, res, 409)
  t.same(await snapshot(app), before)
})

test('an explicit slug with no letter or digit is a 400', async (t) => {
  const app = await build(t)
  const before = await snapshot(app)
  for (const slug of ['---', '؟!', 'ً']) {
    const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'عنوان', slug } })
    const problem = assertProblem(t, res, 400)
    t.equal(problem.errors[0].path, '/body/slug')
  }
  t.same(await snapshot(app), before)
})

test('a title made only of harakat or punctuation gets a fallback slug', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'ًٌٍَُِّْ' })
  const b = await createArticle(app, { title: '؟!... (؛) «»' })
  t.equal(a.title, 'ًٌٍَُِّْ')
  t.equal(a.slug, 'article')
  t.equal(b.slug, 'article-2')
  for (const x of [a, b]) {
    const res = await app.inject({ url: `/v1/articles/${encodeURIComponent(x.slug)}` })
    t.equal(res.statusCode, 200)
    t.equal(json(res).id, x.id)
  }
})

test('a slug is never digits only: a path segment of digits is an id', async (t) => {
  const app = await build(t)
  const filler = await createArticle(app, { title: 'خبر أول' })
  const a = await createArticle(app, { title: '2024' })
  const b = await createArticle(app, { title: `${filler.id}` })
  const c = await createArticle(app, { title: '٢٠٢٥' })
  for (const x of [a, b, c]) {
    t.notMatch(x.slug, /^[0-9]+$/, `slug "${x.slug}"`)
    const res = await app.inject({ url: `/v1/articles/${encodeURIComponent(x.slug)}` })
    t.equal(json(res).id, x.id, `the slug "${x.slug}" finds its own article`)
  }
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'عنوان', slug: '12345' } })
  t.equal(assertProblem(t, res, 400).errors[0].path, '/body/slug')
})

test('tags are created on the fly, cleaned and deduplicated, and reused', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['سوريا', ' دمشق ', 'دمشق', 'ريف  دمشق'] })
  t.same(a.tags, ['سوريا', 'دمشق', 'ريف دمشق'])
  const b = await createArticle(app, { tags: ['دمشق', 'حلب'] })
  t.same(b.tags, ['دمشق', 'حلب'])
  const tags = await listAll(app, '/v1/tags')
  t.same(tags.map(x => x.name).sort(), ['حلب', 'دمشق', 'ريف دمشق', 'سوريا'].sort(), 'one tag per name')
  t.equal(tags.find(x => x.name === 'ريف دمشق').slug, 'ريف-دمشق')
  t.equal(tags.find(x => x.name === 'دمشق').articleCount, 2)
  const empty = await createArticle(app, { tags: [] })
  t.same(empty.tags, [])
})

test('categoryId, source, breaking, author and the other writable fields are stored', async (t) => {
  const app = await build(t)
  const category = await createCategory(app, { name: 'سياسة' })
  const input = {
    title: 'عاجل: اجتماع طارئ',
    subtitle: 'عنوان فرعي',
    excerpt: 'ملخص قصير',
    author: 'مراسل خبر',
    categoryId: category.id,
    source: { name: 'شبكة الأخبار', url: 'https://news.example.com/a' },
    breaking: true,
    commentCount: 12,
    externalId: 'wp-1234'
  }
  const a = await createArticle(app, input)
  t.match(a, { ...input, source: { name: 'شبكة الأخبار', url: 'https://news.example.com/a' } })
  t.same(await readArticle(app, a.id), a)
  const noUrl = await createArticle(app, { source: { name: 'وكالة' } })
  t.same(noUrl.source, { name: 'وكالة', url: null })
  const none = await createArticle(app, { source: null, categoryId: null })
  t.equal(none.source, null)
  t.equal(none.categoryId, null)
})

test('lang gives dir: en is ltr, ar, fa and ar-EG are rtl', async (t) => {
  const app = await build(t)
  for (const [lang, dir] of [['en', 'ltr'], ['fr-CA', 'ltr'], ['ar', 'rtl'], ['fa', 'rtl'], ['ar-EG', 'rtl'], ['HE', 'rtl']]) {
    const a = await createArticle(app, { lang, title: `lang ${lang}` })
    t.equal(a.lang, lang)
    t.equal(a.dir, dir, lang)
  }
})

test('status: a draft has no publishedAt; published now or at a given time; archived', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'مسودة' } })
  t.equal(res.statusCode, 201)
  t.match(json(res), { status: 'draft', publishedAt: null })
  const draftWithTime = await createArticle(app, { status: 'draft', publishedAt: '2026-01-01T00:00:00.000Z' })
  t.equal(draftWithTime.publishedAt, null, 'a draft drops publishedAt')
  const now = await createArticle(app, { status: 'published' })
  t.equal(now.publishedAt, NOW)
  const past = await createArticle(app, { publishedAt: '2020-05-01T08:30:00+03:00' })
  t.equal(past.publishedAt, '2020-05-01T05:30:00.000Z', 'stored in UTC')
  const future = await createArticle(app, { publishedAt: '2027-01-01T00:00:00.000Z' })
  t.equal(future.publishedAt, '2027-01-01T00:00:00.000Z', 'scheduled')
  const archived = await createArticle(app, { status: 'archived' })
  t.match(archived, { status: 'archived', publishedAt: NOW })
})

test('a publishedAt that is valid RFC 3339 but no moment JavaScript can hold is refused or kept, never lost', async (t) => {
  const app = await build(t)
  const before = await snapshot(app)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/articles',
    headers: bearer(app.editorKey),
    payload: { title: 'ثانية كبيسة', status: 'published', publishedAt: '2026-06-30T23:59:60Z' }
  })
  t.ok(res.statusCode < 500)
  if (res.statusCode === 201) {
    t.not(json(res).publishedAt, null, 'a published article keeps a publication time')
  } else {
    t.equal(assertProblem(t, res, 400).errors[0].path, '/body/publishedAt')
    t.same(await snapshot(app), before)
  }
})

test('the admin key may create too', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.adminKey), payload: { title: 'من المدير' } })
  t.equal(res.statusCode, 201)
})

test('wrong types are a 400 listing each field, and create nothing', async (t) => {
  const app = await build(t)
  const category = await createCategory(app)
  const before = await snapshot(app)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/articles',
    headers: bearer(app.editorKey),
    payload: { title: 5, tags: 'x', breaking: 'yes', categoryId: String(category.id) }
  })
  const problem = assertProblem(t, res, 400)
  t.equal(problem.type, 'urn:khabar:problem:validation')
  const paths = problem.errors.map((e: { path: string }) => e.path).sort()
  t.same(paths, ['/body/breaking', '/body/categoryId', '/body/tags', '/body/title'])
  for (const e of problem.errors) t.type(e.message, 'string')
  t.same(await snapshot(app), before)
})

test('each wrong field alone is a 400 naming it', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, unknown>, string]> = [
    [{}, '/body/title'],
    [{ body: '<p>بلا عنوان</p>' }, '/body/title'],
    [{ title: '' }, '/body/title'],
    [{ title: '   ' }, '/body/title'],
    [{ title: 'x'.repeat(501) }, '/body/title'],
    [{ title: null }, '/body/title'],
    [{ title: ['a'] }, '/body/title'],
    [{ title: 'x', tags: [1] }, '/body/tags/0'],
    [{ title: 'x', tags: [''] }, '/body/tags/0'],
    [{ title: 'x', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, '/body/tags'],
    [{ title: 'x', status: 'live' }, '/body/status'],
    [{ title: 'x', lang: 'arabic language' }, '/body/lang'],
    [{ title: 'x', publishedAt: 'yesterday' }, '/body/publishedAt'],
    [{ title: 'x', publishedAt: 1_700_000_000_000 }, '/body/publishedAt'],
    [{ title: 'x', categoryId: 0 }, '/body/categoryId'],
    [{ title: 'x', categoryId: 1.5 }, '/body/categoryId'],
    [{ title: 'x', categoryId: 99 }, '/body/categoryId'],
    [{ title: 'x', source: { url: 'https://x.example' } }, '/body/source'],
    [{ title: 'x', source: 'الجزيرة' }, '/body/source'],
    [{ title: 'x', commentCount: -1 }, '/body/commentCount'],
    [{ title: 'x', breaking: 1 }, '/body/breaking'],
    [{ title: 'x', externalId: '' }, '/body/externalId'],
    [{ title: 'x', views: 1000 }, '/body/views'],
    [{ title: 'x', id: 7 }, '/body/id'],
    [{ title: 'x', hasVideo: true }, '/body/hasVideo'],
    [{ title: 'x', Title: 'y' }, '/body/Title'],
    [{ title: 'x', __proto__: { admin: true }, constructor: 'x' }, '/body/constructor']
  ]
  const before = await snapshot(app)
  for (const [payload, path] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload })
    const problem = assertProblem(t, res, 400, JSON.stringify(payload).slice(0, 80))
    t.ok(problem.errors.some((e: { path: string }) => e.path.startsWith(path)), `${path} in ${JSON.stringify(problem.errors)}`)
  }
  t.same(await snapshot(app), before, 'nothing was created')
})

test('a bidi override in the title is a 400; RLM in the body and title is fine', async (t) => {
  const app = await build(t)
  const before = await snapshot(app)
  for (const c of ['\u202E', '\u202A', '\u2066', '\u2069']) {
    const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: `خبر ${c}مقلوب` } })
    t.equal(assertProblem(t, res, 400).errors[0].path, '/body/title')
  }
  t.same(await snapshot(app), before)
  const a = await createArticle(app, { title: 'iPhone\u200F في السعودية', body: '<p>سعر iPhone\u200F 15 هو 4000\u200F ريال</p>' })
  t.equal(a.title, 'iPhone\u200F في السعودية')
  t.equal(a.body, '<p>سعر iPhone\u200F 15 هو 4000\u200F ريال</p>')
})

test('an externalId another article holds is a 409', async (t) => {
  const app = await build(t)
  await createArticle(app, { externalId: 'import-1' })
  const before = await snapshot(app)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'x', externalId: 'import-1' } })
  assertProblem(t, res, 409)
  t.same(await snapshot(app), before)
})
