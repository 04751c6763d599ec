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
  t.same(await cache.get('/a'), { generation: await cache.current(), body: Buffer.from('{}'), headers: { etag: '"x"' } })
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
