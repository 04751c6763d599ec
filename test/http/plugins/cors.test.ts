import { test } from 'tap'
import { bearer, build, json } from '../../helper.ts'

const ALLOWED = 'https://a.example'
const ALSO_ALLOWED = 'https://b.example'
const EVIL = 'https://evil.example'

function preflight (origin: string, method = 'POST', headers = 'authorization,content-type') {
  return {
    method: 'OPTIONS' as const,
    url: '/v1/articles',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers }
  }
}

test('without CORS_ORIGINS no origin gets cross-origin access', async (t) => {
  const app = await build(t)
  for (const origin of [ALLOWED, EVIL, 'null']) {
    const res = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin } })
    t.equal(res.statusCode, 200, `${origin}: the request itself is served`)
    t.equal(res.headers['access-control-allow-origin'], undefined, `${origin}: no Access-Control-Allow-Origin`)
    t.equal(res.headers['access-control-allow-credentials'], undefined)

    const pre = await app.inject(preflight(origin))
    t.equal(pre.headers['access-control-allow-origin'], undefined, `${origin}: preflight not allowed`)
    t.equal(pre.headers['access-control-allow-methods'], undefined, `${origin}: no methods offered`)
  }
})

test('CORS_ORIGINS allows exactly the listed origins', async (t) => {
  const app = await build(t, { CORS_ORIGINS: `${ALLOWED}, ${ALSO_ALLOWED}` })

  for (const origin of [ALLOWED, ALSO_ALLOWED]) {
    const pre = await app.inject(preflight(origin))
    t.equal(pre.statusCode, 204, `${origin}: preflight answered`)
    t.equal(pre.headers['access-control-allow-origin'], origin, `${origin}: allowed`)
    t.match(pre.headers.vary, /Origin/i)
    const methods = String(pre.headers['access-control-allow-methods']).split(',').map(s => s.trim())
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) t.ok(methods.includes(method), `${origin}: ${method} allowed`)
    const headers = String(pre.headers['access-control-allow-headers']).toLowerCase().split(',').map(s => s.trim())
    for (const header of ['authorization', 'content-type', 'if-match', 'if-none-match']) t.ok(headers.includes(header), `${origin}: ${header} allowed`)
  }

  for (const origin of [EVIL, 'https://a.example.evil.example', 'http://a.example', 'https://a.example:8443', 'null']) {
    const pre = await app.inject(preflight(origin))
    t.equal(pre.headers['access-control-allow-origin'], undefined, `${origin}: preflight refused`)
    const res = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin } })
    t.equal(res.headers['access-control-allow-origin'], undefined, `${origin}: no Access-Control-Allow-Origin on a read`)
  }
})

test('an allowed origin reads the response headers it needs', async (t) => {
  const app = await build(t, { CORS_ORIGINS: ALLOWED })
  const created = await app.inject({
    method: 'POST',
    url: '/v1/articles',
    headers: { ...bearer(app.editorKey), origin: ALLOWED },
    payload: { title: 'خبر عاجل', status: 'published' }
  })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['access-control-allow-origin'], ALLOWED)
  const exposed = String(created.headers['access-control-expose-headers']).toLowerCase().split(',').map(s => s.trim())
  for (const header of ['etag', 'link', 'location', 'last-modified']) t.ok(exposed.includes(header), `${header} exposed`)

  const read = await app.inject({ method: 'GET', url: `/v1/articles/${json(created).id}`, headers: { origin: ALLOWED } })
  t.equal(read.statusCode, 200)
  t.equal(read.headers['access-control-allow-origin'], ALLOWED)
  t.ok(read.headers.etag)
})

test('errors to an allowed origin carry CORS headers, so the browser can read them', async (t) => {
  const app = await build(t, { CORS_ORIGINS: ALLOWED })
  const unauthorized = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: ALLOWED, ...bearer('khb_wrong-key-000000000000000000') } })
  t.equal(unauthorized.statusCode, 401)
  t.equal(unauthorized.headers['access-control-allow-origin'], ALLOWED, '401')

  const missing = await app.inject({ method: 'GET', url: '/nothing', headers: { origin: ALLOWED } })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['access-control-allow-origin'], ALLOWED, '404')

  const invalid = await app.inject({ method: 'POST', url: '/v1/keys', headers: { origin: ALLOWED, ...bearer(app.adminKey) }, payload: { name: 'x', role: 'root' } })
  t.equal(invalid.statusCode, 400)
  t.equal(invalid.headers['access-control-allow-origin'], ALLOWED, '400')
})

test('answers that depend on Origin say Vary: Origin, also when replayed from the response cache', async (t) => {
  const app = await build(t, { CORS_ORIGINS: `${ALLOWED},${ALSO_ALLOWED}` })
  const seen: string[] = []
  for (const origin of [ALLOWED, ALSO_ALLOWED, undefined, ALLOWED, EVIL, ALSO_ALLOWED]) {
    const res = await app.inject({ method: 'GET', url: '/v1/articles?limit=5', headers: origin === undefined ? {} : { origin } })
    t.equal(res.statusCode, 200)
    const allowed = origin === ALLOWED || origin === ALSO_ALLOWED ? origin : undefined
    t.equal(res.headers['access-control-allow-origin'], allowed, `${origin ?? 'no origin'}: its own Access-Control-Allow-Origin`)
    const vary = String(res.headers.vary).split(',').map(s => s.trim().toLowerCase())
    t.same(vary, ['origin', 'authorization', 'accept-encoding'], `${origin ?? 'no origin'}: Vary names what the answer depends on`)
    seen.push(String(res.headers.etag))
  }
  t.equal(new Set(seen).size, 1, 'one body for every origin: only the CORS headers differ')
})
