import { test } from 'tap'
import { build, bearer, json } from '../../../helper.ts'
import { assertProblem, attachMedia, createArticle, createMedia, listAll, readArticle, snapshot } from '../../../factories.ts'

test('DELETE moves an article to the trash: 204, hidden from readers, kept for editors', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['دمشق'] })
  app.now.ms += 60_000
  const res = await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')

  t.equal((await app.inject({ url: `/v1/articles/${a.id}` })).statusCode, 404)
  t.equal((await app.inject({ url: `/v1/articles/${encodeURIComponent(a.slug)}` })).statusCode, 404)
  const trashed = await readArticle(app, a.id)
  t.match(trashed, { trashedAt: '2026-11-26T12:01:00.000Z', version: 2, title: a.title, tags: ['دمشق'] })
  t.same(json(await app.inject({ url: '/v1/articles?count=true' })).meta.total, 0)
  t.same((await listAll(app, '/v1/articles', bearer(app.editorKey))).map(x => x.id), [], 'not in the editors\' default list either')
  t.same((await listAll(app, '/v1/articles?status=trashed', bearer(app.editorKey))).map(x => x.id), [a.id])
})

test('DELETE of an article already in the trash is still 204 and changes nothing', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  const before = await snapshot(app)
  app.now.ms += 60_000
  const again = await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  t.equal(again.statusCode, 204)
  t.same(await snapshot(app), before)
})

test('restore brings it back as it was: 200 with the article, visible again', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['حلب'] })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  app.now.ms += 60_000
  const res = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/restore`, headers: bearer(app.editorKey) })
  t.equal(res.statusCode, 200)
  const restored = json(res)
  t.match(restored, { id: a.id, trashedAt: null, version: 3, status: 'published', publishedAt: a.publishedAt, slug: a.slug, tags: ['حلب'] })
  t.equal(restored.updatedAt, '2026-11-26T12:01:00.000Z')
  const anon = await app.inject({ url: `/v1/articles/${a.id}` })
  t.equal(anon.statusCode, 200)
  t.equal(json(await app.inject({ url: '/v1/articles?count=true' })).meta.total, 1)
})

test('restore of an article not in the trash is 409; of a missing one 404', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const before = await snapshot(app)
  const res = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/restore`, headers: bearer(app.editorKey) })
  assertProblem(t, res, 409)
  t.same(await snapshot(app), before)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/articles/999/restore', headers: bearer(app.editorKey) }), 404)
})

test('DELETE ?permanent=true: editor 403 (nothing deleted), admin 204, then 404 everywhere', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['دمشق'] })
  const image = await createMedia(app)
  await attachMedia(app, a.id, [{ mediaId: image.id, role: 'featured' }])
  const other = await createArticle(app, { tags: ['دمشق'] })
  const before = await snapshot(app)
  const forbidden = await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}?permanent=true`, headers: bearer(app.editorKey) })
  assertProblem(t, forbidden, 403)
  t.same(await snapshot(app), before, 'the editor deleted nothing, not even to the trash')

  const res = await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}?permanent=true`, headers: bearer(app.adminKey) })
  t.equal(res.statusCode, 204)
  for (const headers of [{}, bearer(app.editorKey), bearer(app.adminKey)]) {
    t.equal((await app.inject({ url: `/v1/articles/${a.id}`, headers })).statusCode, 404)
  }
  assertProblem(t, await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/restore`, headers: bearer(app.adminKey) }), 404)
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}?permanent=true`, headers: bearer(app.adminKey) }), 404)
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: bearer(app.adminKey) }), 404)
  t.same((await listAll(app, '/v1/articles?status=all', bearer(app.adminKey))).map(x => x.id), [other.id])
  // The media item and the tag outlive the article.
  t.equal((await app.inject({ url: `/v1/media/${image.id}` })).statusCode, 200)
  const tag = (await listAll(app, '/v1/tags')).find(x => x.name === 'دمشق')
  t.equal(tag.articleCount, 1)
  // The slug is free again.
  const again = await createArticle(app, { title: a.title })
  t.equal(again.slug, a.slug)
})

test('a trashed article can be deleted for good; permanent=false just trashes', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const b = await createArticle(app)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}`, headers: bearer(app.adminKey) })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}?permanent=true`, headers: bearer(app.adminKey) })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/articles/${a.id}`, headers: bearer(app.adminKey) })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${b.id}?permanent=false`, headers: bearer(app.editorKey) })).statusCode, 204)
  t.not((await readArticle(app, b.id)).trashedAt, null)
})

test('DELETE and restore: bad ids and query are 400 or 404, never 500; missing articles 404', async (t) => {
  const app = await build(t)
  await createArticle(app)
  const before = await snapshot(app)
  assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/articles/999', headers: bearer(app.editorKey) }), 404)
  for (const id of ['0', '-1', '99999999999999999999', 'abc', encodeURIComponent('1 OR 1=1'), '1x']) {
    for (const url of [`/v1/articles/${id}`, `/v1/articles/${id}/restore`]) {
      const res = await app.inject({ method: url.endsWith('restore') ? 'POST' : 'DELETE', url, headers: bearer(app.adminKey) })
      t.ok(res.statusCode < 500, `${url}: ${res.statusCode}`)
      t.ok([400, 404].includes(res.statusCode), `${url}: ${res.statusCode}`)
      assertProblem(t, res, res.statusCode)
    }
  }
  for (const query of ['permanent=yes', 'permanent=', 'force=true', 'permanent=true&permanent=false']) {
    const res = await app.inject({ method: 'DELETE', url: `/v1/articles/1?${query}`, headers: bearer(app.adminKey) })
    t.ok(res.statusCode < 500, query)
    assertProblem(t, res, 400, query)
  }
  t.same(await snapshot(app), before)
})
