import { AsyncLocalStorage } from 'node:async_hooks'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { Invalid } from '../../domain/errors.ts'
import { NUL_MESSAGE } from '../../domain/shapes/nul.ts'

// src/storage/postgres and dist/storage/postgres sit at the same depth.
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations/postgres')

// Times are milliseconds in bigint columns and counts come back as bigint or numeric:
// node-postgres hands those over as strings (they may exceed 2^53). khabar's never do, so
// they become numbers, on this pool only (the global parsers stay as they are).
const INT8 = 20
const NUMERIC = 1700
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === INT8 || oid === NUMERIC
    ? Number
    : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
}

export function openPool (url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 })
  // An idle client's connection can drop (a database restart); the pool replaces it, and
  // the next query says what went wrong. Without a listener the error would end the process.
  pool.on('error', () => {})
  return pool
}

/**
 * SQL written with @names (as the SQLite stores write it), turned into $1, $2 … once per
 * text. PostgreSQL's own @@ and @> operators are left alone (an @ after another @ or a word
 * character, or before a non-word one).
 */
interface Compiled { text: string, names: string[], statement: string, write: boolean }
const compiled = new Map<string, Compiled>()
let statements = 0

export function compile (sql: string): Compiled {
  let c = compiled.get(sql)
  if (c === undefined) {
    const names: string[] = []
    const text = sql.replace(/(?<![@\w])@([A-Za-z_]\w*)/g, (_, name: string) => {
      let i = names.indexOf(name)
      if (i === -1) i = names.push(name) - 1
      return `$${i + 1}`
    })
    // Named statements are prepared once per connection, then only executed.
    c = { text, names, statement: `khabar_${++statements}`, write: isWrite(sql) }
    compiled.set(sql, c)
  }
  return c
}

export type Params = Record<string, unknown>

const NOTHING = { rows: [], rowCount: 0, fields: [], command: 'SELECT', oid: 0 } as unknown as pg.QueryResult

// A query runner: the pool, or the client of the transaction in progress.
export interface Queryable { query: pg.Pool['query'] }

export interface Sql {
  rows: <T = Record<string, unknown>>(sql: string, params?: Params) => Promise<T[]>
  one: <T = Record<string, unknown>>(sql: string, params?: Params) => Promise<T | undefined>
  // The first column of the first row.
  value: <T = unknown>(sql: string, params?: Params) => Promise<T | undefined>
  // The first column of every row.
  column: <T = unknown>(sql: string, params?: Params) => Promise<T[]>
  // Rows changed.
  run: (sql: string, params?: Params) => Promise<number>
}

export interface TransactionScope { client: pg.PoolClient, depth: number }

/**
 * The connections of one khabar process: the primary pool, the replicas' pools, and
 * which of them a query goes to. Inside a transaction every query goes to its client;
 * writes and every read of a request that holds a key go to the primary; anonymous reads,
 * when there are replicas, to one of them in turn.
 */
export class Connections {
  readonly scope = new AsyncLocalStorage<TransactionScope>()
  // Set for the requests whose reads may be served by a replica.
  readonly replicaReads = new AsyncLocalStorage<boolean>()
  private next = 0

  constructor (readonly primary: pg.Pool, readonly replicas: pg.Pool[] = []) {}

  runner (write: boolean): Queryable {
    const tx = this.scope.getStore()
    if (tx !== undefined) return tx.client
    if (write || this.replicas.length === 0 || this.replicaReads.getStore() !== true) return this.primary
    this.next = (this.next + 1) % this.replicas.length
    return this.replicas[this.next]
  }

  async query (sql: string, params: Params = {}): Promise<pg.QueryResult> {
    const c = compile(sql)
    const write = c.write
    const values = c.names.map(n => {
      const v = params[n]
      return v === undefined ? null : v
    })
    // PostgreSQL's text cannot hold U+0000, so no stored text has one: a lookup by such a
    // string finds nothing, as on SQLite, instead of failing. Input with it is refused
    // before it gets here (src/domain/shapes/nul.ts); should one get through, it is refused here.
    const nul = (v: unknown): boolean => typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) && v.some(nul)
    if (values.some(nul)) {
      if (write) throw new Invalid([{ field: '', message: NUL_MESSAGE }])
      return NOTHING
    }
    return await this.runner(write).query({ name: c.statement, text: c.text, values })
  }

  async end (): Promise<void> {
    // Each at most once (a test may have ended the primary to see /ready fail).
    await Promise.all([this.primary, ...this.replicas].filter(p => !p.ended).map(async p => { await p.end() }))
  }
}

// Whether a statement may change something (or locks rows): it then goes to the primary.
// Decided once per statement text, in compile().
export const isWrite = (sql: string): boolean => !/^\s*(SELECT|WITH)\b/i.test(sql) || /\b(INSERT|UPDATE|DELETE)\b/i.test(sql)

export function sqlOf (connections: Connections, onWrite: () => void): Sql {
  const query = async (sql: string, params?: Params): Promise<pg.QueryResult> => {
    const result = await connections.query(sql, params)
    if (compile(sql).write && connections.scope.getStore() === undefined) onWrite()
    return result
  }
  return {
    rows: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows as T[],
    one: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows[0] as T | undefined,
    value: async <T>(sql: string, params?: Params) => {
      const r = await query(sql, params)
      return r.rows.length === 0 ? undefined : Object.values(r.rows[0] as object)[0] as T
    },
    column: async <T>(sql: string, params?: Params) => {
      const r = await query(sql, params)
      if (r.rows.length === 0) return []
      const name = r.fields[0].name
      return r.rows.map(row => (row as Record<string, T>)[name])
    },
    // node-postgres counts the rows of every INSERT, UPDATE and DELETE, all that run() is given.
    run: async (sql: string, params?: Params) => (await query(sql, params)).rowCount as number
  }
}

/**
 * Applies the pending migrations, once however many processes start at the same time: each
 * takes a session advisory lock (one per schema) first, so the second waits for the first and
 * then finds nothing left to apply. drizzle's journal is kept in the same schema as the tables.
 */
export async function runMigrations (pool: pg.Pool): Promise<{ schema: string }> {
  const client = await pool.connect()
  try {
    const schema = await currentSchema(client)
    await client.query("SELECT pg_advisory_lock(hashtext('khabar-migrate:' || current_schema()))")
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema: schema })
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('khabar-migrate:' || current_schema()))")
    }
    return { schema }
  } finally {
    client.release()
  }
}

export async function currentSchema (client: Queryable): Promise<string> {
  const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema')
  if (rows[0].schema === null) throw new Error('The database has no schema to keep khabar\'s tables in: the search_path names none that exists')
  return rows[0].schema
}
