import { test } from 'tap'
import { openDatabase, runMigrations } from '../src/storage/sqlite/database.ts'
import { PublicCache } from '../src/http/public-cache.ts'

test('PublicCache: an entry lives until a write or until a scheduled article comes due', async (t) => {
  const { sqlite, db } = openDatabase(':memory:')
  t.teardown(() => sqlite.close())
  runMigrations(db)
  let now = Date.parse('2026-11-26T12:00:00.000Z')
  const cache = new PublicCache(sqlite, () => now)
  cache.set('/a', '{}', { etag: '"x"' })
  t.same(cache.get('/a'), { generation: cache.current(), body: Buffer.from('{}'), headers: { etag: '"x"' } })
  now += 3_600_000
  t.ok(cache.get('/a') !== undefined, 'time alone does not expire it when nothing is scheduled')
  const insert = sqlite.prepare("INSERT INTO articles (slug, title, status, published_at, created_at, updated_at) VALUES (?, 't', 'published', ?, 0, 0)")
  insert.run('due-soon', now + 60_000)
  t.equal(cache.get('/a'), undefined, 'a write ends it')
  cache.set('/b', '{}', {})
  now += 30_000
  t.ok(cache.get('/b') !== undefined, 'before the scheduled time it lives')
  now += 30_000
  t.equal(cache.get('/b'), undefined, 'at the scheduled time it ends, with no write')
  t.equal(cache.get('/missing'), undefined)
})
