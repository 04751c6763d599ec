// Rate limits counted in Redis (REDIS_URL): shared by every process on it, and no harm to
// requests while Redis is away. Needs a Redis: TEST_REDIS_URL, e.g. redis://127.0.0.1:6379.
import { randomUUID } from 'node:crypto'
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { test, type Test } from 'tap'
import type { Redis } from 'ioredis'
import type { LightMyRequestResponse } from 'fastify'
import { bearer, build, json, type TestApp } from '../../helper.ts'
import { createArticle } from '../../factories.ts'

const REDIS_URL = process.env.TEST_REDIS_URL ?? ''
const skip = REDIS_URL === '' ? 'TEST_REDIS_URL is unset (e.g. redis://127.0.0.1:6379): no Redis to count in' : false

// A namespace of this test's own under khabar-rl:, its keys deleted when the test ends
// (they would expire within the minute anyway). `keys` lists them.
async function namespace (t: Test): Promise<{ namespace: string, keys: () => Promise<string[]>, redis: Redis }> {
  const name = `test-${randomUUID()}:`
  // Imported here: a run without TEST_REDIS_URL loads no Redis client at all.
  const { Redis } = await import('ioredis')
  const redis = new Redis(REDIS_URL)
  const keys = async (): Promise<string[]> => {
    const found: string[] = []
    for await (const batch of redis.scanStream({ match: `khabar-rl:${name}*`, count: 1000 })) found.push(...batch as string[])
    return found
  }
  t.teardown(async () => {
    const left = await keys()
    if (left.length > 0) await redis.unlink(...left)
    await redis.quit()
  })
  return { namespace: name, keys, redis }
}

function isProblem429 (t: Test, res: LightMyRequestResponse, max: number, detail: RegExp): void {
  t.equal(res.statusCode, 429)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(json(res), { type: 'urn:khabar:problem:rate-limited', title: 'Too Many Requests', status: 429, detail })
  t.ok(Number(res.headers['retry-after']) > 0 && Number(res.headers['retry-after']) <= 60, 'Retry-After in seconds, within the window')
  t.equal(res.headers['x-ratelimit-limit'], String(max))
  t.equal(res.headers['x-ratelimit-remaining'], '0')
  t.ok(Number(res.headers['x-ratelimit-reset']) > 0 && Number(res.headers['x-ratelimit-reset']) <= 60)
}

// What a request that passed uncounted carries.
function isUncounted (t: Test, res: LightMyRequestResponse, status: number, max: number, what: string): void {
  t.equal(res.statusCode, status, what)
  t.equal(res.headers['x-ratelimit-limit'], String(max), `${what}: the limit`)
  t.equal(res.headers['x-ratelimit-remaining'], String(max), `${what}: nothing counted`)
  t.equal(res.headers['x-ratelimit-reset'], '0', `${what}: no window`)
}

const messages = (lines: string[], level: number): string[] =>
  lines.map(line => JSON.parse(line)).filter(entry => entry.level === level).map(entry => String(entry.msg))

async function until (what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`)
    await sleep(20)
  }
}

test('two processes on one Redis share one budget; another namespace has its own', { skip }, async (t) => {
  const { namespace: shared, keys, redis } = await namespace(t)
  const { namespace: apart } = await namespace(t)
  const env = { RATE_LIMIT_READS: '3', REDIS_URL }
  const a = await build(t, env, { rateLimitNamespace: shared })
  const b = await build(t, env, { rateLimitNamespace: shared })
  const other = await build(t, env, { rateLimitNamespace: apart })

  const remaining = async (app: TestApp, url = '/v1/tags'): Promise<string | undefined> => {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, `GET ${url}`)
    return res.headers['x-ratelimit-remaining'] as string | undefined
  }
  t.equal(await remaining(a), '2', 'A: the first read')
  t.equal(await remaining(a, '/v1/articles'), '1', 'A: the second, on another route')
  t.equal(await remaining(b), '0', 'B: the third, counted with A\'s')
  isProblem429(t, await a.inject('/v1/tags'), 3, /^At most 3 reads a minute from one address; try again in /)
  isProblem429(t, await b.inject('/v1/categories'), 3, /^At most 3 reads a minute/)
  t.equal((await b.inject({ url: '/v1/tags', remoteAddress: '198.51.100.7' })).headers['x-ratelimit-remaining'], '2',
    'another address has its own budget')
  t.equal(await remaining(other), '2', 'an app on another namespace counts on its own')

  const stored = await keys()
  t.equal(stored.length, 2, 'one key per address, in the namespace')
  // (Between the namespace and the limiter's name, the plugin puts the route of the
  // limiter, which has none: 'undefinedundefined-'.)
  const key = stored.find(k => k.endsWith('reads:127.0.0.1'))
  t.ok(key?.startsWith(`khabar-rl:${shared}`), `under the khabar-rl: prefix: ${String(key)}`)
  t.equal(await redis.get(key as string), '5', 'every read counted, the refused ones too')
  const ttl = await redis.pttl(key as string)
  t.ok(ttl > 0 && ttl <= 60_000, 'the key expires with the minute')
})

test('on Redis too, writes and views count apart from reads and from each other', { skip }, async (t) => {
  const { namespace: shared } = await namespace(t)
  const env = { RATE_LIMIT_READS: '1', RATE_LIMIT_WRITES: '2', RATE_LIMIT_VIEWS: '3', REDIS_URL }
  const a = await build(t, env, { rateLimitNamespace: shared })
  const b = await build(t, env, { rateLimitNamespace: shared })
  // Each app has a database of its own: one article on each spends the two writes.
  const onA = await createArticle(a)
  const onB = await createArticle(b)
  isProblem429(t, await a.inject({ method: 'POST', url: '/v1/tags', headers: bearer(a.editorKey), payload: { name: 'x' } }), 2,
    /^At most 2 writes a minute/)

  // Each app views its own article, with a user agent of its own (views are deduped).
  const view = async (app: TestApp, i: number): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'POST', url: `/v1/articles/${app === a ? onA.id : onB.id}/views`, headers: { 'user-agent': `ua-${i}` } })
  for (const [i, app] of [a, b, a].entries()) {
    const res = await view(app, i)
    t.equal(res.statusCode, 202, `view ${i + 1}, writes spent`)
    t.equal(res.headers['x-ratelimit-remaining'], String(2 - i))
  }
  isProblem429(t, await view(b, 9), 3, /^At most 3 requests to this route a minute/)

  t.equal((await b.inject('/v1/tags')).statusCode, 200, 'reads have their own budget')
  isProblem429(t, await a.inject('/v1/tags'), 1, /^At most 1 reads a minute/)
})

test('with Redis unreachable at start, the app starts and every request passes uncounted', { skip }, async (t) => {
  const lines: string[] = []
  const password = 'redis-password-never-logged'
  const app = await build(t, {
    RATE_LIMIT_READS: '1',
    RATE_LIMIT_WRITES: '2',
    RATE_LIMIT_VIEWS: '1',
    REDIS_URL: `redis://:${password}@127.0.0.1:1`,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json'
  }, { log: line => lines.push(line) })

  for (let i = 1; i <= 3; i++) isUncounted(t, await app.inject('/v1/tags'), 200, 1, `read ${i}`)
  const article = await createArticle(app)
  for (let i = 1; i <= 3; i++) {
    isUncounted(t, await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: `t${i}` } }), 201, 2, `write ${i}`)
    isUncounted(t, await app.inject({ method: 'POST', url: `/v1/articles/${article.id}/views` }), 202, 1, `view ${i}`)
  }

  t.match(messages(lines, 40), [/^Redis is unreachable: requests pass without counting/], 'one warning, however often it fails')
  t.same(messages(lines, 50), [], 'no error')
  t.notOk(lines.join('').includes(password), 'the URL\'s password never reaches the log')
})

// A TCP proxy to TEST_REDIS_URL on a port of its own, to take Redis away and bring it
// back under a running app.
function redisProxy (): { url: string, open: () => Promise<void>, stall: () => void, close: () => Promise<void> } {
  const target = new URL(REDIS_URL)
  const sockets = new Set<Socket>()
  let stalled = false
  const server = createServer(client => {
    const upstream = connect(Number(target.port === '' ? 6379 : target.port), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => { sockets.delete(socket) })
    }
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    // Stalled, Redis seems to accept the commands and never answer.
    client.on('data', data => { if (!stalled) upstream.write(data) })
    upstream.pipe(client)
  })
  let port = 0
  const open = async (): Promise<void> => {
    server.listen(port, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  }
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy()
    if (server.listening) await new Promise(resolve => server.close(resolve))
  }
  return {
    get url () {
      const url = new URL(REDIS_URL)
      url.host = `127.0.0.1:${port}`
      return url.href
    },
    open,
    stall: () => { stalled = true },
    close
  }
}

test('counting stops while Redis is away or silent, and resumes when it answers', { skip }, async (t) => {
  const { namespace: shared } = await namespace(t)
  const proxy = redisProxy()
  t.teardown(proxy.close)
  // A port that is free, with nothing listening on it yet.
  await proxy.open()
  await proxy.close()

  const lines: string[] = []
  const app = await build(t, { RATE_LIMIT_READS: '100', REDIS_URL: proxy.url, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    { rateLimitNamespace: shared, log: line => lines.push(line) })
  t.equal(messages(lines, 40).length, 1, 'unreachable at start: a warning')
  isUncounted(t, await app.inject('/v1/tags'), 200, 100, 'a read while Redis is away')

  await proxy.open()
  await until('Redis to answer again', () => messages(lines, 30).some(m => m.startsWith('Redis answers again')))
  t.equal((await app.inject('/v1/tags')).headers['x-ratelimit-remaining'], '99', 'counted again')
  t.equal((await app.inject('/v1/tags')).headers['x-ratelimit-remaining'], '98')

  // Connected, but Redis does not answer: a request waits the command timeout, no more.
  proxy.stall()
  const started = Date.now()
  isUncounted(t, await app.inject('/v1/tags'), 200, 100, 'a read while Redis is silent')
  t.ok(Date.now() - started < 2000, 'without waiting long')
  await until('the silent connection to be dropped', () => messages(lines, 40).length === 2)

  await proxy.close()
  isUncounted(t, await app.inject('/v1/articles'), 200, 100, 'a read with Redis gone')
  t.same(messages(lines, 50), [], 'no error')
})
