// npm run bench:import: pours an archive of synthetic Arabic articles into the real server
// (node dist/server.js) through POST /v1/import, streamed over HTTP, and compares it with a
// plain bulk insert of the same rows into the same schema, in the same run: on SQLite with
// better-sqlite3, on PostgreSQL (BENCH_ENGINES) with multi-row INSERTs over node-postgres.
// Then imports the same file again (every line unchanged). Prints the results and writes
// them into their section of bench/RESULTS.md. See bench/README.md for the knobs.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import os from 'node:os'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { once } from 'node:events'
import Database from 'better-sqlite3'
import { openDatabase, runMigrations } from '../src/storage/sqlite/database.ts'
import { slugify, readingTimeMinutes } from '../src/text/index.ts'
import { removeDb } from './build-db.ts'
import { insertColumns } from './build-pg.ts'
import { importLine } from './import-lines.ts'
import {
  DATA_DIR, RESULTS_NAME, ROOT, SERVER_ENTRY, envInt, fmt, freePort, mb, memoryOf, startChild, stopAll, stopChild, waitUntilUp, writeSection, type Child
} from './lib.ts'
import { BENCH_DATABASE, ENGINE_NAMES, databaseUrl, ensureDatabase, freshSchema, resolveEngines, serverVersion, withClient, type Engine } from './pg.ts'

const N = envInt('BENCH_IMPORT_ARTICLES', 100_000, 1)
// The seed of the import file: other than the read bench's, so nothing is shared by chance.
const SEED = 20261127
const ADMIN_KEY = 'khb_bench-import-admin-key-0123456789'
// Extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=bench/.data/prof".
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
// The targets, per engine: PostgreSQL's import rate is its own (the issue); nothing is
// stated there for the re-import.
const TARGET_RATE: Record<Engine, number> = { sqlite: 5000, postgres: 2000 }
const TARGET_REIMPORT: Record<Engine, number | undefined> = { sqlite: 20_000, postgres: undefined }
const TARGET_RSS = 300 * 1024 * 1024
const BATCH = 1000

interface ImportAnswer { created: number, updated: number, unchanged: number, failed: number, errors: unknown[], moreErrors: number }
interface Run { seconds: number, answer: ImportAnswer, peakRss: number, probes: number[] }

// One engine's results: the baseline, the import and the re-import, and what the data weighs.
interface EngineResult {
  engine: Engine
  version: string
  plainSeconds: number
  first: Run
  again: Run
  startRss: number
  // Bytes: the data after the import, its search index, and the data after the plain insert.
  total: number
  index: number
  plainTotal: number
  searchFound: boolean
}

/** The NDJSON file of N articles, written once and kept in bench/.data (it is deterministic). */
async function importFile (): Promise<string> {
  const path = join(DATA_DIR, `import-${N}.ndjson`)
  if (existsSync(path)) return path
  const tmp = `${path}.tmp`
  const out = createWriteStream(tmp)
  for (let i = 1; i <= N; i++) {
    if (!out.write(importLine(SEED, i) + '\n')) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  renameSync(tmp, path)
  return path
}

async function * lines (path: string): AsyncGenerator<string> {
  yield * createInterface({ input: createReadStream(path), crlfDelay: Infinity })
}

/**
 * The baseline on SQLite: the same lines, parsed and written with prepared statements,
 * 1,000 to a transaction, into a fresh database with khabar's schema: the article row (its
 * slug made from the title), its tags (found or created by name) and its media item,
 * attached. No validation, no sanitising, no search index, no HTTP: what the rows alone cost.
 */
async function plainInsert (path: string): Promise<number> {
  const dbPath = join(DATA_DIR, 'import-plain.db')
  removeDb(dbPath)
  const { sqlite, db } = openDatabase(dbPath)
  runMigrations(db)
  const categories = new Map<string, number>()
  const tags = new Map<string, number>()
  const insertCategory = sqlite.prepare('INSERT INTO categories (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
  const insertTag = sqlite.prepare('INSERT INTO tags (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
  const insertArticle = sqlite.prepare(`INSERT INTO articles (slug, title, subtitle, excerpt, body, lang, status, published_at, created_at,
      updated_at, category_id, author, source_name, breaking, reading_time_minutes, external_id)
    VALUES (?, ?, ?, ?, ?, 'ar', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const tagArticle = sqlite.prepare('INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)')
  const insertMedia = sqlite.prepare('INSERT INTO media (url, kind, provider, alt, created_at, updated_at) VALUES (?, ?, \'other\', ?, ?, ?)')
  const attach = sqlite.prepare('INSERT INTO article_media (article_id, media_id, role, position) VALUES (?, ?, ?, 0)')
  const write = sqlite.transaction((batch: any[]) => {
    const now = Date.now()
    for (const a of batch) {
      let categoryId = categories.get(a.category)
      if (categoryId === undefined) categories.set(a.category, categoryId = Number(insertCategory.run(a.category, a.category, now, now).lastInsertRowid))
      const id = Number(insertArticle.run(`${slugify(a.title)}-${a.externalId as string}`, a.title, a.subtitle, a.excerpt, a.body, a.status,
        Date.parse(a.publishedAt), now, now, categoryId, a.author, a.source.name, a.breaking === true ? 1 : 0,
        readingTimeMinutes(a.body), a.externalId).lastInsertRowid)
      a.tags.forEach((name: string, position: number) => {
        let tagId = tags.get(name)
        if (tagId === undefined) tags.set(name, tagId = Number(insertTag.run(slugify(name) || `tag-${tags.size}`, name, now, now).lastInsertRowid))
        tagArticle.run(id, tagId, position)
      })
      const m = a.media[0]
      attach.run(id, Number(insertMedia.run(m.url, m.kind, m.alt, now, now).lastInsertRowid), m.role)
    }
  })
  const started = performance.now()
  let batch: any[] = []
  for await (const line of lines(path)) {
    batch.push(JSON.parse(line))
    if (batch.length === BATCH) {
      write(batch)
      batch = []
    }
  }
  if (batch.length > 0) write(batch)
  const seconds = (performance.now() - started) / 1000
  sqlite.close()
  return seconds
}

/**
 * The baseline on PostgreSQL: the same rows as plainInsert, into a fresh schema with
 * khabar's tables, over one connection, 1,000 articles to a transaction, each table's rows
 * of a batch in one multi-row INSERT … SELECT FROM unnest(…) (new categories and tags one by
 * one, as they come, as on SQLite).
 */
async function plainInsertPg (path: string, url: string): Promise<number> {
  return await withClient(url, async c => {
    const categories = new Map<string, number>()
    const tags = new Map<string, number>()
    const idOf = async (sql: string, values: unknown[]): Promise<number> => (await c.query<{ id: number }>(sql, values)).rows[0].id
    const write = async (batch: any[]): Promise<void> => {
      const now = Date.now()
      await c.query('BEGIN')
      for (const a of batch) {
        if (!categories.has(a.category)) {
          categories.set(a.category, await idOf('INSERT INTO categories (slug, name, created_at, updated_at) VALUES ($1, $1, $2, $2) RETURNING id', [a.category, now]))
        }
        for (const name of a.tags as string[]) {
          if (!tags.has(name)) tags.set(name, await idOf('INSERT INTO tags (slug, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id', [slugify(name) || `tag-${tags.size}`, name, now]))
        }
      }
      const made = await insertColumns<{ id: number, external_id: string }>(c, 'articles', [
        ['slug', 'text'], ['title', 'text'], ['subtitle', 'text'], ['excerpt', 'text'], ['body', 'text'], ['lang', 'text'], ['status', 'text'],
        ['published_at', 'bigint'], ['created_at', 'bigint'], ['updated_at', 'bigint'], ['category_id', 'int'], ['author', 'text'],
        ['source_name', 'text'], ['breaking', 'boolean'], ['reading_time_minutes', 'int'], ['external_id', 'text']
      ], batch.map(a => [`${slugify(a.title)}-${a.externalId as string}`, a.title, a.subtitle, a.excerpt, a.body, 'ar', a.status,
        Date.parse(a.publishedAt), now, now, categories.get(a.category), a.author, a.source.name, a.breaking === true,
        readingTimeMinutes(a.body), a.externalId]), 'id, external_id')
      const ids = new Map(made.map(r => [r.external_id, r.id]))
      await insertColumns(c, 'article_tags', [['article_id', 'int'], ['tag_id', 'int'], ['position', 'int']],
        batch.flatMap(a => (a.tags as string[]).map((name, position) => [ids.get(a.externalId), tags.get(name), position])))
      const media = await insertColumns<{ id: number, url: string }>(c, 'media', [
        ['url', 'text'], ['kind', 'text'], ['provider', 'text'], ['alt', 'text'], ['created_at', 'bigint'], ['updated_at', 'bigint']
      ], batch.map(a => [a.media[0].url, a.media[0].kind, 'other', a.media[0].alt, now, now]), 'id, url')
      const mediaIds = new Map(media.map(r => [r.url, r.id]))
      await insertColumns(c, 'article_media', [['article_id', 'int'], ['media_id', 'int'], ['role', 'text'], ['position', 'int']],
        batch.map(a => [ids.get(a.externalId), mediaIds.get(a.media[0].url), a.media[0].role, 0]))
      await c.query('COMMIT')
    }
    const started = performance.now()
    let batch: any[] = []
    for await (const line of lines(path)) {
      batch.push(JSON.parse(line))
      if (batch.length === BATCH) {
        await write(batch)
        batch = []
      }
    }
    if (batch.length > 0) await write(batch)
    return (performance.now() - started) / 1000
  })
}

/** Streams the file to POST /v1/import, sampling the server's RSS and how long /health takes to answer meanwhile. */
async function postImport (origin: string, path: string, pid: number | undefined): Promise<Run> {
  let peakRss = memoryOf(pid)?.rss ?? 0
  const state = { done: false }
  const sampler = (async () => {
    while (!state.done) {
      peakRss = Math.max(peakRss, memoryOf(pid)?.rss ?? 0)
      await sleep(100)
    }
  })()
  // Another client's view of the server during the import: a request every 250 ms.
  const probes: number[] = []
  const prober = (async () => {
    await sleep(1000)
    while (!state.done) {
      const t = performance.now()
      try {
        await fetch(`${origin}/health`, { signal: AbortSignal.timeout(30_000) })
        probes.push(performance.now() - t)
      } catch {
        probes.push(Infinity)
      }
      await sleep(250)
    }
  })()
  const started = performance.now()
  const answer = await new Promise<ImportAnswer>((resolve, reject) => {
    const req = request(`${origin}/v1/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/x-ndjson' }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode !== 200) reject(new Error(`POST /v1/import answered ${res.statusCode ?? '?'}: ${body.slice(0, 500)}`))
        else resolve(JSON.parse(body) as ImportAnswer)
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    createReadStream(path).on('error', reject).pipe(req)
  })
  const seconds = (performance.now() - started) / 1000
  state.done = true
  await Promise.all([sampler, prober])
  peakRss = Math.max(peakRss, memoryOf(pid)?.rss ?? 0)
  return { seconds, answer, peakRss, probes }
}

function quantile (values: number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

function sizes (dbPath: string): { total: number, fts: number } {
  const sqlite = new Database(dbPath, { readonly: true })
  try {
    const rows = sqlite.prepare("SELECT name LIKE '%fts%' AS fts, sum(pgsize) AS bytes FROM dbstat GROUP BY fts").all() as Array<{ fts: number, bytes: number }>
    return { total: rows.reduce((s, r) => s + r.bytes, 0), fts: rows.find(r => r.fts === 1)?.bytes ?? 0 }
  } finally {
    sqlite.close()
  }
}

// What khabar's tables weigh in the schema a URL puts first on the search_path, with their
// indexes and TOAST, and the search index among them.
async function pgSizes (url: string): Promise<{ total: number, fts: number }> {
  return await withClient(url, async c => {
    const { rows } = await c.query<{ total: string, fts: string }>(`SELECT
      (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r') AS total,
      pg_total_relation_size('search_index') AS fts`)
    return { total: Number(rows[0].total), fts: Number(rows[0].fts) }
  })
}

type StorageEnv = Record<string, string | undefined>

// The server for an import, on the storage given and nothing inherited from the shell (a
// DATABASE_URL there must not turn the SQLite run into a PostgreSQL one).
async function startServer (name: string, storage: StorageEnv): Promise<{ server: Child, origin: string }> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const server = startChild(name, [...NODE_ARGS, SERVER_ENTRY], {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KHABAR_ADMIN_KEY: ADMIN_KEY,
    RATE_LIMIT_WRITES: '10000000',
    RATE_LIMIT_READS: '10000000',
    DATABASE_REPLICA_URLS: undefined,
    REDIS_URL: undefined,
    ...storage
  })
  await waitUntilUp(server, `${origin}/health`, 60_000)
  return { server, origin }
}

// The import through HTTP, then the same file again, on a server already started on a new
// database or schema; a search right after, and the server stopped.
async function importTwice (engine: Engine, path: string, server: Child, origin: string): Promise<Pick<EngineResult, 'first' | 'again' | 'startRss' | 'searchFound'>> {
  const name = ENGINE_NAMES[engine]
  const startRss = memoryOf(server.proc.pid)?.rss ?? NaN
  const first = await postImport(origin, path, server.proc.pid)
  console.log(`bench:import: ${name}: through HTTP ${fmt(N / first.seconds, 0)} articles/s (${fmt(first.seconds, 1)} s), ${JSON.stringify({ ...first.answer, errors: first.answer.errors.slice(0, 3) })}, peak RSS ${mb(first.peakRss)}`)
  const again = await postImport(origin, path, server.proc.pid)
  console.log(`bench:import: ${name}: again (all unchanged) ${fmt(N / again.seconds, 0)} lines/s (${fmt(again.seconds, 1)} s), ${JSON.stringify({ ...again.answer, errors: again.answer.errors.slice(0, 3) })}, peak RSS ${mb(again.peakRss)}`)
  // The articles are searchable as soon as the import answers.
  const probe = await (await fetch(`${origin}/v1/search?q=${encodeURIComponent('دمشق')}&limit=1`)).json() as { data: unknown[] }
  await stopChild(server)
  return { first, again, startRss, searchFound: probe.data.length > 0 }
}

async function runSqlite (path: string): Promise<EngineResult> {
  const plainSeconds = await plainInsert(path)
  console.log(`bench:import: SQLite: plain bulk insert ${fmt(N / plainSeconds, 0)} articles/s (${fmt(plainSeconds, 1)} s)`)
  const dbPath = join(DATA_DIR, 'import-server.db')
  removeDb(dbPath)
  const { server, origin } = await startServer('server (SQLite)', { DATABASE_PATH: dbPath, DATABASE_URL: undefined })
  const run = await importTwice('sqlite', path, server, origin)
  const { total, fts } = sizes(dbPath)
  const memory = new Database(':memory:')
  const version = `SQLite ${memory.prepare('SELECT sqlite_version()').pluck().get() as string}`
  memory.close()
  return { engine: 'sqlite', version, plainSeconds, ...run, total, index: fts, plainTotal: sizes(join(DATA_DIR, 'import-plain.db')).total }
}

// On PostgreSQL: the schemas import_plain and import_server of the database khabar_bench,
// made afresh; the real server's migrations make the tables of both (the plain insert's
// by a start of the server that is stopped once it answers).
async function runPostgres (path: string): Promise<EngineResult> {
  await ensureDatabase(BENCH_DATABASE)
  await freshSchema(BENCH_DATABASE, 'import_plain')
  const plainUrl = databaseUrl(BENCH_DATABASE, 'import_plain')
  await stopChild((await startServer('server (migrating import_plain)', { DATABASE_URL: plainUrl })).server)
  const plainSeconds = await plainInsertPg(path, plainUrl)
  console.log(`bench:import: PostgreSQL: plain bulk insert ${fmt(N / plainSeconds, 0)} articles/s (${fmt(plainSeconds, 1)} s)`)
  await freshSchema(BENCH_DATABASE, 'import_server')
  const url = databaseUrl(BENCH_DATABASE, 'import_server')
  const { server, origin } = await startServer('server (PostgreSQL)', { DATABASE_URL: url })
  const run = await importTwice('postgres', path, server, origin)
  const { total, fts } = await pgSizes(url)
  return { engine: 'postgres', version: `PostgreSQL ${(await serverVersion()).text}`, plainSeconds, ...run, total, index: fts, plainTotal: (await pgSizes(plainUrl)).total }
}

const complete = (r: EngineResult): boolean => r.first.answer.created === N && r.first.answer.failed === 0 && r.again.answer.unchanged === N

function section (results: EngineResult[], fileBytes: number, loadAtStart: number): string {
  const ok = (good: boolean): string => good ? 'pass' : 'FAIL'
  const cpus = os.cpus()
  const probes = (r: Run): string => `${fmt(quantile(r.probes, 0.5), 0)} / ${fmt(quantile(r.probes, 0.99), 0)} / ${fmt(Math.max(...r.probes), 0)} ms`
  const row = (measure: string, cell: (r: EngineResult) => string, target: string): string =>
    `| ${measure} | ${results.map(cell).join(' | ')} | ${target} |`
  const perEngine = (targets: Partial<Record<Engine, number>>, unit: string): string => {
    const stated = results.filter(r => targets[r.engine] !== undefined)
    return stated.length === 0 ? '—' : stated.map(r => `≥ ${fmt(targets[r.engine] as number, 0)} ${unit}${results.length > 1 ? ` (${ENGINE_NAMES[r.engine]})` : ''}`).join(', ')
  }
  const rate = (r: EngineResult): number => N / r.first.seconds
  const againRate = (r: EngineResult): number => N / r.again.seconds
  const reimport = (r: EngineResult): string => {
    const target = TARGET_REIMPORT[r.engine]
    return `${fmt(againRate(r), 0)} lines/s (${fmt(r.again.seconds, 1)} s)${target === undefined ? '' : `: ${ok(againRate(r) >= target)}`}`
  }
  const pg = results.some(r => r.engine === 'postgres')
  return `## Import (\`npm run bench:import\`)

- Date: ${new Date().toISOString()}
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${mb(os.totalmem())} RAM, Node ${process.version}; load average ${fmt(loadAtStart, 2)} at the start
- Data: ${N.toLocaleString('en-US')} synthetic Arabic articles (bench/import-lines.ts), about 3 KB of HTML each, with a category by slug, 2–4 tags and one featured image each: ${mb(fileBytes)} of NDJSON
- Engines: ${results.map(r => r.version).join(', ')}${pg ? ' (on the same machine, in fresh schemas of the database `khabar_bench`)' : ''}; one after the other
- Through HTTP: \`node dist/server.js\` on a new database${pg ? ' or schema' : ''}, the file streamed to \`POST /v1/import\` by this process (node:http), search index included; the answer comes when the last line is committed
- Baseline, in the same run: the same lines parsed and written, 1,000 articles to a transaction, into a new database${pg ? ' or schema' : ''} with the same schema (rows, tags, media), without validation, sanitising, revisions or the search index: on SQLite with prepared better-sqlite3 statements${pg ? ', on PostgreSQL over one node-postgres connection with one multi-row `INSERT … SELECT FROM unnest(…)` per table and batch' : ''}

| measure | ${results.map(r => ENGINE_NAMES[r.engine]).join(' | ')} | target |
| --- | ${results.map(() => '---:').join(' | ')} | --- |
${row('plain bulk insert (baseline)', r => `${fmt(N / r.plainSeconds, 0)} articles/s`, '—')}
${row('import through HTTP, search index included', r => `${fmt(rate(r), 0)} articles/s (${fmt(r.first.seconds, 1)} s): ${ok(rate(r) >= TARGET_RATE[r.engine])}`, perEngine(TARGET_RATE, 'articles/s'))}
${row('ratio to the baseline', r => fmt(rate(r) / (N / r.plainSeconds)), '—')}
${row('server RSS: at start / peak during the import', r => `${mb(r.startRss)} / ${mb(r.first.peakRss)}: ${ok(r.first.peakRss <= TARGET_RSS)}`, '≤ 300 MB')}
${row('import of the same file again (every line unchanged)', reimport, perEngine(TARGET_REIMPORT, 'lines/s'))}
${row('server RSS peak during the second import', r => `${mb(r.again.peakRss)}: ${ok(r.again.peakRss <= TARGET_RSS)}`, '≤ 300 MB')}
${row('`GET /health` during the import, every 250 ms: p50 / p99 / max', r => probes(r.first), '—')}
${row('the same during the second import', r => probes(r.again), '—')}
${row('data after the import (search index) / after the plain insert', r => `${mb(r.total)} (${mb(r.index)}) / ${mb(r.plainTotal)}`, '—')}

${results.map(r => `${ENGINE_NAMES[r.engine]}: first import \`${JSON.stringify({ ...r.first.answer, errors: r.first.answer.errors.length })}\`; second \`${JSON.stringify({ ...r.again.answer, errors: r.again.answer.errors.length })}\`${complete(r) ? '' : ' (**incomplete**)'}; a search for دمشق right after found ${r.searchFound ? 'hits' : '**nothing**'}.`).join('\n')}
${pg ? '\nOn PostgreSQL the data is what khabar\'s tables weigh with their indexes and TOAST (`pg_total_relation_size`), the search index being the table `search_index` with its GIN indexes; on SQLite the pages of the database file (`dbstat`), the search index being the FTS5 tables.\n' : ''}`
}

async function main (): Promise<void> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${relative(ROOT, SERVER_ENTRY)} is missing: run \`npm run build\` first (npm run bench:import does)`)
  mkdirSync(DATA_DIR, { recursive: true })
  const loadAtStart = os.loadavg()[0]
  const engines = await resolveEngines(line => console.log(line.replace(/^bench:/, 'bench:import:')))
  const path = await importFile()
  const fileBytes = statSync(path).size
  console.log(`bench:import: ${N} articles, ${mb(fileBytes)} of NDJSON in ${relative(ROOT, path)}; engines: ${engines.map(e => ENGINE_NAMES[e]).join(', ')}`)

  const results: EngineResult[] = []
  for (const engine of engines) results.push(engine === 'sqlite' ? await runSqlite(path) : await runPostgres(path))

  const text = section(results, fileBytes, loadAtStart)
  console.log(`\n${text}`)
  writeSection('import', text)
  console.log(`bench:import: wrote its section of ${RESULTS_NAME}`)
  if (!results.every(complete)) process.exitCode = 1
}

try {
  await main()
} catch (err) {
  console.error(`bench:import: ${(err as Error).stack ?? String(err)}`)
  process.exitCode = 1
} finally {
  await stopAll()
}
