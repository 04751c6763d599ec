import { test } from 'tap'
import { build, bearer, json } from '../../../helper.ts'
import { createArticle } from '../../../factories.ts'

test('a read sends ETag (with the version), Last-Modified and public Cache-Control without a key', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const res = await app.inject({ url: `/v1/articles/${a.id}` })
  t.equal(res.statusCode, 200)
  t.match(res.headers.etag, /^"1-[0-9a-z]+"$/)
  t.equal(res.headers['last-modified'], 'Thu, 26 Nov 2026 12:00:00 GMT')
  t.match(res.headers['cache-control'], /^public\b/)
  t.match(res.headers.vary, /Authorization/i)
})

test('with a key the answer is private, no-store', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  for (const key of [app.editorKey, app.adminKey]) {
    const one = await app.inject({ url: `/v1/articles/${a.id}`, headers: bearer(key) })
    t.equal(one.statusCode, 200)
    t.equal(one.headers['cache-control'], 'private, no-store')
    t.match(one.headers.vary, /Authorization/i)
    const list = await app.inject({ url: '/v1/articles', headers: bearer(key) })
    t.equal(list.headers['cache-control'], 'private, no-store')
  }
  const list = await app.inject({ url: '/v1/articles' })
  t.match(list.headers['cache-control'], /^public\b/)
})

test('If-None-Match with the ETag answers 304 with an empty body; any other tag 200', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const first = await app.inject({ url: `/v1/articles/${a.id}` })
  const etag = first.headers.etag as string
  for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
    const res = await app.inject({ url: `/v1/articles/${a.id}`, headers: { 'if-none-match': inm } })
    t.equal(res.statusCode, 304, inm)
    t.equal(res.body, '', 'empty body')
    t.equal(res.headers.etag, etag)
    t.notOk(res.headers['content-length'] !== undefined && res.headers['content-length'] !== '0', 'no content length for a body')
  }
  for (const inm of ['"nope"', etag.slice(0, -2) + '"', '']) {
    const res = await app.inject({ url: `/v1/articles/${a.id}`, headers: { 'if-none-match': inm } })
    t.equal(res.statusCode, 200, `If-None-Match: ${inm}`)
    t.same(json(res), json(first))
  }
  // The same works on lists and for key holders.
  const list = await app.inject({ url: '/v1/articles' })
  const again = await app.inject({ url: '/v1/articles', headers: { 'if-none-match': list.headers.etag as string } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  const editor = await app.inject({ url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  const editorAgain = await app.inject({ url: `/v1/articles/${a.id}`, headers: { ...bearer(app.editorKey), 'if-none-match': editor.headers.etag as string } })
  t.equal(editorAgain.statusCode, 304)
})

test('a change gives a new ETag and Last-Modified; the old ETag no longer answers 304', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const first = await app.inject({ url: `/v1/articles/${a.id}` })
  app.now.ms += 90_000
  const patch = await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey), payload: { title: 'عنوان جديد' } })
  t.equal(patch.statusCode, 200)
  const second = await app.inject({ url: `/v1/articles/${a.id}`, headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(second.statusCode, 200)
  t.equal(json(second).title, 'عنوان جديد')
  t.not(second.headers.etag, first.headers.etag)
  t.match(second.headers.etag, /^"2-/)
  t.equal(second.headers['last-modified'], 'Thu, 26 Nov 2026 12:01:30 GMT')
  t.equal(new Date(second.headers['last-modified'] as string).getTime(), Math.floor(Date.parse(json(second).updatedAt) / 1000) * 1000)
})

test('a cached public answer is not served after a change, nor to a key holder', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'قبل' })
  const one = await app.inject({ url: `/v1/articles/${a.id}` })
  const two = await app.inject({ url: `/v1/articles/${a.id}` })
  t.same(json(two), json(one), 'the same answer twice')
  t.equal(two.headers.etag, one.headers.etag)
  await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey), payload: { title: 'بعد' } })
  t.equal(json(await app.inject({ url: `/v1/articles/${a.id}` })).title, 'بعد')
  const editor = await app.inject({ url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  t.equal(editor.headers['cache-control'], 'private, no-store')
  t.ok('trashedAt' in json(editor), 'the editor view, not the public one')
})

test('errors are not cached as public answers', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/articles/999' })
  t.equal(res.statusCode, 404)
  t.equal(res.headers['cache-control'], undefined)
  t.equal(res.headers.etag, undefined)
  await createArticle(app)
  await createArticle(app)
  const later = await app.inject({ url: '/v1/articles/2' })
  t.equal(later.statusCode, 200)
})

test('writes carry no public caching', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'x' } })
  t.equal(res.statusCode, 201)
  t.notMatch(String(res.headers['cache-control']), /public/)
})

test('a route\'s own Cache-Control and non-text answers are left alone', async (t) => {
  const app = await build(t)
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 200)
  t.equal(health.headers['cache-control'], 'no-store')
  t.match(health.headers.etag, /^"[0-9a-z]+"$/)
  const css = await app.inject({ url: '/docs/static/swagger-ui.css' })
  t.equal(css.statusCode, 200)
  t.notMatch(String(css.headers['cache-control']), /stale-while-revalidate|private/, 'the static server\'s own caching')
})

test('Swagger UI pages get a well-formed ETag and answer If-None-Match', async (t) => {
  const app = await build(t)
  const docs = await app.inject({ url: '/docs' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers.etag, /^"[0-9a-z]+"$/)
  t.notMatch(docs.headers.etag, /undefined/, 'no missing prefix in the ETag')
  const again = await app.inject({ url: '/docs', headers: { 'if-none-match': docs.headers.etag as string } })
  t.equal(again.statusCode, 304)
})
