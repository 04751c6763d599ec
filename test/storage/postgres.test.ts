import { test } from 'tap'
import pg from 'pg'
import { build, bearer, json } from '../helper.ts'
import { createArticle } from '../factories.ts'
import { adminQuery, ENGINE, freshSchema, TEST_DATABASE_URL } from '../support/engine.ts'

// What only the PostgreSQL engine has: a pool and transactions on its clients, migrations
// under a lock, the change feed over LISTEN, replicas. The rest of the suite runs on it too
// (test/postgres/).
const skip = ENGINE !== 'postgres' && 'PostgreSQL only: its twin test/postgres/storage/postgres.test.ts runs it'
const load = async (): Promise<typeof import('../../src/storage/postgres/index.ts')> => await import('../../src/storage/postgres/index.ts')

test('two processes migrating a fresh database at once: both start, the migrations run once', { skip }, async (t) => {
  const { openPostgresStorage } = await load()
  const url = await freshSchema()
  const [a, b] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)])
  t.teardown(async () => { await a.close(); await b.close() })
  const journal = await adminQuery(`SELECT count(*)::int AS n FROM "${a.schema}".__drizzle_migrations`)
  const files = (await import('node:fs')).readdirSync('migrations/postgres').filter(f => f.endsWith('.sql'))
  t.equal(journal.rows[0].n, files.length, 'each migration recorded once')
  t.equal(a.schema, b.schema)
  const again = await openPostgresStorage(url)
  await again.close()
  t.equal((await adminQuery(`SELECT count(*)::int AS n FROM "${a.schema}".__drizzle_migrations`)).rows[0].n, files.length, 'a restart applies nothing')
})

test('a database without a schema to use is refused with a message', { skip }, async (t) => {
  const { openPostgresStorage } = await load()
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('options', '-c search_path=khabar_no_such_schema')
  await t.rejects(openPostgresStorage(url.toString()), /The database has no schema to keep khabar's tables in/)
})

test('transactions: nested ones roll back alone, a lost unique race is run again, U+0000 never reaches the server', { skip }, async (t) => {
  const { openPostgresStorage } = await load()
  const storage = await openPostgresStorage(await freshSchema())
  t.teardown(async () => { await storage.close() })
  const tag = async (name: string): Promise<number> => (await storage.tags.insert(name, name, 1)).id
  await storage.transaction(async () => {
    await tag('kept')
    await t.rejects(storage.transaction(async () => {
      await tag('dropped')
      throw new Error('inner')
    }), /inner/)
    await storage.transaction(async () => { await tag('inner kept') })
  })
  t.same((await storage.tags.page('name', null, 0, 10, 0)).map(x => x.name), ['inner kept', 'kept'], 'the failed savepoint alone went')

  // Two transactions insert the same unique slug: the loser is run again and then sees the winner's row.
  let attempts = 0
  const racer = async (): Promise<string> => await storage.transaction(async () => {
    attempts++
    if (await storage.tags.idByName('race') !== undefined) return 'found'
    await new Promise(resolve => setTimeout(resolve, 50))
    await tag('race')
    return 'inserted'
  })
  t.same((await Promise.all([racer(), racer()])).sort(), ['found', 'inserted'])
  t.equal(attempts, 3, 'one of the two ran again')

  let once = 0
  await t.rejects(storage.transaction(async () => {
    once++
    throw new Error('not the database')
  }), /not the database/)
  t.equal(once, 1, 'any other error is not tried again')

  // Always the same error: retried three times, then thrown.
  let tries = 0
  await t.rejects(storage.transaction(async () => {
    tries++
    await tag('kept')
  }), { code: '23505' })
  t.equal(tries, 3)

  // The connection dies inside a transaction (the server restarted, a failover): the error
  // reaches the caller, and the broken client leaves the pool.
  await t.rejects(storage.transaction(async () => {
    await tag('lost')
    await storage.connections.runner(true).query('SELECT pg_terminate_backend(pg_backend_pid())')
  }), { code: '57P01' })
  t.equal(await storage.tags.idByName('lost'), undefined, 'nothing of it was committed')
  t.ok(await storage.tags.idByName('kept'), 'and the pool still serves')

  t.equal(await storage.tags.idByName('a\u0000b'), undefined, 'a lookup by a string with U+0000 finds nothing')
  t.same(await storage.articles.summaries([]), [])
  await t.rejects(storage.tags.insert('x', 'a\u0000b', 1), /must not contain U\+0000/)
  t.same(await storage.search.visibleIds([], 0), [], 'an empty column list')
})

test('the change feed: a commit anywhere moves it, a rolled-back one does not, and a lost connection counts as a change', { skip }, async (t) => {
  const { openPostgresStorage } = await load()
  const url = await freshSchema()
  const storage = await openPostgresStorage(url)
  t.teardown(async () => { await storage.close() })
  const other = new pg.Client({ connectionString: url })
  await other.connect()
  t.teardown(async () => { await other.end() })
  const state = async (): Promise<string> => await storage.changes.state()
  const until = async (what: string, ok: (s: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 2000
    let s = await state()
    while (!ok(s) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 5))
      s = await state()
    }
    t.ok(ok(s), what)
    return s
  }
  const first = await state()
  t.equal(await state(), first, 'nothing written, nothing moves')
  await other.query('BEGIN')
  await other.query("INSERT INTO tags (slug, name, created_at, updated_at) VALUES ('x', 'x', 1, 1)")
  await other.query('ROLLBACK')
  await new Promise(resolve => setTimeout(resolve, 100))
  t.equal(await state(), first, 'a rolled-back write is no change')
  await other.query("INSERT INTO tags (slug, name, created_at, updated_at) VALUES ('y', 'y', 1, 1)")
  const second = await until('another connection\'s commit arrives', s => s !== first)

  // The server ends the listening connection (a restart, a failover): until it listens again,
  // every call says "changed"; then the count is stable again.
  await adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN khabar_changes' AND pid <> pg_backend_pid()")
  const down = await until('the lost connection is noticed', s => s.startsWith('down:'))
  t.not(await state(), down, 'while it is down, every call is a change')
  const back = await until('it listens again', s => !s.startsWith('down:'))
  t.not(back, second)
  t.equal(await state(), back, 'and is stable again')
  t.equal(await storage.changes.nextScheduled(0), null)
})

test('with replicas, reads without a key go to a replica, keyed reads and writes to the primary', { skip }, async (t) => {
  // The "replica" is another schema with the same tables: what a read returns says which
  // database answered it (a real replica would hold the same rows, a little later).
  const replica = await build(t)
  await createArticle(replica, { title: 'خبر من النسخة', status: 'published' })
  const app = await build(t, { DATABASE_REPLICA_URLS: replica.config.DATABASE_URL as string })
  const mine = await createArticle(app, { title: 'خبر من الأصل', status: 'published' })
  const anonymous = json(await app.inject('/v1/articles')).data.map((a: { title: string }) => a.title)
  t.same(anonymous, ['خبر من النسخة'], 'a public list is read from the replica')
  const keyed = json(await app.inject({ url: '/v1/articles', headers: bearer(app.editorKey) })).data.map((a: { title: string }) => a.title)
  t.same(keyed, ['خبر من الأصل'], 'an editor reads the primary')
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/articles/${mine.id}`, headers: bearer(app.editorKey), payload: { title: 'معدل' } })).statusCode, 200, 'a write goes to the primary')
  // A public read just after a change is not kept as current while replicas may still be replaying it.
  const settling = await app.khabar.storage.changes.state()
  t.match(settling, /^settling:/)
  t.not(await app.khabar.storage.changes.state(), settling)
})
