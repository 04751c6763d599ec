import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { createArticle, createCategory, createTag } from '../../../factories.ts'

const patch = async (app: TestApp, id: number, payload: object, headers: Record<string, string> = {}): Promise<any> =>
  await app.inject({ method: 'PATCH', url: `/v1/articles/${id}`, headers: { ...bearer(app.editorKey), ...headers }, payload })
const get = async (app: TestApp, url: string, key?: string): Promise<any> =>
  await app.inject({ url, headers: bearer(key ?? app.editorKey) })

test('every change keeps the version it replaces, whole; newest first; restorable as a new version', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const cat = await createCategory(app)
  const a = await createArticle(app, { title: 'النسخة الأولى', body: '<p>نص أول</p>', tags: ['أ', 'ب'], categoryId: cat.id, source: { name: 'وكالة' } })
  await patch(app, a.id, { title: 'النسخة الثانية', tags: ['ج'] })
  await patch(app, a.id, { body: '<p>نص ثالث</p>', breaking: true })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: h })
  await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/restore`, headers: h })
  const list = json(await get(app, `/v1/articles/${a.id}/revisions`))
  t.same(list.data.map((r: any) => r.revision), [4, 3, 2, 1], 'one per change: PATCH, PATCH, trash, restore')
  t.same(list.data.map((r: any) => r.title), ['النسخة الثانية', 'النسخة الثانية', 'النسخة الثانية', 'النسخة الأولى'])
  const first = json(await get(app, `/v1/articles/${a.id}/revisions/1`))
  t.match(first, {
    revision: 1,
    title: 'النسخة الأولى',
    article: { title: 'النسخة الأولى', body: '<p>نص أول</p>', tags: ['أ', 'ب'], categoryId: cat.id, source: { name: 'وكالة', url: null }, breaking: false, status: 'published' }
  })

  const restored = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/revisions/1/restore`, headers: h })
  t.equal(restored.statusCode, 200)
  t.match(json(restored), { title: 'النسخة الأولى', body: '<p>نص أول</p>', tags: ['أ', 'ب'], breaking: false, version: 6 })
  t.equal(json(await get(app, `/v1/articles/${a.id}/revisions`)).data[0].revision, 5, 'the restore kept the state it replaced, so it can be undone')
  const undo = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/revisions/5/restore`, headers: h })
  t.match(json(undo), { title: 'النسخة الثانية', body: '<p>نص ثالث</p>', breaking: true, tags: ['ج'] })
  const noop = await patch(app, a.id, { title: 'النسخة الثانية' })
  t.equal(json(noop).version, json(undo).version, 'a change that changes nothing keeps no revision')
  t.equal(json(await get(app, `/v1/articles/${a.id}/revisions`)).data.length, 6)
})

test('restoring: stale If-Match is a 412; a slug now held elsewhere and a deleted category are left as they are', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const cat = await createCategory(app)
  const a = await createArticle(app, { title: 'أصل', slug: 'asl', categoryId: cat.id, externalId: 'wp-1' })
  await patch(app, a.id, { slug: 'jadid', categoryId: null, externalId: 'wp-2' })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}/slugs/asl`, headers: h })
  const other = await createArticle(app, { title: 'آخر', slug: 'asl', externalId: 'wp-1' })
  await app.inject({ method: 'DELETE', url: `/v1/categories/${cat.id}`, headers: h })
  t.equal((await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/revisions/1/restore`, headers: { ...h, 'if-match': '"1"' } })).statusCode, 412)
  const res = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/revisions/1/restore`, headers: { ...h, 'if-match': '"2"' } })
  t.equal(res.statusCode, 200)
  t.match(json(res), { title: 'أصل', slug: 'jadid', categoryId: null, externalId: 'wp-2' })
  t.equal(json(await app.inject(`/v1/articles/${other.id}`)).slug, 'asl')
})

test('revisions are bounded by REVISIONS_KEEP, the oldest dropped first', async (t) => {
  const app = await build(t, { REVISIONS_KEEP: '3' })
  const a = await createArticle(app, { title: 'عنوان 0' })
  for (let i = 1; i <= 6; i++) await patch(app, a.id, { title: `عنوان ${i}` })
  const list = json(await get(app, `/v1/articles/${a.id}/revisions`))
  t.same(list.data.map((r: any) => r.revision), [6, 5, 4])
  t.equal((await get(app, `/v1/articles/${a.id}/revisions/1`)).statusCode, 404, 'a dropped revision is gone')
})

test('revisions: pagination, access and bad input', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  for (let i = 1; i <= 5; i++) await patch(app, a.id, { title: `عنوان ${i}` })
  const page1 = await get(app, `/v1/articles/${a.id}/revisions?limit=2`)
  t.same(json(page1).data.map((r: any) => r.revision), [5, 4])
  t.match(page1.headers.link, /rel="next"/)
  const page2 = json(await get(app, `/v1/articles/${a.id}/revisions?limit=2&cursor=${json(page1).meta.nextCursor}`))
  t.same(page2.data.map((r: any) => r.revision), [3, 2])
  const page3 = json(await get(app, `/v1/articles/${a.id}/revisions?limit=2&cursor=${page2.meta.nextCursor}`))
  t.same(page3.data.map((r: any) => r.revision), [1])
  t.equal(page3.meta.nextCursor, null)
  t.equal((await app.inject(`/v1/articles/${a.id}/revisions`)).statusCode, 401, 'readers have no access')
  t.equal((await app.inject(`/v1/articles/${a.id}/revisions/1`)).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/revisions/1/restore` })).statusCode, 401)
  for (const url of [`/v1/articles/${a.id}/revisions/0`, `/v1/articles/${a.id}/revisions/abc`, `/v1/articles/${a.id}/revisions?cursor=xyz`, `/v1/articles/${a.id}/revisions?limit=0`]) {
    const res = await get(app, url)
    t.equal(res.statusCode, 400, url)
    t.match(res.headers['content-type'], /problem\+json/)
  }
  t.equal((await get(app, '/v1/articles/999/revisions')).statusCode, 404)
  t.equal((await get(app, `/v1/articles/${a.id}/revisions/99`)).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/v1/articles/999/revisions/1/restore', headers: bearer(app.editorKey) })).statusCode, 404)
})

test('slug history: old slugs answer 301 (articles, categories, tags), stay reserved until freed', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const a = await createArticle(app, { title: 'خبر عاجل من حلب' })
  const oldSlug = a.slug
  await patch(app, a.id, { slug: 'halab-news' })
  const moved = await app.inject(`/v1/articles/${encodeURIComponent(oldSlug)}/related?limit=2`)
  t.equal(moved.statusCode, 301)
  t.equal(moved.headers.location, '/v1/articles/halab-news/related?limit=2', 'the same request at the current slug, query kept')
  t.equal(moved.body, '', 'a plain redirect: no problem body')
  t.equal((await app.inject(`/v1/articles/${oldSlug}`)).statusCode, 301, 'raw slug too')
  t.equal((await app.inject(`/v1/articles/${a.id}`)).statusCode, 200)

  const taken = await app.inject({ method: 'POST', url: '/v1/articles', headers: h, payload: { title: 'آخر', slug: oldSlug } })
  t.equal(taken.statusCode, 409, 'an old slug is reserved')
  const generated = json(await app.inject({ method: 'POST', url: '/v1/articles', headers: h, payload: { title: 'خبر عاجل من حلب' } }))
  t.equal(generated.slug, `${oldSlug}-2`, 'a generated slug steps around it')

  const history = json(await get(app, `/v1/articles/${a.id}/slugs`))
  t.same(history.data.map((s: any) => s.slug), [oldSlug])
  await patch(app, a.id, { slug: oldSlug })
  t.same(json(await get(app, `/v1/articles/${a.id}/slugs`)).data.map((s: any) => s.slug), ['halab-news'], 'taking an old slug back makes it current again')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}/slugs/halab-news`, headers: h })).statusCode, 204)
  t.equal((await app.inject('/v1/articles/halab-news')).statusCode, 404, 'a freed slug leads nowhere')
  t.equal(json(await app.inject({ method: 'POST', url: '/v1/articles', headers: h, payload: { title: 'ثالث', slug: 'halab-news' } })).slug, 'halab-news', 'and may be taken')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}/slugs/halab-news`, headers: h })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/articles/999/slugs/x', headers: h })).statusCode, 404)
  t.equal((await app.inject({ url: `/v1/articles/${a.id}/slugs` })).statusCode, 401)

  const draft = await createArticle(app, { title: 'مسودة', slug: 'draft-old', status: 'draft' })
  await patch(app, draft.id, { slug: 'draft-new' })
  t.equal((await app.inject('/v1/articles/draft-old')).statusCode, 404, 'an old slug of a hidden article reveals nothing')
  t.equal((await get(app, '/v1/articles/draft-old')).statusCode, 301, 'editors follow it')
  await app.inject({ method: 'DELETE', url: `/v1/articles/${draft.id}?permanent=true`, headers: bearer(app.adminKey) })
  t.equal((await get(app, '/v1/articles/draft-old')).statusCode, 404, 'deleting for good frees its old slugs')

  const cat = await createCategory(app, { name: 'سياسة' })
  await app.inject({ method: 'PATCH', url: `/v1/categories/${cat.id}`, headers: h, payload: { slug: 'politics' } })
  const catMoved = await app.inject(`/v1/categories/${encodeURIComponent('سياسة')}`)
  t.equal(catMoved.statusCode, 301)
  t.equal(catMoved.headers.location, '/v1/categories/politics')
  t.equal((await app.inject({ method: 'POST', url: '/v1/categories', headers: h, payload: { name: 'أخرى', slug: 'سياسة' } })).statusCode, 409)
  t.same(json(await get(app, `/v1/categories/${cat.id}/slugs`)).data.map((s: any) => s.slug), ['سياسة'])
  await app.inject({ method: 'DELETE', url: `/v1/categories/${cat.id}`, headers: h })
  t.equal((await app.inject(`/v1/categories/${encodeURIComponent('سياسة')}`)).statusCode, 404)
  t.equal((await get(app, `/v1/categories/${cat.id}/slugs`)).statusCode, 404)

  const tag = await createTag(app, { name: 'دمشق' })
  await app.inject({ method: 'PATCH', url: `/v1/tags/${tag.id}`, headers: h, payload: { slug: 'damascus' } })
  t.equal((await app.inject(`/v1/tags/${encodeURIComponent('دمشق')}`)).headers.location, '/v1/tags/damascus')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/tags/${tag.id}/slugs/${encodeURIComponent('دمشق')}`, headers: h })).statusCode, 204)
  t.equal((await app.inject('/v1/tags/no-such-tag')).statusCode, 404)
  await app.inject({ method: 'DELETE', url: `/v1/tags/${tag.id}`, headers: h })
  t.equal((await app.inject('/v1/tags/damascus')).statusCode, 404)
})
