import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { assertProblem, createArticle, createMedia, listAll, readArticle, snapshot } from '../../../factories.ts'

// The article endpoints that take a body, with a valid body for each.
async function bodyEndpoints (app: TestApp): Promise<Array<{ method: 'POST' | 'PATCH' | 'PUT', url: string, valid: unknown }>> {
  const a = await createArticle(app, { tags: ['دمشق'] })
  const image = await createMedia(app)
  return [
    { method: 'POST', url: '/v1/articles', valid: { title: 'خبر' } },
    { method: 'PATCH', url: `/v1/articles/${a.id}`, valid: { title: 'خبر' } },
    { method: 'PUT', url: `/v1/articles/${a.id}/media`, valid: [{ mediaId: image.id, role: 'featured' }] }
  ]
}

test('a body over 1 MiB is a 413 problem on every article endpoint, and changes nothing', async (t) => {
  const app = await build(t)
  const endpoints = await bodyEndpoints(app)
  const before = await snapshot(app)
  const big = 'خ'.repeat(600_000) // about 1.2 MB of UTF-8 in one JSON string
  for (const { method, url } of endpoints) {
    const payload = method === 'PUT' ? JSON.stringify([{ mediaId: 1, role: big }]) : JSON.stringify({ title: 'كبير', body: big })
    t.ok(Buffer.byteLength(payload) > 1024 * 1024)
    const res = await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': 'application/json' }, payload })
    const problem = assertProblem(t, res, 413, `${method} ${url}`)
    t.equal(problem.type, 'urn:khabar:problem:body-too-large')
  }
  const ascii = JSON.stringify({ title: 'x', body: 'x'.repeat(1_150_000) })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/articles', headers: { ...bearer(app.editorKey), 'content-type': 'application/json' }, payload: ascii }), 413)
  t.same(await snapshot(app), before)
})

test('a body just under 1 MiB but over the body field limit is a 400, not a 413', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'x', body: 'x'.repeat(950_000) } })
  t.equal(assertProblem(t, res, 400).errors[0].path, '/body/body')
})

test('a body that is not JSON is a 415 problem on every article endpoint', async (t) => {
  const app = await build(t)
  const endpoints = await bodyEndpoints(app)
  const before = await snapshot(app)
  for (const { method, url, valid } of endpoints) {
    for (const type of ['application/xml', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', 'image/png']) {
      const res = await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': type }, payload: JSON.stringify(valid) })
      const problem = assertProblem(t, res, 415, `${method} ${url} as ${type}`)
      t.equal(problem.type, 'urn:khabar:problem:unsupported-media-type')
    }
  }
  t.same(await snapshot(app), before)
})

test('a text/plain body is a 415 too: it is not JSON', async (t) => {
  const app = await build(t)
  const endpoints = await bodyEndpoints(app)
  const before = await snapshot(app)
  for (const { method, url, valid } of endpoints) {
    const res = await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': 'text/plain; charset=utf-8' }, payload: JSON.stringify(valid) })
    assertProblem(t, res, 415, `${method} ${url} as text/plain`)
  }
  t.same(await snapshot(app), before)
})

test('malformed JSON is a 400 problem on every article endpoint', async (t) => {
  const app = await build(t)
  const endpoints = await bodyEndpoints(app)
  const before = await snapshot(app)
  const broken = [
    '{"title":',
    '{title: "x"}',
    "{'title': 'x'}",
    '{"title": "x",}',
    '{"title": "x"} trailing',
    '[1, 2',
    'NaN',
    '\u0000',
    '{"title": "\\x41"}',
    '{"title": "\\ud800"',
    '',
    '{"title":"x","__proto__":{"admin":true}}',
    '{"title":"x","constructor":{"prototype":{"admin":true}}}'
  ]
  for (const { method, url } of endpoints) {
    for (const payload of broken) {
      const res = await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': 'application/json' }, payload })
      t.ok(res.statusCode < 500, `${method} ${url} ${JSON.stringify(payload)}`)
      assertProblem(t, res, 400, `${method} ${url} ${JSON.stringify(payload)}`)
    }
  }
  t.same(await snapshot(app), before)
  t.same(({} as any).admin, undefined, 'no prototype was polluted')
})

test('a missing body and deeply nested values are 400s', async (t) => {
  const app = await build(t)
  const endpoints = await bodyEndpoints(app)
  const before = await snapshot(app)
  for (const { method, url } of endpoints) {
    assertProblem(t, await app.inject({ method, url, headers: bearer(app.editorKey) }), 400, `${method} ${url} without a body`)
    const deep = '{"title":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'
    const res = await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': 'application/json' }, payload: deep })
    t.ok(res.statusCode < 500, `${method} ${url} deep: ${res.statusCode}`)
    assertProblem(t, res, 400)
  }
  t.same(await snapshot(app), before)
})

test('hostile strings in titles and bodies are stored as text, never run as SQL', async (t) => {
  const app = await build(t)
  const hostile = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM api_keys; --",
    '"a" OR b* NEAR(c d)',
    'title:x AND body:y',
    '<img src=x onerror=alert(1)>',
    '{{7*7}} $' + '{7*7} <%= 7*7 %>',
    '../../etc/passwd',
    '\\u0000 \\n \\"',
    'عنوان \u200F مع RLM و\u200C ZWNJ',
    'emoji 🇸🇾 📰 👨‍👩‍👧',
    'ﷲ ﻻ ﺩﻣﺸﻖ',
    'ق'.repeat(200)
  ]
  const made: Array<{ id: number, title: string }> = []
  for (const s of hostile) {
    const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: s, body: `<p>${s}</p>`, author: s, tags: [s.slice(0, 100)], status: 'published' } })
    t.equal(res.statusCode, 201, s.slice(0, 40))
    const a = json(res)
    t.equal(a.title, s, 'title kept exactly')
    t.equal(a.author, s, 'author kept exactly')
    made.push(a)
    const read = await readArticle(app, a.id)
    t.equal(read.title, s)
    const bySlug = await app.inject({ url: `/v1/articles/${encodeURIComponent(a.slug)}` })
    t.equal(json(bySlug).id, a.id, `found by its slug ${a.slug.slice(0, 30)}`)
    const byAuthor = json(await app.inject({ url: `/v1/articles?author=${encodeURIComponent(s)}` })).data
    t.same(byAuthor.map((x: { id: number }) => x.id), [a.id], 'the author filter matches exactly this one')
  }
  const all = await listAll(app, '/v1/articles?limit=5')
  t.equal(all.length, hostile.length, 'every article is still there')
  t.equal((await listAll(app, '/v1/tags')).length, hostile.length)
  t.equal((await app.inject({ url: '/v1/articles', headers: bearer(app.adminKey) })).statusCode, 200, 'the keys table is still there')
  // U+0000 is the one character refused: PostgreSQL cannot store it, and both engines take the same input.
  for (const field of ['title', 'body', 'author', 'tags']) {
    const before = await snapshot(app)
    const payload = { title: 'x', [field]: field === 'tags' ? ['a', 'x\u0000y'] : 'x\u0000y' }
    const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload })
    t.same(assertProblem(t, res, 400, `NUL in ${field}`).errors, [{ path: field === 'tags' ? '/body/tags/1' : `/body/${field}`, message: 'must not contain U+0000 (NUL)' }])
    t.same(await snapshot(app), before, `NUL in ${field} changed nothing`)
  }
  const patched = await app.inject({ method: 'PATCH', url: `/v1/articles/${made[0].id}`, headers: bearer(app.editorKey), payload: { title: hostile[1], subtitle: hostile[2] } })
  t.equal(patched.statusCode, 200)
  t.equal(json(patched).subtitle, hostile[2])
})

test('no article endpoint answers 500 to a battery of hostile requests', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const values = ["'", '"', '\\', '%00', '%25', '%', '*', '-1', '0', '1e400', 'NaN', 'null', 'undefined', '[]', '{}', '__proto__', 'constructor', '%E2%80%AE', 'ق'.repeat(300)]
  const urls: string[] = []
  for (const v of values) {
    urls.push(`/v1/articles/${v}`, `/v1/articles/${v}/media`, `/v1/articles?cursor=${v}`, `/v1/articles?limit=${v}`, `/v1/articles?category=${v}`, `/v1/articles/${a.id}?include=${v}`, `/v1/articles/${a.id}?fields=${v}`)
  }
  for (const url of urls) {
    for (const headers of [{}, bearer(app.editorKey)]) {
      const res = await app.inject({ url, headers })
      t.ok(res.statusCode < 500, `GET ${url.slice(0, 60)}: ${res.statusCode}`)
    }
    for (const method of ['PATCH', 'DELETE', 'PUT', 'POST'] as const) {
      const res = await app.inject({ method, url, headers: bearer(app.editorKey), payload: { title: 'x' } })
      t.ok(res.statusCode < 500, `${method} ${url.slice(0, 60)}: ${res.statusCode}`)
    }
  }
})
