import { test } from 'tap'
import { build, bearer, json, queryElsewhere, type TestApp } from '../helper.ts'
import { createArticle, createCategory, createMedia, createTag } from '../factories.ts'

const publicGet = async (app: TestApp, url: string): Promise<{ status: number, body: any, fromCache: boolean, headers: Record<string, unknown> }> => {
  const res = await app.inject(url)
  return { status: res.statusCode, body: res.body === '' ? null : json(res), fromCache: false, headers: res.headers }
}

test('public reads are cached, and every write path shows on the next read', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const category = await createCategory(app)
  const a = await createArticle(app, { categoryId: category.id })
  const url = `/v1/articles/${a.id}`
  const listUrl = `/v1/articles?category=${category.id}`

  const first = await publicGet(app, url)
  const again = await app.inject(url)
  t.equal(again.body, JSON.stringify(first.body), 'the second read replays the same bytes')
  t.equal(again.headers.etag, first.headers.etag)
  t.match(again.headers['cache-control'], /^public/)
  t.equal(again.headers['content-type'], 'application/json; charset=utf-8')
  t.equal((await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304, 'a cached entry answers If-None-Match too')
  await publicGet(app, listUrl)

  await app.inject({ method: 'PATCH', url, headers: h, payload: { title: 'عنوان جديد' } })
  t.equal((await publicGet(app, url)).body.title, 'عنوان جديد', 'PATCH')
  t.equal((await publicGet(app, listUrl)).body.data[0].title, 'عنوان جديد', 'PATCH shows in cached lists')

  const media = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  await app.inject({ method: 'PUT', url: `${url}/media`, headers: h, payload: [{ mediaId: media.id, role: 'featured' }] })
  t.equal((await publicGet(app, url)).body.hasVideo, true, 'media attach')
  t.equal((await publicGet(app, `${url}/media`)).body.data.length, 1)

  await app.inject({ method: 'DELETE', url, headers: h })
  t.equal((await publicGet(app, url)).status, 404, 'trash')
  t.same((await publicGet(app, listUrl)).body.data, [], 'trash empties the cached list')

  await app.inject({ method: 'POST', url: `${url}/restore`, headers: h })
  t.equal((await publicGet(app, url)).status, 200, 'restore')

  await app.inject({ method: 'PATCH', url, headers: h, payload: { status: 'draft' } })
  t.equal((await publicGet(app, url)).status, 404, 'unpublish')
  await app.inject({ method: 'PATCH', url, headers: h, payload: { status: 'published' } })
  t.equal((await publicGet(app, url)).status, 200, 'publish')

  await app.inject({ method: 'PATCH', url: `/v1/categories/${category.id}`, headers: h, payload: { name: 'اسم آخر' } })
  t.equal((await publicGet(app, `${url}?include=category`)).body.category.name, 'اسم آخر', 'category rename')

  await app.inject({ method: 'POST', url: `${url}/views`, remoteAddress: '198.51.100.1' })
  await app.services.views.flush()
  t.equal((await publicGet(app, url)).body.views, 1, 'a view flush')

  await app.inject({ method: 'DELETE', url: `${url}?permanent=true`, headers: bearer(app.adminKey) })
  t.equal((await publicGet(app, url)).status, 404, 'permanent delete')
})

test('a write from another process (the CLI, another server) shows on the next read', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  await publicGet(app, `/v1/articles/${a.id}`)
  await queryElsewhere(app, "UPDATE articles SET title = 'من عملية أخرى' WHERE id = ?", a.id)
  // SQLite sees another connection's commit at once (PRAGMA data_version); PostgreSQL's
  // notification takes a moment to arrive: within a second, the contract says (the loop
  // ends at once on SQLite).
  const deadline = Date.now() + 1000
  let title = (await publicGet(app, `/v1/articles/${a.id}`)).body.title
  while (title !== 'من عملية أخرى' && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 5))
    title = (await publicGet(app, `/v1/articles/${a.id}`)).body.title
  }
  t.equal(title, 'من عملية أخرى')
})

test('a key-holder is never served the public cache, and the public never sees a draft', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const a = await createArticle(app)
  const url = `/v1/articles/${a.id}`
  await publicGet(app, url)
  await publicGet(app, url)
  const editorRead = await app.inject({ url, headers: h })
  t.equal(editorRead.headers['cache-control'], 'private, no-store')
  t.ok('trashedAt' in json(editorRead), 'the editor gets the editor representation, not the cached public one')

  const draft = await createArticle(app, { status: 'draft' })
  const draftUrl = `/v1/articles/${draft.id}`
  t.equal((await app.inject({ url: draftUrl, headers: h })).statusCode, 200, 'the editor reads the draft')
  t.equal((await publicGet(app, draftUrl)).status, 404, 'the public does not, even right after')
  t.equal((await publicGet(app, '/v1/articles?status=all')).status, 401)
  const editorList = json(await app.inject({ url: '/v1/articles', headers: h }))
  t.equal(editorList.data.length, 2)
  t.equal((await publicGet(app, '/v1/articles')).body.data.length, 1, 'the public list is not the editor\'s')
})

test('a scheduled article appears by itself when its time comes, cached lists included', async (t) => {
  const app = await build(t)
  const published = await createArticle(app)
  const scheduled = await createArticle(app, { publishedAt: '2026-11-26T12:30:00.000Z' })
  const ids = async (): Promise<number[]> => (await publicGet(app, '/v1/articles')).body.data.map((x: any) => x.id)
  t.same(await ids(), [published.id])
  t.same(await ids(), [published.id], 'cached')
  t.equal((await publicGet(app, `/v1/articles/${scheduled.id}`)).status, 404)
  app.now.ms = Date.parse('2026-11-26T12:30:00.000Z')
  t.same(await ids(), [scheduled.id, published.id], 'no write happened, yet the cached list is renewed at the scheduled time')
  t.equal((await publicGet(app, `/v1/articles/${scheduled.id}`)).status, 200)
})

test('an answer made again after a write, unchanged, is still a 304 to the ETag the client holds', async (t) => {
  const app = await build(t)
  await createTag(app, { name: 'حلب' })
  const first = await app.inject('/v1/tags')
  const etag = first.headers.etag as string
  // A write elsewhere ends every cached entry; /v1/tags is made again, the same.
  await createArticle(app, { status: 'draft' })
  const again = await app.inject({ url: '/v1/tags', headers: { 'if-none-match': etag, 'accept-encoding': 'br' } })
  t.equal(again.statusCode, 304)
  t.equal(again.rawPayload.length, 0)
  t.equal(again.headers.etag, etag)
})
