import { test, type Test } from 'tap'
import { bearer, build, json } from '../../helper.ts'
import { createArticle } from '../../factories.ts'
import type { LightMyRequestResponse } from 'fastify'
import { loadConfig } from '../../../src/config.ts'

const ORIGIN = 'https://front.example'

function isProblem429 (t: Test, res: LightMyRequestResponse, max: number): void {
  t.equal(res.statusCode, 429)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(json(res), { type: 'urn:khabar:problem:rate-limited', title: 'Too Many Requests', status: 429 })
  t.match(String(res.headers['retry-after']), /^[0-9]+$/)
  t.ok(Number(res.headers['retry-after']) > 0 && Number(res.headers['retry-after']) <= 60, 'Retry-After in seconds, within the window')
  t.equal(res.headers['x-ratelimit-limit'], String(max))
  t.equal(res.headers['x-ratelimit-remaining'], '0')
  t.ok(Number(res.headers['x-ratelimit-reset']) > 0)
}

test('the defaults apply through the real settings: 1200 reads, 120 writes a minute', async (t) => {
  // '' means unset: the helper's high test limits give way to the defaults.
  const app = await build(t, { RATE_LIMIT_READS: '', RATE_LIMIT_WRITES: '' })
  t.equal(app.config.RATE_LIMIT_READS, 1200)
  t.equal(app.config.RATE_LIMIT_WRITES, 120)
  const read = await app.inject('/v1/articles')
  t.equal(read.statusCode, 200)
  t.equal(read.headers['x-ratelimit-limit'], '1200')
  t.equal(read.headers['x-ratelimit-remaining'], '1199')
  t.equal(read.headers['x-ratelimit-reset'], '60')

  // Without a key: the limit comes before auth, so refused writes count too.
  for (let i = 1; i <= 120; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/tags', payload: { name: 'x' } })
    if (res.statusCode !== 401 || res.headers['x-ratelimit-remaining'] !== String(120 - i)) {
      t.fail(`write ${i}: ${res.statusCode}, ${String(res.headers['x-ratelimit-remaining'])} remaining`)
    }
  }
  const over = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'x' } })
  isProblem429(t, over, 120)
  t.match(json(over).detail, /^At most 120 writes a minute from one address; try again in 1 minute$/)
  t.equal(json(over).instance, '/v1/tags')
  t.equal((await app.inject('/v1/tags')).statusCode, 200, 'reads have their own budget')
  t.equal((await app.inject({ method: 'POST', url: '/v1/tags', remoteAddress: '198.51.100.4', headers: bearer(app.editorKey), payload: { name: 'y' } })).statusCode, 201,
    'another address has its own budget')
})

test('reads: every GET counts, cached, unknown and unauthorized ones included', async (t) => {
  const app = await build(t, { RATE_LIMIT_READS: '4', CORS_ORIGINS: ORIGIN })
  const a = await createArticle(app)
  const first = await app.inject(`/v1/articles/${a.id}`)
  t.equal(first.statusCode, 200)
  t.equal(first.headers['x-ratelimit-remaining'], '3')
  const cached = await app.inject(`/v1/articles/${a.id}`)
  t.equal(cached.statusCode, 200)
  t.equal(cached.headers['x-ratelimit-remaining'], '2', 'a read served from the response cache counts')
  const missing = await app.inject('/no/such/page')
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['x-ratelimit-remaining'], '1', 'so does a 404')
  const wrongKey = await app.inject({ url: '/v1/articles', headers: bearer('khb_wrong-key-000000000000000000') })
  t.equal(wrongKey.statusCode, 401)
  t.equal(wrongKey.headers['x-ratelimit-remaining'], '0', 'and a wrong key, before it costs a lookup')

  const over = await app.inject({ url: `/v1/articles/${a.id}`, headers: { origin: ORIGIN } })
  isProblem429(t, over, 4)
  t.match(json(over).detail, /^At most 4 reads a minute/)
  t.equal(over.headers['access-control-allow-origin'], ORIGIN, 'an allowed origin can read the 429')
  t.match(String(over.headers['access-control-expose-headers']).toLowerCase(), /retry-after.*x-ratelimit-limit.*x-ratelimit-remaining.*x-ratelimit-reset/,
    'and its limit headers')
  t.equal(over.headers['x-content-type-options'], 'nosniff', 'helmet headers on a 429 too')
  t.equal((await app.inject({ method: 'HEAD', url: '/v1/articles' })).statusCode, 429, 'HEAD is a read')
  // CORS answers preflights (and any OPTIONS, once CORS_ORIGINS is set) before the limits,
  // as cheaply as a 429 would be.
  t.equal((await app.inject({ method: 'OPTIONS', url: '/v1/articles', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } })).statusCode, 204)
  t.equal((await app.inject({ method: 'OPTIONS', url: '/v1/articles' })).statusCode, 204, 'a bare OPTIONS is no text/plain 400')

  // Probes are never limited.
  for (const url of ['/health', '/ready']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, `${url} still answers`)
    t.equal(res.headers['x-ratelimit-limit'], undefined, `${url} is not limited`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'خبر' } })).statusCode, 201,
    'writes have their own budget')
})

test('the views route has its own limit, apart from other writes', async (t) => {
  const app = await build(t, { RATE_LIMIT_WRITES: '2', RATE_LIMIT_VIEWS: '3' })
  const a = await createArticle(app)
  // createArticle spent one write; one is left.
  t.equal((await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'x' } })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'y' } })).statusCode, 429)
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/views`, headers: { 'user-agent': `ua-${i}` } })
    t.equal(res.statusCode, 202, `view ${i + 1}`)
    t.equal(res.headers['x-ratelimit-limit'], '3')
  }
  const over = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/views` })
  isProblem429(t, over, 3)
  t.match(json(over).detail, /^At most 3 requests to this route a minute/)
})

test('with TRUST_PROXY the forwarded address is the one limited', async (t) => {
  const app = await build(t, { RATE_LIMIT_READS: '1', TRUST_PROXY: 'true' })
  const get = async (forwarded: string): Promise<number> =>
    (await app.inject({ url: '/v1/tags', headers: { 'x-forwarded-for': forwarded } })).statusCode
  t.equal(await get('198.51.100.1'), 200)
  t.equal(await get('198.51.100.1'), 429)
  t.equal(await get('198.51.100.2'), 200, 'each forwarded address has its own budget')
})

test('without CORS_ORIGINS an OPTIONS request is a read like any other', async (t) => {
  const app = await build(t, { RATE_LIMIT_READS: '1' })
  const first = await app.inject({ method: 'OPTIONS', url: '/v1/articles' })
  t.equal(first.statusCode, 404)
  t.match(first.headers['content-type'], /^application\/problem\+json/)
  t.equal(first.headers['x-ratelimit-remaining'], '0')
  t.equal((await app.inject({ method: 'OPTIONS', url: '/v1/articles' })).statusCode, 429)
})

test('the limits are checked at start', async (t) => {
  for (const [name, value] of [['RATE_LIMIT_READS', '0'], ['RATE_LIMIT_WRITES', '1e3'], ['RATE_LIMIT_READS', 'many'], ['MAX_EVENT_LOOP_DELAY', '-1']]) {
    t.throws(() => loadConfig({ [name]: value }), new RegExp(name), `${name}=${value} is refused`)
  }
})

test('a route may opt out with config.rateLimit false', async (t) => {
  const fastify = await build(t, { RATE_LIMIT_READS: '1' }, {
    setup: app => { app.get('/unlimited', { config: { rateLimit: false } }, async () => ({ ok: true })) }
  })
  for (let i = 0; i < 3; i++) {
    const res = await fastify.inject('/unlimited')
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-limit'], undefined)
  }
  t.equal((await fastify.inject('/v1/tags')).statusCode, 200)
  t.equal((await fastify.inject('/v1/tags')).statusCode, 429, 'the other routes are limited')
})
