import { test } from 'tap'
import { openSqliteStorage } from '../../src/storage/sqlite/index.ts'
import { PublicCache } from '../../src/cache/public-cache.ts'

test('PublicCache: an entry lives until a write or until a scheduled article comes due', async (t) => {
  const storage = openSqliteStorage(':memory:')
  const { sqlite } = storage.connection
  t.teardown(async () => { await storage.close() })
  let now = Date.parse('2026-11-26T12:00:00.000Z')
  const cache = new PublicCache({ changes: storage.changes, clock: () => now })
  await cache.set('/a', '{}', { etag: '"x"' })
  t.same(await cache.get('/a'), { generation: await cache.current(), body: Buffer.from('{}'), headers: { etag: '"x"' }, encoded: new Map() })
  now += 3_600_000
  t.ok(await cache.get('/a') !== undefined, 'time alone does not expire it when nothing is scheduled')
  const insert = sqlite.prepare("INSERT INTO articles (slug, title, status, published_at, created_at, updated_at) VALUES (?, 't', 'published', ?, 0, 0)")
  insert.run('due-soon', now + 60_000)
  t.equal(await cache.get('/a'), undefined, 'a write ends it')
  await cache.set('/b', '{}', {})
  now += 30_000
  t.ok(await cache.get('/b') !== undefined, 'before the scheduled time it lives')
  now += 30_000
  t.equal(await cache.get('/b'), undefined, 'at the scheduled time it ends, with no write')
  t.equal(await cache.get('/missing'), undefined)
})

test('PublicCache: an encoded body is made once and kept with its entry', async (t) => {
  const storage = openSqliteStorage(':memory:')
  t.teardown(async () => { await storage.close() })
  const cache = new PublicCache({ changes: storage.changes, clock: () => 0, maxBytes: 10_000 })
  const entry = await cache.set('/a', 'x'.repeat(1000), {})
  let made = 0
  const upper = (body: Buffer): Buffer => { made++; return Buffer.from(body.toString().toUpperCase()) }
  t.equal(cache.encoded('/a', entry, 'upper', upper).toString(), 'X'.repeat(1000))
  t.equal(cache.encoded('/a', entry, 'upper', upper).toString(), 'X'.repeat(1000))
  t.equal(made, 1, 'encoded once')
  t.same([...(await cache.get('/a'))!.encoded.keys()], ['upper'])
  // The encoded bytes count in the entry's size: four entries of 2200 bytes fit, and the
  // fifth's encoded form evicts the least recently used.
  for (const url of ['/b', '/c', '/d']) cache.encoded(url, await cache.set(url, 'y'.repeat(1000), {}), 'upper', upper)
  cache.encoded('/e', await cache.set('/e', 'z'.repeat(1000), {}), 'upper', upper)
  t.ok(await cache.get('/e') !== undefined)
  t.equal(await cache.get('/a'), undefined, 'evicted once the encoded forms fill the cache')
  t.ok(await cache.get('/b') !== undefined)
})
