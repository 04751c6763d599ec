import { test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { bearer, build } from '../../helper.ts'

const API_CSP = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'"

function hasHelmetHeaders (res: LightMyRequestResponse): Record<string, unknown> {
  return {
    'x-content-type-options': res.headers['x-content-type-options'],
    'x-frame-options': res.headers['x-frame-options'],
    'referrer-policy': res.headers['referrer-policy'],
    'strict-transport-security': res.headers['strict-transport-security'],
    'cross-origin-opener-policy': res.headers['cross-origin-opener-policy'],
    'cross-origin-resource-policy': res.headers['cross-origin-resource-policy'],
    'x-xss-protection': res.headers['x-xss-protection']
  }
}

// Over plain http: no HSTS or COOP, which browsers ignore there (see helmet.ts).
const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': undefined,
  'cross-origin-opener-policy': undefined,
  'cross-origin-resource-policy': 'same-origin',
  'x-xss-protection': '0'
}

test('every API answer, errors included, carries helmet headers and a CSP that allows nothing', async (t) => {
  const app = await build(t)
  const answers: Array<[string, LightMyRequestResponse]> = [
    ['200', await app.inject('/v1/articles')],
    ['200 from the response cache', await app.inject('/v1/articles')],
    ['201', await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'دمشق' } })],
    ['400', await app.inject('/v1/articles?limit=0')],
    ['401', await app.inject({ url: '/v1/articles', headers: bearer('khb_wrong-key-000000000000000000') })],
    ['404', await app.inject('/nothing/here')],
    ['415', await app.inject({ method: 'POST', url: '/v1/tags', headers: { ...bearer(app.editorKey), 'content-type': 'text/plain' }, payload: 'x' })],
    ['openapi.json', await app.inject('/openapi.json')],
    ['health', await app.inject('/health')]
  ]
  for (const [what, res] of answers) {
    t.same(hasHelmetHeaders(res), EXPECTED, `${what}: helmet headers`)
    t.equal(res.headers['content-security-policy'], API_CSP, `${what}: the API's CSP`)
  }
})

test('Swagger UI keeps its own CSP, and /docs and every asset it names load', async (t) => {
  const app = await build(t)
  const page = await app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const csp = page.headers['content-security-policy']
  t.type(csp, 'string', 'one CSP header, not two fighting')
  t.match(csp, /^default-src 'self'; .*script-src 'self'; .*style-src 'self' https: 'sha256-/, 'Swagger UI\'s policy, not the API\'s')
  t.notMatch(csp, /'none';base-uri/)
  t.notMatch(csp, /upgrade-insecure-requests/)
  t.same(hasHelmetHeaders(page), EXPECTED, 'and helmet\'s other headers')

  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(m => m[1])
  t.ok(assets.length >= 5, `${assets.length} assets: ${assets.join(', ')}`)
  const initializer = await app.inject('/docs/static/swagger-initializer.js')
  const spec = /url: resolveUrl\('\.\/([^']+)'\)/.exec(initializer.body)?.[1]
  t.ok(spec !== undefined, 'the initializer names the document')
  for (const url of [...assets, `/docs/${String(spec)}`]) {
    t.ok(url.startsWith('/'), `${url} is same-origin, which the CSP allows`)
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, `${url} loads`)
    t.equal(res.headers['content-security-policy'], csp, `${url} has Swagger UI's policy`)
    t.ok(res.body.length > 0, `${url} is not empty`)
  }
})

test('over https (here behind a trusted proxy) HSTS and COOP are sent too', async (t) => {
  const app = await build(t, { TRUST_PROXY: 'true' })
  const https = { 'x-forwarded-proto': 'https' }
  for (const url of ['/v1/articles', '/docs', '/nothing']) {
    const res = await app.inject({ url, headers: https })
    t.same(hasHelmetHeaders(res), {
      ...EXPECTED,
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'cross-origin-opener-policy': 'same-origin'
    }, url)
  }
  const untrusted = await build(t)
  t.equal((await untrusted.inject({ url: '/v1/articles', headers: https })).headers['strict-transport-security'], undefined,
    'without TRUST_PROXY the header is not believed')
})
