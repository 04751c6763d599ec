import type { Storage } from '../../domain/storage.ts'
import { Connections, openPool, runMigrations, sqlOf, type TransactionScope } from './database.ts'
import { pgArticleStore } from './article-store.ts'
import { pgCategoryStore, pgTagStore } from './taxonomy-store.ts'
import { pgMediaStore } from './media-store.ts'
import { pgKeyStore } from './key-store.ts'
import { pgRevisionStore, pgSlugStore } from './history-store.ts'
import { pgRankingStore, pgViewStore } from './view-store.ts'
import { pgSearchStore } from './search-store.ts'
import { pgExportStore, pgImportStore } from './transfer-store.ts'
import { changeFeed, REPLICA_SETTLE_MS } from './change-feed.ts'

export interface PostgresStorage extends Storage {
  readonly connections: Connections
  // The schema khabar's tables are in (the first of the search_path).
  readonly schema: string
}

// Errors a transaction is tried again for: two transactions wanted the same unique value
// (the loser's retry then sees the winner's row, and the domain answers as it would have),
// a serialization failure, a deadlock.
const RETRIED = new Set(['23505', '40001', '40P01'])
const ATTEMPTS = 3

/**
 * PostgreSQL: a pool on the primary (and one per replica), migrated under an advisory lock,
 * with every port on it. A transaction takes one client from the pool for its whole length;
 * every store call made inside it (found through AsyncLocalStorage) runs on that client, and
 * a nested one is a SAVEPOINT. Unlike SQLite, other requests' statements run meanwhile, on
 * other clients: a unique index decides a race, and the losing transaction is run again.
 */
export async function openPostgresStorage (url: string, replicaUrls: string[] = []): Promise<PostgresStorage> {
  const primary = openPool(url)
  // Pools connect on their first query: nothing is opened here but what end() closes.
  const conn = new Connections(primary, replicaUrls.map(u => openPool(u)))
  try {
    const { schema } = await runMigrations(primary)
    // A write outside a transaction, and a commit, tell the change feed at once.
    const changes = changeFeed(url, schema, replicaUrls.length === 0 ? 0 : REPLICA_SETTLE_MS)
    const bump = changes.bump
    const sql = sqlOf(conn, bump)
    await changes.listen(sql)

    async function attempt<T> (fn: () => Promise<T>): Promise<T> {
      const client = await primary.connect()
      const scope: TransactionScope = { client, depth: 0 }
      // A client checked out of the pool reports a lost connection as an event too: without
      // a listener, that event would end the process. A connection that was lost, or cannot
      // even roll back, is broken: released with its error, the pool drops it instead of
      // handing it to the next request.
      let lostWith: Error | undefined
      const lost = (err: Error): void => { lostWith = err }
      const release = (broken: Error | undefined): void => {
        client.off('error', lost)
        client.release(broken)
      }
      client.on('error', lost)
      let result: T
      try {
        await client.query('BEGIN')
        result = await conn.scope.run(scope, fn)
        await client.query('COMMIT')
      } catch (err) {
        release(await client.query('ROLLBACK').then(() => lostWith, (failed: Error) => failed))
        throw err
      }
      release(lostWith)
      bump()
      return result
    }

    async function transaction<T> (fn: () => Promise<T>): Promise<T> {
      const scope = conn.scope.getStore()
      if (scope !== undefined) {
        const name = `nested_${++scope.depth}`
        await scope.client.query(`SAVEPOINT ${name}`)
        let result: T
        try {
          result = await fn()
        } catch (err) {
          await scope.client.query(`ROLLBACK TO SAVEPOINT ${name}`)
          await scope.client.query(`RELEASE SAVEPOINT ${name}`)
          scope.depth--
          throw err
        }
        await scope.client.query(`RELEASE SAVEPOINT ${name}`)
        scope.depth--
        return result
      }
      return await retrying(fn, ATTEMPTS)
    }

    async function retrying<T> (fn: () => Promise<T>, left: number): Promise<T> {
      try {
        return await attempt(fn)
      } catch (err) {
        if (left === 1 || !RETRIED.has(String((err as { code?: unknown }).code))) throw err
        return await retrying(fn, left - 1)
      }
    }

    const feed = changes
    return {
      engine: 'postgres',
      connections: conn,
      schema,
      transaction,
      articles: pgArticleStore(sql),
      revisions: pgRevisionStore(sql),
      categories: pgCategoryStore(sql),
      tags: pgTagStore(sql),
      media: pgMediaStore(sql),
      keys: pgKeyStore(sql),
      slugs: pgSlugStore(sql),
      views: pgViewStore(sql),
      rankings: pgRankingStore(sql),
      search: pgSearchStore(sql),
      imports: pgImportStore(sql),
      exports: pgExportStore(sql),
      changes: feed,
      ...(conn.replicas.length === 0 ? {} : { replicaReads: (rest: () => void) => { conn.replicaReads.run(true, rest) } }),
      ping: async () => { await primary.query('SELECT 1') },
      close: async () => {
        await feed.close()
        await conn.end()
      }
    }
  } catch (err) {
    await conn.end()
    throw err
  }
}
