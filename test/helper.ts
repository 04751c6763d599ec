import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify'
import type Database from 'better-sqlite3'
import app from '../src/http/app.ts'
import { compose } from '../src/compose.ts'
import type { SqliteStorage } from '../src/storage/sqlite/index.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { fastifyOptions } from '../src/http/options.ts'
import type { ViewOptions } from '../src/domain/views/view-service.ts'
import { tempDir, type TestContext } from './support/temp-dir.ts'
import { nonConformance } from './support/conformance.ts'
import { databaseEnv, ENGINE } from './support/engine.ts'
import type { PostgresStorage } from '../src/storage/postgres/index.ts'
import { openDatabase } from '../src/storage/sqlite/database.ts'
import pg from 'pg'

export { tempDir, type TestContext, ENGINE }

export interface TestApp extends FastifyInstance {
  // A settable clock for scheduled publishing: tests move it instead of sleeping.
  now: { ms: number }
  adminKey: string
  editorKey: string
}

// A test that can record a failure: tap's, anywhere build() is called.
export interface Failing { fail: (message: string) => unknown }

export interface BuildOptions {
  views?: Partial<ViewOptions>
  // Every line the app logs (at env.LOG_LEVEL), instead of standard output.
  log?: (line: string) => void
  // Called after the app is registered and before it is ready: test-only routes go here.
  setup?: (app: FastifyInstance) => void | Promise<void>
  // With REDIS_URL: the rate limits count under khabar-rl:<this>, apart from other runs.
  rateLimitNamespace?: string
}

export const ADMIN_KEY = 'khb_test-admin-key-0123456789abcdef'

// Tests send thousands of requests from one address, and a long run of inject() calls
// never yields to the event loop, which under-pressure would read as saturation. Tests of
// those limits pass their own values, or '' for the defaults.
export const TEST_LIMITS = { RATE_LIMIT_READS: '1000000', RATE_LIMIT_WRITES: '1000000', MAX_EVENT_LOOP_DELAY: '0' }

// The app built with the server's own options, on a fresh database of its own: a SQLite
// file in a directory of its own or, when the tests run on PostgreSQL, a fresh schema. With
// env.DATABASE_PATH, on the database that path names (a file the test owns, perhaps shared
// with another app or reopened; on PostgreSQL the one schema made for that path).
// Closed when the test ends.
export async function build (t: TestContext & Failing, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  // On PostgreSQL, DATABASE_PATH stays in the settings too: app.config.DATABASE_PATH then
  // names the same schema to the next build().
  const path = env.DATABASE_PATH ?? join(tempDir(t), 'khabar.db')
  const database = env.DATABASE_URL !== undefined ? {} : { DATABASE_PATH: path, ...await databaseEnv(path) }
  const config: Config = loadConfig({ LOG_LEVEL: 'silent', KHABAR_ADMIN_KEY: ADMIN_KEY, ...TEST_LIMITS, ...env, ...database })
  const now = { ms: Date.parse('2026-11-26T12:00:00.000Z') }
  const serverOptions = fastifyOptions(config)
  const { log } = options
  if (log !== undefined) {
    const logger = serverOptions.logger === false ? { level: config.LOG_LEVEL } : serverOptions.logger as object
    serverOptions.logger = { ...logger, stream: { write: (line: string) => { log(line) } } }
  }
  const fastify = Fastify(serverOptions)
  await fastify.register(app, { khabar: await compose(config, { clock: () => now.ms, views: options.views }), rateLimitNamespace: options.rateLimitNamespace })
  await options.setup?.(fastify)
  await fastify.ready()
  t.teardown(async () => { await fastify.close() })
  checkConformance(t, fastify)
  const testApp = fastify as unknown as TestApp
  testApp.now = now
  testApp.adminKey = ADMIN_KEY
  testApp.editorKey = (await fastify.services.keys.create('test editor', 'editor')).key
  return testApp
}

// Every answer a test gets by inject() is checked against the OpenAPI document, so the
// document's word holds for whatever the suite does (test/support/conformance.ts).
function checkConformance (t: Failing, app: FastifyInstance): void {
  const inject = app.inject.bind(app) as (options: InjectOptions | string) => Promise<LightMyRequestResponse>
  const checked = async (options: InjectOptions | string): Promise<LightMyRequestResponse> => {
    const res = await inject(options)
    const method = typeof options === 'string' ? 'GET' : String(options.method ?? 'GET')
    const target = typeof options === 'string' ? options : (options.url ?? options.path)
    const url = typeof target === 'string' ? target : String(target?.pathname ?? '/')
    for (const problem of nonConformance({ method, url, statusCode: res.statusCode, headers: res.headers, rawPayload: res.rawPayload })) {
      t.fail(problem)
    }
    return res
  }
  Object.assign(app, { inject: checked })
}

// The app on a real socket (127.0.0.1, a free port), for what inject() cannot show: the
// HTTP parser, the connection, a real client. Closed with the app.
export async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

// The SQLite connection under the app, for tests that look at the database itself.
export function sqliteOf (app: FastifyInstance): Database.Database {
  return (app.khabar.storage as SqliteStorage).connection.sqlite
}

/**
 * Rows of a query on the app's own database, on either engine: `?` placeholders, plain SQL
 * both engines read alike (aliases in double quotes when their case matters).
 */
export async function dbRows<T = Record<string, unknown>> (app: FastifyInstance, text: string, ...params: unknown[]): Promise<T[]> {
  if (ENGINE === 'sqlite') {
    const stmt = sqliteOf(app).prepare(text)
    if (stmt.reader) return stmt.all(...params) as T[]
    stmt.run(...params)
    return []
  }
  let i = 0
  const { rows } = await (app.khabar.storage as PostgresStorage).connections.primary.query(text.replace(/\?/g, () => `$${++i}`), params)
  return rows as T[]
}

/** The first column of the first row (a count, an id), as a number when it is one. */
export async function dbValue<T = number> (app: FastifyInstance, text: string, ...params: unknown[]): Promise<T> {
  const row = (await dbRows(app, text, ...params))[0]
  return (row === undefined ? undefined : Object.values(row)[0]) as T
}

/** Cuts the app off from its database, as a database that stopped answering would. */
export async function closeDatabase (app: FastifyInstance): Promise<void> {
  if (ENGINE === 'sqlite') sqliteOf(app).close()
  else await (app.khabar.storage as PostgresStorage).connections.primary.end()
}

// bigint and numeric as numbers, as khabar's own pools read them (src/storage/postgres/database.ts).
const NUMBERS = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser }

/**
 * Runs one statement on the app's database over a connection of its own, as another process
 * (the CLI, another server) would, even after the app has closed: `?` placeholders. Its rows.
 */
export async function queryElsewhere<T = Record<string, unknown>> (app: FastifyInstance, text: string, ...params: unknown[]): Promise<T[]> {
  if (ENGINE === 'sqlite') {
    const other = openDatabase(app.config.DATABASE_PATH)
    try {
      const stmt = other.sqlite.prepare(text)
      if (stmt.reader) return stmt.all(...params) as T[]
      stmt.run(...params)
      return []
    } finally { other.sqlite.close() }
  }
  const client = new pg.Client({ connectionString: app.config.DATABASE_URL, types: NUMBERS })
  await client.connect()
  let i = 0
  try { return (await client.query(text.replace(/\?/g, () => `$${++i}`), params)).rows as T[] } finally { await client.end() }
}

// The search index's own tables: on SQLite the FTS5 tables and search_indexed, on
// PostgreSQL one table holding the tsvectors and the version indexed.
export const SEARCH_INDEX = ENGINE === 'sqlite'
  ? { marks: 'search_indexed', rows: 'articles_fts', rowId: 'rowid', clear: ['DELETE FROM search_indexed', 'DELETE FROM articles_fts'] }
  : { marks: 'search_index', rows: 'search_index', rowId: 'article_id', clear: ['DELETE FROM search_index'] }

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

export function json<T = any> (res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T
}
