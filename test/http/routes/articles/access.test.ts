import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { BAD_AUTH, assertNeedsKey, assertProblem, createArticle, createMedia, snapshot, type Call } from '../../../factories.ts'

async function writes (app: TestApp): Promise<Call[]> {
  const a = await createArticle(app)
  const trashed = await createArticle(app)
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })
  const image = await createMedia(app)
  return [
    { method: 'POST', url: '/v1/articles', payload: { title: 'بلا مفتاح' } },
    { method: 'PATCH', url: `/v1/articles/${a.id}`, payload: { title: 'بلا مفتاح' } },
    { method: 'DELETE', url: `/v1/articles/${a.id}` },
    { method: 'DELETE', url: `/v1/articles/${a.id}?permanent=true` },
    { method: 'POST', url: `/v1/articles/${trashed.id}/restore` },
    { method: 'PUT', url: `/v1/articles/${a.id}/media`, payload: [{ mediaId: image.id, role: 'featured' }] }
  ]
}

test('every article write without a valid key is a 401 problem and changes nothing', async (t) => {
  const app = await build(t)
  const calls = await writes(app)
  const before = await snapshot(app)
  for (const call of calls) await assertNeedsKey(t, app, call)
  t.same(await snapshot(app), before)
})

test('a wrong or malformed key on a read is a 401 too, never silently anonymous', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  for (const url of ['/v1/articles', `/v1/articles/${a.id}`, `/v1/articles/${a.id}/media`]) {
    for (const [label, headers] of BAD_AUTH.slice(1)) {
      if (label === 'an empty header') continue
      const res = await app.inject({ url, headers })
      assertProblem(t, res, 401, `GET ${url} with ${label}`)
    }
    t.equal((await app.inject({ url })).statusCode, 200, `GET ${url} without a key`)
  }
})

test('a revoked key is refused at once', async (t) => {
  const app = await build(t)
  const created = await app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(app.adminKey), payload: { name: 'محرر مؤقت', role: 'editor' } })
  t.equal(created.statusCode, 201)
  const { id, key } = json(created)
  const ok = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(key), payload: { title: 'قبل الإلغاء' } })
  t.equal(ok.statusCode, 201)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/keys/${id}`, headers: bearer(app.adminKey) })).statusCode, 204)
  const before = await snapshot(app)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(key), payload: { title: 'بعد الإلغاء' } }), 401)
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/articles/${json(ok).id}`, headers: bearer(key), payload: { title: 'x' } }), 401)
  assertProblem(t, await app.inject({ url: `/v1/articles/${json(ok).id}`, headers: bearer(key) }), 401)
  t.same(await snapshot(app), before)
})

test('the editor key may do every article write except permanent deletion', async (t) => {
  const app = await build(t)
  const editor = bearer(app.editorKey)
  const created = await app.inject({ method: 'POST', url: '/v1/articles', headers: editor, payload: { title: 'من المحرر', status: 'published' } })
  t.equal(created.statusCode, 201)
  const id = json(created).id
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/articles/${id}`, headers: editor, payload: { subtitle: 'تعديل' } })).statusCode, 200)
  const image = await createMedia(app)
  t.equal((await app.inject({ method: 'PUT', url: `/v1/articles/${id}/media`, headers: editor, payload: [{ mediaId: image.id, role: 'featured' }] })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${id}`, headers: editor })).statusCode, 204)
  t.equal((await app.inject({ method: 'POST', url: `/v1/articles/${id}/restore`, headers: editor })).statusCode, 200)
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/${id}?permanent=true`, headers: editor }), 403)
  // The scheme is case-insensitive.
  const lower = await app.inject({ method: 'PATCH', url: `/v1/articles/${id}`, headers: { authorization: `bearer ${app.editorKey}` }, payload: { subtitle: 'مرة أخرى' } })
  t.equal(lower.statusCode, 200)
})

test('authentication comes before validation: a bad body without a key is 401, not 400', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/articles', payload: { title: 5 } }), 401)
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, payload: { nope: 1 } }), 401)
  assertProblem(t, await app.inject({ method: 'PATCH', url: '/v1/articles/abc', payload: {} }), 401)
  assertProblem(t, await app.inject({ method: 'PUT', url: `/v1/articles/${a.id}/media`, payload: { x: 1 } }), 401)
})
