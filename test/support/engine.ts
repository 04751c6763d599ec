import { randomBytes } from 'node:crypto'
import tap from 'tap'
import pg from 'pg'

// Which storage engine this test process runs on. Every test file runs on SQLite; the
// twin of each under test/postgres/ sets KHABAR_TEST_ENGINE before loading it, so the same
// test bodies run on PostgreSQL (TEST_DATABASE_URL) in a process of their own.
export type Engine = 'sqlite' | 'postgres'
export const ENGINE: Engine = process.env.KHABAR_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite'
export const onPostgres = ENGINE === 'postgres'

// The PostgreSQL server of the machine that builds khabar (.ci/run sets it):
// postgres://postgres@127.0.0.1:5432/test.
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? ''
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? ''

let admin: pg.Pool | undefined
const created: string[] = []

function adminPool (): pg.Pool {
  if (admin === undefined) {
    if (TEST_DATABASE_URL === '') throw new Error('TEST_DATABASE_URL is not set: the PostgreSQL tests need a server')
    admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 })
    // Every schema this process made goes when it ends, whatever the tests did.
    tap.teardown(async () => {
      const pool = admin as pg.Pool
      admin = undefined
      for (const schema of created.splice(0)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await pool.end()
    })
  }
  return admin
}

// A URL of TEST_DATABASE_URL whose connections keep their tables in `schema` (search_path).
export function schemaUrl (schema: string): string {
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

/** A new, empty schema on the test server, dropped when the test process ends; its URL. */
export async function freshSchema (): Promise<string> {
  const schema = `khabar_test_${randomBytes(6).toString('hex')}`
  await adminPool().query(`CREATE SCHEMA "${schema}"`)
  created.push(schema)
  return schemaUrl(schema)
}

// One schema per database file a test names: a test that builds two apps on one
// DATABASE_PATH (to share a database, or to reopen one) gets one schema on PostgreSQL too.
const byPath = new Map<string, Promise<string>>()

/** The settings that put khabar on the database a test means by `path`, on this engine. */
export async function databaseEnv (path: string): Promise<Record<string, string>> {
  if (!onPostgres) return { DATABASE_PATH: path }
  let url = byPath.get(path)
  if (url === undefined) byPath.set(path, url = freshSchema())
  return { DATABASE_URL: await url }
}

/** Runs SQL on the test server as the test's admin (outside any app). */
export async function adminQuery (text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  return await adminPool().query(text, values)
}
