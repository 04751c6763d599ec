import { test } from 'tap'
import { build, bearer, json } from '../../../helper.ts'
import { assertProblem, attachMedia, createArticle, createCategory, createMedia } from '../../../factories.ts'

const TITLE = 'قوات النظام تبدأ حملة على داعش جنوب دمشق (فيديو)'
const SLUG = 'قوات-النظام-تبدأ-حملة-على-داعش-جنوب-دمشق-فيديو'

test('one article by id, by raw slug and by percent-encoded slug: the same answer', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: TITLE, tags: ['دمشق'] })
  await createArticle(app, { title: 'خبر آخر' })
  const byId = await app.inject({ url: `/v1/articles/${a.id}` })
  t.equal(byId.statusCode, 200)
  t.match(byId.headers['content-type'], /^application\/json/)
  const body = json(byId)
  t.equal(body.id, a.id)
  t.equal(body.title, TITLE)
  t.equal(body.slug, SLUG)
  t.same(body.tags, ['دمشق'])
  t.notOk('trashedAt' in body, 'readers do not see trash fields')

  const raw = await app.inject({ url: `/v1/articles/${SLUG}` })
  t.equal(raw.statusCode, 200)
  t.same(json(raw), body)
  const encoded = await app.inject({ url: `/v1/articles/${encodeURIComponent(SLUG)}` })
  t.equal(encoded.statusCode, 200)
  t.same(json(encoded), body)
  t.equal(encoded.headers.etag, byId.headers.etag, 'same representation, same ETag')
  const trailing = await app.inject({ url: `/v1/articles/${encodeURIComponent(SLUG)}/` })
  t.equal(trailing.statusCode, 200, 'a trailing slash is ignored')
})

test('a slug in another Unicode normal form still finds the article', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'café à Beyrouth' })
  t.equal(a.slug, 'cafe-a-beyrouth')
  const b = await createArticle(app, { title: 'آخر الأخبار' })
  // آ decomposed: ا + U+0653 (madda above); the stored slug is NFC.
  const nfd = b.slug.normalize('NFD')
  t.not(nfd, b.slug)
  const res = await app.inject({ url: `/v1/articles/${encodeURIComponent(nfd)}` })
  t.equal(res.statusCode, 200)
  t.equal(json(res).id, b.id)
})

test('unknown ids and slugs are 404 problems', async (t) => {
  const app = await build(t)
  await createArticle(app)
  for (const segment of ['999', 'no-such-slug', encodeURIComponent('لا-يوجد'), '0', '-1', '99999999999999999999', '1e3', '0x1', '1.0', ' 1']) {
    const res = await app.inject({ url: `/v1/articles/${encodeURIComponent(segment)}` })
    t.ok(res.statusCode < 500, segment)
    assertProblem(t, res, 404, `GET /v1/articles/${segment}`)
  }
  const id = await app.inject({ url: '/v1/articles/001' })
  t.equal(id.statusCode, 200, 'leading zeros are still digits: an id')
})

test('include=category adds the category; include=media the attached media', async (t) => {
  const app = await build(t)
  const parent = await createCategory(app, { name: 'أخبار' })
  const category = await createCategory(app, { name: 'سوريا', parentId: parent.id })
  const a = await createArticle(app, { categoryId: category.id })
  const b = await createArticle(app, { categoryId: parent.id })
  const image = await createMedia(app)
  await attachMedia(app, a.id, [{ mediaId: image.id, role: 'featured' }])

  const plain = json(await app.inject({ url: `/v1/articles/${a.id}` }))
  t.notOk('category' in plain)
  t.notOk('media' in plain)

  const withCategory = json(await app.inject({ url: `/v1/articles/${a.id}?include=category` }))
  t.same(withCategory.category, { id: category.id, slug: category.slug, name: 'سوريا', parentId: parent.id })
  t.notOk('media' in withCategory)

  const both = json(await app.inject({ url: `/v1/articles/${a.id}?include=category,media` }))
  t.equal(both.category.id, category.id)
  t.equal(both.media.length, 1)
  t.match(both.media[0], { id: image.id, url: image.url, role: 'featured', position: 0 })

  const none = json(await app.inject({ url: `/v1/articles/${b.id}?include=media,category` }))
  t.same(none.category, { id: parent.id, slug: parent.slug, name: 'أخبار', parentId: null })
  t.same(none.media, [], 'no media: an empty list')
})

test('include=category on an article without a category gives category: null', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const one = json(await app.inject({ url: `/v1/articles/${a.id}?include=category` }))
  t.ok('category' in one, 'the key is there')
  t.notOk(one.category?.id, 'no category is made up')
  t.equal(one.category, null, 'null')
  const list = json(await app.inject({ url: '/v1/articles?include=category' }))
  t.notOk(list.data[0].category?.id)
  t.equal(list.data[0].category, null, 'null in lists')
})

test('fields= returns only the fields asked for, and id', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: TITLE, body: '<p>نص</p>' })
  const res = await app.inject({ url: `/v1/articles/${a.id}?fields=title,body` })
  t.equal(res.statusCode, 200)
  t.same(json(res), { id: a.id, title: TITLE, body: '<p>نص</p>' })
  const one = json(await app.inject({ url: `/v1/articles/${a.id}?fields=slug` }))
  t.same(one, { id: a.id, slug: SLUG })
  const editor = json(await app.inject({ url: `/v1/articles/${a.id}?fields=trashedAt,version`, headers: bearer(app.editorKey) }))
  t.same(editor, { id: a.id, trashedAt: null, version: 1 })
})

test('fields= answers are JSON with a JSON content type', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const res = await app.inject({ url: `/v1/articles/${a.id}?fields=title` })
  t.same(json(res), { id: a.id, title: a.title })
  t.match(res.headers['content-type'], /^application\/json/, 'one article')
  const list = await app.inject({ url: '/v1/articles?fields=title' })
  t.same(json(list).data, [{ id: a.id, title: a.title }])
  t.match(list.headers['content-type'], /^application\/json/, 'a list')
})

test('bad include, fields and unknown query parameters are 400s', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  for (const query of ['include=author', 'include=', 'include=category,,media', 'fields=password', 'fields=title,', 'fields=', 'expand=category', 'include=category&include=media', `fields=${'title,'.repeat(200)}title`]) {
    const res = await app.inject({ url: `/v1/articles/${a.id}?${query}` })
    t.ok(res.statusCode < 500, query)
    assertProblem(t, res, 400, query)
  }
})

test('hostile path segments are 400 or 404 problems, never 500', async (t) => {
  const app = await build(t)
  await createArticle(app)
  const segments = [
    "'; DROP TABLE articles; --",
    '"a" OR b*',
    '<script>alert(1)</script>',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u202Eabc',
    'ق'.repeat(600),
    '%25D9%2582',
    'NEAR(a b)',
    '*'
  ]
  for (const s of segments) {
    const res = await app.inject({ url: `/v1/articles/${encodeURIComponent(s)}` })
    t.ok(res.statusCode < 500, `${s.slice(0, 30)}: ${res.statusCode}`)
    t.ok([400, 404].includes(res.statusCode), `${s.slice(0, 30)}: ${res.statusCode}`)
    assertProblem(t, res, res.statusCode)
    const media = await app.inject({ url: `/v1/articles/${encodeURIComponent(s)}/media` })
    t.ok([400, 404].includes(media.statusCode), `media of ${s.slice(0, 30)}: ${media.statusCode}`)
  }
  const tooLong = await app.inject({ url: `/v1/articles/${'a'.repeat(601)}` })
  t.ok(tooLong.statusCode < 500 && tooLong.statusCode >= 400, `601 characters: ${tooLong.statusCode}`)
  const still = await app.inject({ url: '/v1/articles?count=true' })
  t.equal(json(still).meta.total, 1, 'the table is still there')
})

test('a broken percent-encoding in the path is a 400 problem, never a 500', async (t) => {
  const app = await build(t)
  for (const url of ['/v1/articles/%E0%A4%A', '/v1/articles/%', '/v1/articles/%ZZ/media']) {
    const res = await app.inject({ url })
    assertProblem(t, res, 400, url)
  }
})
