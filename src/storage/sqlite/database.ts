import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema.ts'

// src/storage/sqlite and dist/storage/sqlite sit at the same depth, so this finds the committed migrations from both.
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations/sqlite')

export type Db = BetterSQLite3Database<typeof schema>

export interface Connection {
  sqlite: Database.Database
  db: Db
}

export function openDatabase (path: string): Connection {
  if (path !== ':memory:' && !path.startsWith('file:')) {
    mkdirSync(dirname(resolve(path)), { recursive: true })
  }
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 32 MB of page cache instead of SQLite's 2 MB: on a database of some hundred MB, inserts
  // into the slug and externalId indexes (random order) and FTS5's merges kept reading back
  // pages the small cache had just let go (bench/RESULTS.md, "Import").
  sqlite.pragma('cache_size = -32000')
  const db = drizzle(sqlite, { schema })
  return { sqlite, db }
}

export function runMigrations (db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER })
}
