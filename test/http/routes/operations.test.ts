import { test } from 'tap'
import { bearer, build, closeDatabase, json } from '../../helper.ts'

const PROBLEM = /^application\/problem\+json/

test('GET /health answers 200 {status: ok}, never cached', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(json(res), { status: 'ok' })
  t.equal(res.headers['cache-control'], 'no-store')
  const head = await app.inject({ method: 'HEAD', url: '/health' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
})

test('GET /ready answers 200 while the database answers', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 200)
  t.same(json(res), { status: 'ok' })
  t.equal(res.headers['cache-control'], 'no-store')
  // A key makes no difference.
  t.equal((await app.inject({ method: 'GET', url: '/ready', headers: bearer(app.editorKey) })).statusCode, 200)
})

test('GET /ready answers 503 once the database is closed; /health still 200', async (t) => {
  const app = await build(t)
  await closeDatabase(app)
  const res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], PROBLEM)
  t.equal(res.headers['cache-control'], 'no-store')
  const problem = json(res)
  t.match(problem, {
    type: 'urn:khabar:problem:not-ready',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The database does not answer'
  })
  t.same(Object.keys(problem).filter(k => !['type', 'title', 'status', 'detail', 'instance'].includes(k)), [], 'only problem fields')
  t.notMatch(res.body, /connection is not open|at .*\.(ts|js):\d+/, 'no driver message nor stack')

  const health = await app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 200, 'the process still runs')
  t.same(json(health), { status: 'ok' })
})

test('unknown routes are 404 problems', async (t) => {
  const app = await build(t)
  for (const [method, url] of [['GET', '/nothing-here'], ['GET', '/v1/nothing?x=1'], ['POST', '/health'], ['DELETE', '/v1/keys'], ['GET', '/v2/articles']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.match(res.headers['content-type'], PROBLEM, `${method} ${url}`)
    const path = url.split('?')[0]
    t.same(json(res), {
      type: 'urn:khabar:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: `There is no ${method} ${path}`,
      instance: url
    }, `${method} ${url}`)
  }
})

test('paths the router cannot take are client errors, as problems', async (t) => {
  const app = await build(t)
  const malformed = await app.inject({ method: 'GET', url: '/v1/articles/%E0%A4%A' })
  t.equal(malformed.statusCode, 400, 'a malformed percent-encoding')
  t.match(malformed.headers['content-type'], PROBLEM)
  t.match(json(malformed), { type: 'urn:khabar:problem:bad-request', status: 400 })

  const long = await app.inject({ method: 'GET', url: `/v1/articles/${'a'.repeat(700)}` })
  t.equal(long.statusCode, 414, 'a path segment over the router\'s limit')
  t.match(long.headers['content-type'], PROBLEM)
  t.match(json(long), { type: 'urn:khabar:problem:uri-too-long', status: 414 })
})

test('an Arabic path that does not exist is a 404, not an error', async (t) => {
  const app = await build(t)
  const url = `/${encodeURIComponent('أخبار')}`
  const res = await app.inject({ method: 'GET', url })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], PROBLEM)
  t.equal(json(res).instance, url)
})

test('the OpenAPI document and Swagger UI are served', async (t) => {
  const app = await build(t)
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(doc.statusCode, 200)
  t.match(doc.headers['content-type'], /^application\/json/)
  const openapi = json(doc)
  t.equal(openapi.openapi, '3.1.0')
  t.same(openapi.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: 'An API key (khb_...)' })
  t.ok(openapi.paths['/health'].get, '/health is documented')
  t.ok(openapi.paths['/ready'].get.responses['503'], '/ready documents its 503')
  t.ok(openapi.paths['/v1/keys'].post, 'keys are documented')
  t.same(openapi.paths['/v1/keys'].post.security, [{ bearerAuth: [] }])
  t.notOk(openapi.paths['/openapi.json'], 'the document does not list itself')
  // Every tag an operation uses is declared, with a description, for Swagger UI's grouping.
  const declared = new Map(openapi.tags.map((tag: { name: string, description: string }) => [tag.name, tag.description]))
  t.ok(declared.has('keys') && declared.has('operations'))
  for (const [path, item] of Object.entries<Record<string, { tags?: string[] }>>(openapi.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const tag of operation.tags ?? []) t.ok(declared.get(tag), `${method} ${path}: tag ${tag} is declared`)
    }
  }

  const ui = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /^text\/html/)
  t.match(ui.body, /swagger-ui/)

  const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
  t.equal(initializer.statusCode, 200)
  t.match(initializer.body, /persistAuthorization/)
  for (const asset of ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui.css', 'index.css']) {
    const res = await app.inject({ method: 'GET', url: `/docs/static/${asset}` })
    t.equal(res.statusCode, 200, asset)
  }
  const json_ = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(json_.statusCode, 200, 'Swagger UI\'s own copy of the document')
  t.same(json(json_).paths['/health'], openapi.paths['/health'])
})

test('Swagger UI is served with a strict CSP that still works over plain http', async (t) => {
  const app = await build(t)
  for (const url of ['/docs', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js']) {
    const res = await app.inject({ method: 'GET', url })
    const csp = String(res.headers['content-security-policy'])
    const directives = new Map(csp.split(';').map(d => d.trim()).filter(Boolean).map(d => {
      const [name, ...values] = d.split(/\s+/)
      return [name, values]
    }))
    t.same(directives.get('default-src'), ["'self'"], `${url}: default-src 'self'`)
    t.same(directives.get('script-src'), ["'self'"], `${url}: no inline or remote scripts`)
    t.same(directives.get('object-src'), ["'none'"], url)
    t.same(directives.get('frame-ancestors'), ["'self'"], url)
    t.notOk(directives.has('upgrade-insecure-requests'), `${url}: no upgrade to https, which breaks the UI on a plain-http server`)
    t.notOk(csp.includes("'unsafe-inline'") || csp.includes("'unsafe-eval'"), `${url}: nothing unsafe`)
  }
  const api = await app.inject({ method: 'GET', url: '/v1/articles' })
  t.equal(api.headers['content-security-policy'], "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    'the UI\'s policy is the UI\'s; the API has its own, stricter one (helmet.ts)')
})

test('every route answers errors as problem+json', async (t) => {
  const app = await build(t)
  for (const url of ['/openapi.json', '/docs', '/docs/static/swagger-ui.css']) {
    const res = await app.inject({ method: 'GET', url, headers: bearer('khb_wrong-key-000000000000000000') })
    t.equal(res.statusCode, 401, url)
    t.match(res.headers['content-type'], PROBLEM, `${url}: problem+json`)
  }
})

test('Swagger UI routes see the request and reply decorators', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(res.statusCode, 200)
  t.notMatch(String(res.headers.etag), /undefined/, 'the ETag has no "undefined" prefix')
  t.not(res.headers['cache-control'], 'private, no-store', 'an anonymous request is not treated as keyed')
})
