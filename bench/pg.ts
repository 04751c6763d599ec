// PostgreSQL for the benchmarks: which engines a run measures (BENCH_ENGINES), the server
// the bench works on (BENCH_DATABASE_URL), the databases and schemas it makes there, and
// what the backends serving khabar cost in CPU (they are other processes than the server,
// so /proc would otherwise count them as "other").
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { cpuMsOf } from './lib.ts'

export type Engine = 'sqlite' | 'postgres'
export const ENGINE_NAMES: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
// The database the import bench's schemas live in; the read bench's data sets are
// databases of their own named after it (PostgreSQL copies a database, not a schema).
export const BENCH_DATABASE = 'khabar_bench'

// The server to use, as any database on it: the bench makes its own databases beside it.
export const adminUrl = (): string => nonEmpty(process.env.BENCH_DATABASE_URL) ?? DEFAULT_DATABASE_URL

function nonEmpty (value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/** A name the bench made up, checked, so that it can go into SQL as an identifier. */
export function ident (name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`)
  return `"${name}"`
}

/**
 * The URL of `database` on the same server (user, host, other parameters as in
 * BENCH_DATABASE_URL), with `schema` first on the search_path when given, written as the
 * server's contract has it (`options=-c%20search_path%3D…`).
 */
export function databaseUrl (database: string, schema?: string): string {
  ident(database)
  const url = new URL(adminUrl())
  url.pathname = `/${database}`
  const params = url.searchParams
  params.delete('options')
  let search = params.toString()
  if (schema !== undefined) search += `${search === '' ? '' : '&'}options=${encodeURIComponent(`-c search_path=${ident(schema).slice(1, -1)}`)}`
  url.search = search
  return url.toString()
}

// Where a URL points, without its password, for messages.
export function shown (url: string): string {
  const u = new URL(url)
  if (u.password !== '') u.password = '***'
  return u.toString()
}

export async function withClient<T> (url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
  // A connection that drops while idle would otherwise end the process.
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

async function reachable (url: string): Promise<string | undefined> {
  try {
    return await withClient(url, async c => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0].v)
  } catch {
    return undefined
  }
}

/**
 * The engines to measure: BENCH_ENGINES (comma-separated `sqlite`, `postgres`) when set;
 * otherwise both when BENCH_DATABASE_URL is set or a PostgreSQL answers at the default URL,
 * else SQLite alone. Asking for PostgreSQL (either way) with none reachable is an error.
 */
export async function resolveEngines (log: (line: string) => void = console.log): Promise<Engine[]> {
  const raw = nonEmpty(process.env.BENCH_ENGINES)
  let engines: Engine[]
  if (raw !== undefined) {
    const list = [...new Set(raw.split(',').map(s => s.trim()).filter(Boolean))]
    const unknown = list.filter(e => e !== 'sqlite' && e !== 'postgres')
    if (unknown.length > 0 || list.length === 0) throw new Error(`BENCH_ENGINES=${raw}: the engines are sqlite and postgres`)
    engines = list as Engine[]
  } else if (nonEmpty(process.env.BENCH_DATABASE_URL) !== undefined) {
    engines = ['sqlite', 'postgres']
  } else {
    const version = await reachable(DEFAULT_DATABASE_URL)
    if (version === undefined) {
      log(`bench: no PostgreSQL answers at ${DEFAULT_DATABASE_URL}, so SQLite only (set BENCH_DATABASE_URL or BENCH_ENGINES)`)
      return ['sqlite']
    }
    engines = ['sqlite', 'postgres']
  }
  if (engines.includes('postgres') && await reachable(adminUrl()) === undefined) {
    throw new Error(`PostgreSQL is to be measured, but none answers at ${shown(adminUrl())} (BENCH_DATABASE_URL)`)
  }
  return engines
}

export async function serverVersion (): Promise<{ text: string, num: number }> {
  return await withClient(adminUrl(), async c => {
    const { rows } = await c.query<{ text: string, num: string }>("SELECT current_setting('server_version') AS text, current_setting('server_version_num') AS num")
    return { text: rows[0].text, num: Number(rows[0].num) }
  })
}

export async function databaseExists (admin: pg.Client, database: string): Promise<boolean> {
  return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1
}

export async function ensureDatabase (database: string): Promise<void> {
  await withClient(adminUrl(), async admin => {
    if (await databaseExists(admin, database)) return
    try {
      await admin.query(`CREATE DATABASE ${ident(database)}`)
    } catch (err) {
      // Another bench made it meanwhile.
      if ((err as { code?: string }).code !== '42P04') throw err
    }
  })
}

// WITH (FORCE) ends whatever sessions are left on it (a server that did not stop cleanly).
export async function dropDatabase (admin: pg.Client, database: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`)
}

/** A new, empty schema (the one of that name dropped first, with everything in it). */
export async function freshSchema (database: string, schema: string): Promise<void> {
  await withClient(databaseUrl(database), async c => {
    await c.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`)
    await c.query(`CREATE SCHEMA ${ident(schema)}`)
  })
}

/**
 * The backends connected to `database` (khabar's pools and change listeners) that run on
 * this machine, asked of pg_stat_activity through a connection to the admin database, which
 * is never among them. A PostgreSQL elsewhere has none here: its pids are not ours to read.
 */
export function backendsOf (database: string): () => Promise<number[]> {
  return async () => {
    const pids = await withClient(adminUrl(), async c => (await c.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).rows.map(r => r.pid))
    return pids.filter(pid => isBackendOf(pid, database))
  }
}

function isBackendOf (pid: number, database: string): boolean {
  try {
    // "postgres: user database host(port) state", NUL-terminated.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return cmdline.startsWith('postgres') && cmdline.includes(` ${database} `)
  } catch {
    return false
  }
}

/**
 * CPU time the backends of a database spend between this call and the call of what it
 * returns, ms (NaN when none could be read). A backend that connected meanwhile counts in
 * full; one that left meanwhile is lost (the pools keep a connection for 30 s idle, longer
 * than the gaps between routes).
 */
export async function backendCpu (backends: () => Promise<number[]>): Promise<() => Promise<number>> {
  const before = new Map<number, number>()
  for (const pid of await backends()) before.set(pid, cpuMsOf(pid))
  return async () => {
    let sum = 0
    let read = false
    for (const pid of new Set([...before.keys(), ...await backends()])) {
      const now = cpuMsOf(pid)
      if (!Number.isFinite(now)) continue
      const then = before.get(pid)
      sum += now - (then !== undefined && Number.isFinite(then) ? then : 0)
      read = true
    }
    return read ? sum : NaN
  }
}
