// npm run bench: builds (or reuses) a data set of synthetic Arabic articles on each engine
// (BENCH_ENGINES: SQLite, PostgreSQL), starts a bare Fastify baseline and, one engine after
// the other, the real server (node dist/server.js) on a copy of that engine's data, runs
// autocannon against one route at a time, and prints (and writes to bench/RESULTS.md)
// requests/s, p99 and the ratio to the baseline measured around that engine's routes; on
// PostgreSQL also two servers on one database against one. See bench/README.md for the knobs.
// This file prepares the data, starts and stops the servers and runs the routes in order;
// bench/run/ holds the routes (reads.ts, views.ts, search.ts), how one is measured
// (measure.ts) and the tables and report (report.ts).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { buildBenchDb, removeDb, type BuildResult } from './build-db.ts'
import { buildPgBench, copyPgDatabase, vacuumPg } from './build-pg.ts'
import {
  BENCH_DIR, DATA_DIR, RESULTS_NAME, ROOT, SERVER_ENTRY, fmt, freePort, mb, memoryOf,
  settle, startChild, stopAll, stopChild, waitUntilUp, writeSection, type Child
} from './lib.ts'
import { BENCH_DATABASE, ENGINE_NAMES, backendsOf, databaseUrl, resolveEngines, serverVersion, withClient, type Engine } from './pg.ts'
import { measure, type Measured, type Target } from './run/measure.ts'
import { readScenarios } from './run/reads.ts'
import { pairTable, readsSection, summarise, type EngineRun, type Pair } from './run/report.ts'
import { baselineScenario, forEngine, type Scenario } from './run/scenario.ts'
import { pgSearchIndexSize, searchIndexSize, searchScenarios } from './run/search.ts'
import { CONNECTIONS, DURATION, N, NODE_ARGS, ONLY, RATE_LIMIT_READS, RATE_LIMIT_VIEWS, RATE_LIMIT_WRITES, WARMUP } from './run/settings.ts'
import { viewScenarios } from './run/views.ts'

const BASELINE_ENTRY = join(BENCH_DIR, 'baseline.ts')
// The BENCH_ROUTES name of the two-servers-on-one-database runs (PostgreSQL).
const PAIR_KEY = 'two-processes'
// The routes those runs repeat on two servers.
const PAIR_ROUTES = ['id', 'list']

// Which storage a server uses: these variables, and none inherited from the shell (a
// DATABASE_URL there must not turn the SQLite runs into PostgreSQL ones, nor a REDIS_URL
// add a cache to either).
type StorageEnv = Record<string, string | undefined>
const sqliteStorage = (path: string): StorageEnv => ({ DATABASE_PATH: path, DATABASE_URL: undefined, DATABASE_REPLICA_URLS: undefined, REDIS_URL: undefined })
const pgStorage = (url: string): StorageEnv => ({ DATABASE_URL: url, DATABASE_REPLICA_URLS: undefined, REDIS_URL: undefined })

function serverEnv (port: number, storage: StorageEnv): StorageEnv {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_VIEWS,
    RATE_LIMIT_READS,
    RATE_LIMIT_WRITES,
    ...storage
  }
}

// Starts the real server and waits until it answers /health. A start that fails is tried
// once more: on a busy machine, compiling the schemas at start can outlast Fastify's
// 10 s plugin timeout. The first failure is printed, never hidden.
async function startServer (name: string, nodeArgs: string[], port: number, storage: StorageEnv, timeoutMs: number): Promise<Child> {
  for (let attempt = 1; ; attempt++) {
    const child = startChild(name, [...nodeArgs, SERVER_ENTRY], serverEnv(port, storage))
    try {
      await waitUntilUp(child, `http://127.0.0.1:${port}/health`, timeoutMs)
      return child
    } catch (err) {
      await stopChild(child)
      if (attempt === 2) throw err
      console.error(`bench: ${name} did not start (trying once more): ${(err as Error).message}`)
    }
  }
}

// Starts the real server once on a cached data set and stops it when it answers, so
// whatever it does at start on data it has not seen (migrations, indexing the articles for
// search) is done once and kept in the cache. Returns the seconds it took.
async function prime (storage: StorageEnv, stale: () => Promise<number>): Promise<number> {
  const started = performance.now()
  const port = await freePort()
  const child = await startServer('server (first start on the cached data set)', [], port, storage, 30 * 60_000)
  // The server indexes the articles its search index lacks in the background once it is up:
  // wait until it has none left, so the measured server does not do it during the runs.
  while (await stale() > 0) {
    if (child.done) throw new Error(`the server exited while indexing:\n${child.tail.join('\n')}`)
    await sleep(1000)
  }
  await stopChild(child)
  if (child.lines > 0) console.log(`bench: the server logged at its first start:\n${child.tail.slice(-5).join('\n')}`)
  return Math.round((performance.now() - started) / 100) / 10
}

// An engine's data set, ready: cached, primed, and copied for this run.
interface Prepared {
  engine: Engine
  version: string
  built: BuildResult
  primeSeconds: number
  copySeconds: number
  storage: StorageEnv
  // The database's backends (PostgreSQL).
  backends?: () => Promise<number[]>
  indexSize: () => Promise<string>
}

async function prepareSqlite (): Promise<Prepared> {
  const cachePath = join(DATA_DIR, `bench-${N}.db`)
  const built = buildBenchDb(cachePath, N)
  const primeSeconds = await prime(sqliteStorage(cachePath), async () => {
    const sqlite = new Database(cachePath, { readonly: true })
    try {
      return sqlite.prepare(`SELECT count(*) FROM articles a LEFT JOIN search_indexed s ON s.article_id = a.id
        WHERE s.version IS NULL OR s.version <> a.version`).pluck().get() as number
    } finally {
      sqlite.close()
    }
  })
  // The server writes views into its database: it gets a copy, and the cache stays as built.
  const started = performance.now()
  const runPath = join(DATA_DIR, `run-${N}.db`)
  removeDb(runPath)
  copyFileSync(cachePath, runPath)
  const copySeconds = Math.round((performance.now() - started) / 100) / 10
  const memory = new Database(':memory:')
  const version = `SQLite ${memory.prepare('SELECT sqlite_version()').pluck().get() as string} (better-sqlite3)`
  memory.close()
  return { engine: 'sqlite', version, built, primeSeconds, copySeconds, storage: sqliteStorage(runPath), indexSize: async () => await searchIndexSize(runPath) }
}

async function preparePostgres (): Promise<Prepared> {
  const built = await buildPgBench(N, async (url) => {
    // Started once on the empty database, its migrations make the tables.
    const child = await startServer('server (migrating a new PostgreSQL database)', [], await freePort(), pgStorage(url), 120_000)
    await stopChild(child)
  })
  const stale = `SELECT count(*)::int AS n FROM articles a LEFT JOIN search_index s ON s.article_id = a.id
    WHERE s.version IS NULL OR s.version <> a.version`
  const primeSeconds = await prime(pgStorage(built.url), async () => await withClient(built.url, async c => (await c.query<{ n: number }>(stale)).rows[0].n))
  const vacuumStarted = performance.now()
  await vacuumPg(built.url)
  console.log(`bench: VACUUM (ANALYZE) of ${built.database} took ${fmt((performance.now() - vacuumStarted) / 1000, 1)} s`)
  // As with SQLite's file: the server posts views into a copy, the cache stays as built.
  const runDatabase = `${BENCH_DATABASE}_run`
  const copySeconds = await copyPgDatabase(built.database, runDatabase)
  const url = databaseUrl(runDatabase)
  return {
    engine: 'postgres',
    version: `PostgreSQL ${(await serverVersion()).text}`,
    built,
    primeSeconds,
    copySeconds,
    storage: pgStorage(url),
    backends: backendsOf(runDatabase),
    indexSize: async () => await pgSearchIndexSize(url)
  }
}

// Every route in the order it runs: the baseline first and last, the reads, the views, search.
function scenarios (): Scenario[] {
  return [
    baselineScenario('first', 'the baseline, run first'),
    ...readScenarios(),
    ...viewScenarios(),
    ...searchScenarios(),
    baselineScenario('last', 'the baseline again, run last')
  ]
}

interface Baseline { child: Child, origin: string }

// One engine: its server started on its copy, the plan run against it (and, on PostgreSQL,
// the two-server runs before the last baseline), the server stopped.
async function runEngine (p: Prepared, plan: Scenario[], all: Scenario[], wantsPair: boolean, baseline: Baseline): Promise<EngineRun> {
  const name = ENGINE_NAMES[p.engine]
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const serverStarted = performance.now()
  const server = await startServer(`server (${name})`, NODE_ARGS, port, p.storage, 120_000)
  const startSeconds = Math.round((performance.now() - serverStarted) / 100) / 10
  const startMemory = memoryOf(server.proc.pid)
  console.log(`bench: ${name}: ${N} articles, ${DURATION} s per route (after ${WARMUP} s of warm-up), ${CONNECTIONS} connections; ` +
    `server up in ${startSeconds} s, RSS ${startMemory === undefined ? '?' : mb(startMemory.rss)}`)
  const khabar: Target = { origins: [origin], pids: [server.proc.pid], idle: [server.proc.pid], backends: p.backends }
  const bare: Target = { origins: [baseline.origin], pids: [baseline.child.proc.pid], idle: [server.proc.pid] }
  const alive = (child: Child): void => {
    if (child.done) throw new Error(`${child.name} exited during the runs:\n${child.tail.join('\n')}`)
  }

  const results: Measured[] = []
  let pairs: Pair[] | undefined
  let secondMemory: EngineRun['secondMemory']
  for (const [i, s] of plan.entries()) {
    if (i === plan.length - 1 && p.engine === 'postgres' && wantsPair) {
      ({ pairs, secondMemory } = await runPairs(p, all, server, origin))
    }
    alive(server)
    results.push(await measure(forEngine(s, p.engine), s.server === 'baseline' ? bare : khabar))
  }
  await settle(server.proc.pid)
  const memory = memoryOf(server.proc.pid)
  const summary = summarise(p.engine, results, memory?.rss)
  const indexSize = await p.indexSize()
  await stopChild(server)
  console.log(`\nbench: ${name}:\n\n${summary.table}\n${pairs === undefined ? '' : `\n${pairTable(pairs, summary.baselineRps)}\n`}`)
  if (server.lines > 0) console.log(`bench: the server logged ${server.lines} lines at warn or above; the last:\n${server.tail.slice(-5).join('\n')}`)
  console.log(`bench: other processes used ${summary.others} of a core on average during ${name}'s measured runs`)
  const { version, built, primeSeconds, copySeconds } = p
  return { summary, version, built, primeSeconds, copySeconds, startSeconds, startMemory, memory, server, indexSize, pairs, secondMemory }
}

// Two khabar processes on one database against one: a second server on the same copy,
// then each of PAIR_ROUTES on the measured server alone with every connection and on both
// with half each. Latency is taken from each answer on both sides, so they compare.
async function runPairs (p: Prepared, all: Scenario[], server: Child, origin: string): Promise<{ pairs: Pair[], secondMemory: EngineRun['secondMemory'] }> {
  const port = await freePort()
  const second = await startServer(`second server (${ENGINE_NAMES[p.engine]})`, NODE_ARGS, port, p.storage, 120_000)
  try {
    const both = [server.proc.pid, second.proc.pid]
    const pairs: Pair[] = []
    for (const key of PAIR_ROUTES) {
      const s = all.find(x => x.key === key)
      if (s === undefined) continue
      const scenario = forEngine(s, p.engine)
      const one = await measure(scenario, { origins: [origin], pids: [server.proc.pid], idle: both, backends: p.backends, sampleLatency: true })
      const two = await measure(scenario, { origins: [origin, `http://127.0.0.1:${port}`], pids: both, idle: both, backends: p.backends })
      pairs.push({ one, two })
    }
    return { pairs, secondMemory: memoryOf(second.proc.pid) }
  } finally {
    await stopChild(second)
  }
}

async function main (): Promise<void> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${relative(ROOT, SERVER_ENTRY)} is missing: run \`npm run build\` first (npm run bench does)`)
  mkdirSync(DATA_DIR, { recursive: true })
  const loadAtStart = os.loadavg()[0]
  if (loadAtStart > 0.5) console.warn(`bench: the load average is ${fmt(loadAtStart, 2)}: something else is running, and the numbers will show it`)
  const engines = await resolveEngines()
  console.log(`bench: engines: ${engines.map(e => ENGINE_NAMES[e]).join(', ')}`)

  const all = scenarios()
  const plan = ONLY.length === 0 ? all : all.filter(s => s.server === 'baseline' || ONLY.includes(s.key))
  const wantsPair = ONLY.length === 0 || ONLY.includes(PAIR_KEY)
  if (ONLY.length > 0 && plan.length === 2 && !wantsPair) {
    throw new Error(`BENCH_ROUTES=${ONLY.join(',')} names no route; routes: ${all.filter(s => s.server === 'khabar').map(s => s.key).join(', ')}, ${PAIR_KEY} (PostgreSQL)`)
  }

  // Every engine's data first: building one must not run beside another's measurements.
  const prepared: Prepared[] = []
  for (const engine of engines) {
    const p = engine === 'sqlite' ? await prepareSqlite() : await preparePostgres()
    console.log(`bench: ${ENGINE_NAMES[engine]}: the server's start on the cached data set took ${p.primeSeconds} s (whatever it did then is kept in the cache); the run's copy took ${p.copySeconds} s`)
    prepared.push(p)
  }

  const basePort = await freePort()
  const child = startChild('baseline', ['--import', 'tsx', BASELINE_ENTRY], { PORT: String(basePort), HOST: '127.0.0.1' })
  const baseline = { child, origin: `http://127.0.0.1:${basePort}` }
  await waitUntilUp(child, `${baseline.origin}/`, 60_000)

  const runs: EngineRun[] = []
  for (const p of prepared) runs.push(await runEngine(p, plan, all, wantsPair, baseline))
  if (ONLY.length === 0) {
    writeSection('reads', readsSection(runs, loadAtStart))
    console.log(`bench: wrote its section of ${RESULTS_NAME}`)
  } else {
    console.log('bench: BENCH_ROUTES is set, so bench/RESULTS.md is left as it was')
  }
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return
    stopping = true
    console.error(`bench: ${signal}: stopping the servers`)
    stopAll().finally(() => process.exit(130))
  })
}

try {
  await main()
} catch (err) {
  console.error(`bench: ${(err as Error).stack ?? String(err)}`)
  process.exitCode = 1
} finally {
  await stopAll()
}
