import type { Storage } from '../../domain/storage.ts'
import { openDatabase, runMigrations, type Connection } from './database.ts'
import { sqliteArticleStore } from './article-store.ts'
import { sqliteRevisionStore } from './revision-store.ts'
import { sqliteCategoryStore } from './category-store.ts'
import { sqliteTagStore } from './tag-store.ts'
import { sqliteMediaStore } from './media-store.ts'
import { sqliteKeyStore } from './key-store.ts'
import { sqliteSlugStore } from './slug-store.ts'
import { sqliteRankingStore, sqliteViewStore } from './view-store.ts'
import { sqliteSearchStore } from './search-store.ts'
import { sqliteExportStore, sqliteImportStore } from './transfer-store.ts'
import { sqliteChangeFeed } from './change-feed.ts'
import { backfillCanonicalUrls } from './media-backfill.ts'

export interface SqliteStorage extends Storage {
  // The connection itself, for what only SQLite has (backup) and for tests.
  readonly connection: Connection
}

/**
 * The embedded engine: one better-sqlite3 connection, migrated, with every port on it.
 * Its statements run synchronously, so an async port call costs a microtask. A
 * transaction is BEGIN ... COMMIT on the connection (SAVEPOINTs when nested); as the
 * domain awaits nothing but these calls inside one, no other request's statement can run
 * in between. Should one stay open past the event-loop turn it began in, that rule was
 * broken: it is rolled back and its caller gets the error.
 */
export function openSqliteStorage (path: string): SqliteStorage {
  const connection = openDatabase(path)
  runMigrations(connection.db)
  backfillCanonicalUrls(connection.sqlite)
  const { sqlite } = connection
  let depth = 0
  let generation = 0
  let heldTooLong: number | undefined

  async function transaction<T> (fn: () => Promise<T>): Promise<T> {
    const level = depth
    if (level === 0) {
      sqlite.exec('BEGIN')
      const mine = ++generation
      setImmediate(() => { if (depth > 0 && generation === mine) heldTooLong = mine })
    } else {
      sqlite.exec(`SAVEPOINT nested_${level}`)
    }
    depth++
    try {
      const result = await fn()
      if (level === 0 && heldTooLong === generation) throw new Error('A transaction stayed open across an event-loop turn: the domain awaited something that is not storage inside it')
      depth--
      sqlite.exec(level === 0 ? 'COMMIT' : `RELEASE nested_${level}`)
      return result
    } catch (err) {
      depth = level
      if (level === 0) sqlite.exec('ROLLBACK')
      else sqlite.exec(`ROLLBACK TO nested_${level}; RELEASE nested_${level}`)
      throw err
    }
  }

  return {
    engine: 'sqlite',
    connection,
    transaction,
    articles: sqliteArticleStore(connection),
    revisions: sqliteRevisionStore(connection),
    categories: sqliteCategoryStore(connection),
    tags: sqliteTagStore(connection),
    media: sqliteMediaStore(connection),
    keys: sqliteKeyStore(connection),
    slugs: sqliteSlugStore(connection),
    views: sqliteViewStore(connection),
    rankings: sqliteRankingStore(connection),
    search: sqliteSearchStore(connection),
    imports: sqliteImportStore(connection),
    exports: sqliteExportStore(connection),
    changes: sqliteChangeFeed(connection),
    ping: async () => { sqlite.prepare('SELECT 1').get() },
    close: async () => { sqlite.close() }
  }
}
