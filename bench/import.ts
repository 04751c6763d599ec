// npm run bench:import: pours an archive of synthetic Arabic articles into the real server
// (node dist/server.js) through POST /v1/import, streamed over HTTP, and compares it with a
// plain better-sqlite3 bulk insert of the same rows into the same schema, in the same run.
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
import { importLine } from './import-lines.ts'
import {
  DATA_DIR, ROOT, SERVER_ENTRY, envInt, fmt, freePort, mb, memoryOf, startChild, stopAll, stopChild, waitUntilUp, writeSection
} from './lib.ts'

const N = envInt('BENCH_IMPORT_ARTICLES', 100_000, 1)
// The seed of the import file: other than the read bench's, so nothing is shared by chance.
const SEED = 20261127
const ADMIN_KEY = 'khb_bench-import-admin-key-0123456789'
// Extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=bench/.data/prof".
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
const TARGET_RATE = 5000
const TARGET_RSS = 300 * 1024 * 1024
const TARGET_REIMPORT = 20_000

interface ImportAnswer { created: number, updated: number, unchanged: number, failed: number, errors: unknown[], moreErrors: number }
interface Run { seconds: number, answer: ImportAnswer, peakRss: number, probes: number[] }

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
 * The baseline: the same lines, parsed and written with prepared statements, 1,000 to a
 * transaction, into a fresh database with khabar's schema: the article row (its slug made
 * from the title), its tags (found or created by name) and its media item, attached. No
 * validation, no sanitising, no search index, no HTTP: what the rows alone cost.
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
    if (batch.length === 1000) {
      write(batch)
      batch = []
    }
  }
  if (batch.length > 0) write(batch)
  const seconds = (performance.now() - started) / 1000
  sqlite.close()
  return seconds
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

async function main (): Promise<void> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${relative(ROOT, SERVER_ENTRY)} is missing: run \`npm run build\` first (npm run bench:import does)`)
  mkdirSync(DATA_DIR, { recursive: true })
  const loadAtStart = os.loadavg()[0]
  const path = await importFile()
  const fileBytes = statSync(path).size
  console.log(`bench:import: ${N} articles, ${mb(fileBytes)} of NDJSON in ${relative(ROOT, path)}`)

  const plainSeconds = await plainInsert(path)
  const plainRate = N / plainSeconds
  console.log(`bench:import: plain bulk insert ${fmt(plainRate, 0)} articles/s (${fmt(plainSeconds, 1)} s)`)

  const dbPath = join(DATA_DIR, 'import-server.db')
  removeDb(dbPath)
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const server = startChild('server', [...NODE_ARGS, SERVER_ENTRY], {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'warn',
    KHABAR_ADMIN_KEY: ADMIN_KEY,
    RATE_LIMIT_WRITES: '10000000',
    RATE_LIMIT_READS: '10000000'
  })
  await waitUntilUp(server, `${origin}/health`, 60_000)
  const startRss = memoryOf(server.proc.pid)?.rss ?? NaN

  const first = await postImport(origin, path, server.proc.pid)
  const rate = N / first.seconds
  console.log(`bench:import: through HTTP ${fmt(rate, 0)} articles/s (${fmt(first.seconds, 1)} s), ${JSON.stringify({ ...first.answer, errors: first.answer.errors.slice(0, 3) })}, peak RSS ${mb(first.peakRss)}`)
  const again = await postImport(origin, path, server.proc.pid)
  const againRate = N / again.seconds
  console.log(`bench:import: again (all unchanged) ${fmt(againRate, 0)} lines/s (${fmt(again.seconds, 1)} s), ${JSON.stringify({ ...again.answer, errors: again.answer.errors.slice(0, 3) })}, peak RSS ${mb(again.peakRss)}`)

  // The articles are searchable as soon as the import answers.
  const probe = await (await fetch(`${origin}/v1/search?q=${encodeURIComponent('دمشق')}&limit=1`)).json() as { data: unknown[] }
  await stopChild(server)
  const { total, fts } = sizes(dbPath)
  const plainSize = sizes(join(DATA_DIR, 'import-plain.db')).total

  const ok = (good: boolean): string => good ? 'pass' : 'FAIL'
  const complete = first.answer.created === N && first.answer.failed === 0 && again.answer.unchanged === N
  const cpus = os.cpus()
  const p99 = (r: Run): string => `${fmt(quantile(r.probes, 0.5), 0)} / ${fmt(quantile(r.probes, 0.99), 0)} / ${fmt(Math.max(...r.probes), 0)} ms`
  const section = `## Import (\`npm run bench:import\`)

- Date: ${new Date().toISOString()}
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${mb(os.totalmem())} RAM, Node ${process.version}; load average ${fmt(loadAtStart, 2)} at the start
- Data: ${N.toLocaleString('en-US')} synthetic Arabic articles (bench/import-lines.ts), about 3 KB of HTML each, with a category by slug, 2–4 tags and one featured image each: ${mb(fileBytes)} of NDJSON
- Through HTTP: \`node dist/server.js\` on a new database, the file streamed to \`POST /v1/import\` by this process (node:http), search index included; the answer comes when the last line is committed
- Baseline, in the same run: the same lines parsed and written with prepared better-sqlite3 statements, 1,000 to a transaction, into a new database with the same schema (rows, tags, media), without validation, sanitising, revisions or the search index

| measure | result | target | |
| --- | ---: | --- | --- |
| plain bulk insert (baseline) | ${fmt(plainRate, 0)} articles/s | — | — |
| import through HTTP, search index included | ${fmt(rate, 0)} articles/s (${fmt(first.seconds, 1)} s) | ≥ ${fmt(TARGET_RATE, 0)} articles/s | ${ok(rate >= TARGET_RATE)} |
| ratio to the baseline | ${fmt(rate / plainRate)} | — | — |
| server RSS: at start / peak during the import | ${mb(startRss)} / ${mb(first.peakRss)} | ≤ 300 MB | ${ok(first.peakRss <= TARGET_RSS)} |
| import of the same file again (every line unchanged) | ${fmt(againRate, 0)} lines/s (${fmt(again.seconds, 1)} s) | ≥ ${fmt(TARGET_REIMPORT, 0)} lines/s | ${ok(againRate >= TARGET_REIMPORT)} |
| server RSS peak during the second import | ${mb(again.peakRss)} | ≤ 300 MB | ${ok(again.peakRss <= TARGET_RSS)} |
| \`GET /health\` during the import, every 250 ms: p50 / p99 / max | ${p99(first)} | — | — |
| the same during the second import | ${p99(again)} | — | — |
| database after the import / after the plain insert | ${mb(total)} (search index ${mb(fts)}) / ${mb(plainSize)} | — | — |

Answers: first import \`${JSON.stringify({ ...first.answer, errors: first.answer.errors.length })}\`; second \`${JSON.stringify({ ...again.answer, errors: again.answer.errors.length })}\`${complete ? '' : ' (**incomplete**)'}; a search for دمشق right after found ${probe.data.length > 0 ? 'hits' : '**nothing**'}.
`
  console.log(`\n${section}`)
  writeSection('import', section)
  console.log('bench:import: wrote its section of bench/RESULTS.md')
  if (!complete) process.exitCode = 1
}

try {
  await main()
} catch (err) {
  console.error(`bench:import: ${(err as Error).stack ?? String(err)}`)
  process.exitCode = 1
} finally {
  await stopAll()
}
