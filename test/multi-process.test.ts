import { randomBytes } from 'node:crypto'
import { test } from 'tap'
import { ADMIN_KEY } from './helper.ts'
import { adminQuery, freshSchema, TEST_DATABASE_URL, TEST_REDIS_URL } from './support/engine.ts'
import { freePort, startServer, within, type Started } from './support/server.ts'
import type { TestContext } from './support/temp-dir.ts'

// Two real khabar processes on one PostgreSQL database (and one Redis), as two nodes behind a
// load balancer: they must behave as one.
const skip = (TEST_DATABASE_URL === '' || TEST_REDIS_URL === '') && 'TEST_DATABASE_URL and TEST_REDIS_URL must be set: two servers need PostgreSQL and Redis'

interface Node { base: string, started: Started }

async function waitUp (node: Node): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && node.started.child.exitCode === null) {
    try {
      if ((await fetch(`${node.base}/ready`, { signal: AbortSignal.timeout(2000) })).ok) return
    } catch {}
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`the server did not start:\n${node.started.output()}`)
}

// Two servers started at the same moment on a fresh schema: both migrate it, once.
async function twoNodes (t: TestContext, env: Record<string, string> = {}): Promise<{ a: Node, b: Node, url: string, schema: string }> {
  const url = await freshSchema()
  const schema = new URL(url).searchParams.get('options')?.replace('-c search_path=', '') as string
  const nodes: Node[] = []
  for (let i = 0; i < 2; i++) {
    const port = await freePort()
    const started = startServer(t, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      KHABAR_ADMIN_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      RATE_LIMIT_READS: '1000000',
      RATE_LIMIT_WRITES: '1000000',
      RATE_LIMIT_VIEWS: '1000000',
      MAX_EVENT_LOOP_DELAY: '0',
      ...env
    })
    nodes.push({ base: `http://127.0.0.1:${port}`, started })
  }
  await Promise.all(nodes.map(waitUp))
  return { a: nodes[0], b: nodes[1], url, schema }
}

const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }
// Each test's requests come from an address of its own (TRUST_PROXY): the rate limits in
// Redis then count this run alone.
const address = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`

async function post (node: Node, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${node.base}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) })
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  return await res.json()
}

// Polls until check passes or ms have gone by; how long it took, or undefined.
async function within1s (check: () => Promise<boolean>, ms = 1000): Promise<number | undefined> {
  const start = Date.now()
  while (Date.now() - start <= ms) {
    if (await check()) return Date.now() - start
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return undefined
}

test('two servers on one database behave as one', { skip }, async (t) => {
  const { a, b, schema } = await twoNodes(t)
  const journal = await adminQuery(`SELECT count(*)::int AS n FROM "${schema}".__drizzle_migrations`)
  const files = (await import('node:fs')).readdirSync('migrations/postgres').filter(f => f.endsWith('.sql'))
  t.equal(journal.rows[0].n, files.length, 'started at once, both migrated, each migration ran once')
  const admins = await adminQuery(`SELECT count(*)::int AS n FROM "${schema}".api_keys WHERE name = 'KHABAR_ADMIN_KEY'`)
  t.equal(admins.rows[0].n, 1, 'one admin key, though both made sure of it at once')

  await t.test('a write on A is read on B within a second, through B\'s public cache', async (t) => {
    const article = await post(a, '/v1/articles', { title: 'خبر أول', status: 'published' })
    const read = async (): Promise<any> => await (await fetch(`${b.base}/v1/articles/${article.id}`)).json()
    t.equal((await read()).title, 'خبر أول')
    t.equal((await read()).title, 'خبر أول', 'now in B\'s cache')
    const patched = await fetch(`${a.base}/v1/articles/${article.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify({ title: 'خبر معدل' }) })
    t.equal(patched.status, 200)
    const took = await within1s(async () => (await read()).title === 'خبر معدل')
    t.ok(took !== undefined, `B serves the change within a second (${took} ms)`)
    const list = async (): Promise<number[]> => (await (await fetch(`${a.base}/v1/articles`)).json()).data.map((x: { id: number }) => x.id)
    t.ok((await list()).includes(article.id))
    t.equal((await fetch(`${b.base}/v1/articles/${article.id}?permanent=true`, { method: 'DELETE', headers: { authorization: admin.authorization } })).status, 204)
    t.ok(await within1s(async () => !(await list()).includes(article.id)) !== undefined, 'a delete on B leaves A\'s cached list within a second')
  })

  await t.test('a scheduled article comes due on both within a second of its time', async (t) => {
    const due = Date.now() + 2500
    const article = await post(a, '/v1/articles', { title: 'خبر مجدول', status: 'published', publishedAt: new Date(due).toISOString() })
    const visible = async (node: Node): Promise<boolean> => (await fetch(`${node.base}/v1/articles/${article.id}`)).status === 200
    t.notOk(await visible(a), 'not before its time on A')
    t.notOk(await visible(b), 'nor on B')
    // Both answers were cached meanwhile: coming due must end them.
    while (Date.now() < due - 50) await new Promise(resolve => setTimeout(resolve, 50))
    const [onA, onB] = await Promise.all([a, b].map(async node => await within1s(async () => await visible(node), due + 1000 - Date.now())))
    t.ok(onA !== undefined && onB !== undefined, `visible on A and on B within a second of its time (${Date.now() - due} ms after)`)
  })

  await t.test('1,000 views split over A and B add up to exactly 1,000; SIGTERM to A loses none of its acknowledged views', async (t) => {
    const targets = await Promise.all([1, 2, 3, 4].map(async n => (await post(a, '/v1/articles', { title: `خبر مقروء ${n}`, status: 'published' })).id as number))
    let acknowledged = 0
    const from = address()
    const send = async (node: Node, i: number): Promise<void> => {
      const id = targets[i % targets.length]
      const res = await fetch(`${node.base}/v1/articles/${id}/views`, { method: 'POST', headers: { 'user-agent': `reader-${i}`, 'x-forwarded-for': from } })
      if (res.status === 202) acknowledged++
    }
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, async (_, j) => { await send((i + j) % 2 === 0 ? a : b, i + j) }))
    }
    t.equal(acknowledged, 1000, 'every view acknowledged')
    // A goes down right away, with views still in its buffer; B flushes on its timer.
    a.started.child.kill('SIGTERM')
    const exit = await within(a.started.exited, 20_000)
    t.same(exit, { code: 0, signal: null }, 'A shut down cleanly')
    const total = async (): Promise<number> => (await adminQuery(`SELECT coalesce(sum(views), 0)::int AS n FROM "${schema}".articles`)).rows[0].n
    t.ok(await within1s(async () => await total() === 1000, 5000) !== undefined, `the totals add up to 1,000 (${await total()})`)
    const daily = await adminQuery(`SELECT coalesce(sum(views), 0)::int AS n FROM "${schema}".article_views_daily`)
    t.equal(daily.rows[0].n, 1000, 'and so do the daily buckets')
    const ranked = await (await fetch(`${b.base}/v1/rankings/articles?window=24h`)).json()
    t.same(ranked.data.map((x: { views: number }) => x.views), [250, 250, 250, 250], 'B ranks them with every view')
  })
})

test('rate limits in Redis count the requests to both servers', { skip }, async (t) => {
  const { a, b } = await twoNodes(t, { RATE_LIMIT_READS: '5' })
  const from = address()
  const read = async (node: Node): Promise<Response> => await fetch(`${node.base}/v1/categories`, { headers: { 'x-forwarded-for': from } })
  const statuses: number[] = []
  for (const node of [a, b, a, b, a]) statuses.push((await read(node)).status)
  t.same(statuses, [200, 200, 200, 200, 200], 'five reads, split over both, are within the limit of five')
  const sixthA = await read(a)
  const sixthB = await read(b)
  t.equal(sixthA.status, 429, 'the sixth, on A, is refused')
  t.equal(sixthB.status, 429, 'and on B')
  t.equal(sixthB.headers.get('x-ratelimit-remaining'), '0')
  t.equal((await fetch(`${a.base}/v1/categories`, { headers: { 'x-forwarded-for': address() } })).status, 200, 'another address has its own budget')
})
