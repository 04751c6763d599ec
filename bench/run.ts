// npm run bench: builds (or reuses) a database of synthetic Arabic articles, starts a bare
// Fastify baseline and the real server (node dist/server.js), runs autocannon against one
// route at a time, and prints (and writes to bench/RESULTS.md) requests/s, p99 and the
// ratio to the baseline measured in the same run. See bench/README.md for the knobs.
// This file starts and stops the servers and runs the routes in order; bench/run/ holds
// the routes (reads.ts, views.ts, search.ts), how one is measured (measure.ts) and the
// table and report (report.ts).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { buildBenchDb, removeDb } from './build-db.ts'
import {
  BENCH_DIR, DATA_DIR, ROOT, SERVER_ENTRY, fmt, freePort, mb, memoryOf,
  settle, startChild, stopAll, stopChild, waitUntilUp, writeSection, type Child
} from './lib.ts'
import { measure, type Measured } from './run/measure.ts'
import { readScenarios } from './run/reads.ts'
import { readsSection, summarise } from './run/report.ts'
import { baselineScenario, type Scenario } from './run/scenario.ts'
import { searchIndexSize, searchScenarios } from './run/search.ts'
import { CONNECTIONS, DURATION, N, NODE_ARGS, ONLY, RATE_LIMIT_READS, RATE_LIMIT_VIEWS, RATE_LIMIT_WRITES, WARMUP } from './run/settings.ts'
import { viewScenarios } from './run/views.ts'

const BASELINE_ENTRY = join(BENCH_DIR, 'baseline.ts')

function serverEnv (port: number, databasePath: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_VIEWS,
    RATE_LIMIT_READS,
    RATE_LIMIT_WRITES
  }
}

// Starts the real server once on the cached database and stops it when it answers, so
// whatever it does at start on a database it has not seen (migrations, indexing the
// articles for search) is done once and kept in the cache. Returns the seconds it took.
async function prime (databasePath: string): Promise<number> {
  const started = performance.now()
  const port = await freePort()
  const child = await startServer('server (first start on the cached database)', [], port, databasePath, 30 * 60_000)
  // The server indexes the articles its search index lacks in the background once it is up:
  // wait until it has none left, so the measured server does not do it during the runs.
  await untilIndexed(databasePath, child)
  await stopChild(child)
  if (child.lines > 0) console.log(`bench: the server logged at its first start:\n${child.tail.slice(-5).join('\n')}`)
  return Math.round((performance.now() - started) / 100) / 10
}

async function untilIndexed (databasePath: string, child: Child): Promise<void> {
  const sqlite = new Database(databasePath, { readonly: true })
  const stale = sqlite.prepare(`SELECT count(*) FROM articles a LEFT JOIN search_indexed s ON s.article_id = a.id
    WHERE s.version IS NULL OR s.version <> a.version`).pluck()
  try {
    for (let left = stale.get() as number; left > 0; left = stale.get() as number) {
      if (child.done) throw new Error(`the server exited while indexing:\n${child.tail.join('\n')}`)
      await sleep(1000)
    }
  } finally {
    sqlite.close()
  }
}

// Starts the real server and waits until it answers /health. A start that fails is tried
// once more: on a busy machine, compiling the schemas at start can outlast Fastify's
// 10 s plugin timeout. The first failure is printed, never hidden.
async function startServer (name: string, nodeArgs: string[], port: number, databasePath: string, timeoutMs: number): Promise<Child> {
  for (let attempt = 1; ; attempt++) {
    const child = startChild(name, [...nodeArgs, SERVER_ENTRY], serverEnv(port, databasePath))
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

// Every route in the order it runs: the baseline first and last, the reads, the views, search.
function scenarios (dbPath: string): Scenario[] {
  const sqlite = new Database(dbPath, { readonly: true })
  try {
    return [
      baselineScenario('first', 'the baseline, run first'),
      ...readScenarios(sqlite),
      ...viewScenarios(),
      ...searchScenarios(),
      baselineScenario('last', 'the baseline again, run last')
    ]
  } finally {
    sqlite.close()
  }
}

async function main (): Promise<void> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${relative(ROOT, SERVER_ENTRY)} is missing: run \`npm run build\` first (npm run bench does)`)
  mkdirSync(DATA_DIR, { recursive: true })
  const loadAtStart = os.loadavg()[0]
  if (loadAtStart > 0.5) console.warn(`bench: the load average is ${fmt(loadAtStart, 2)}: something else is running, and the numbers will show it`)
  const cachePath = join(DATA_DIR, `bench-${N}.db`)
  const built = buildBenchDb(cachePath, N)
  const primeSeconds = await prime(cachePath)
  console.log(`bench: the server's start on the cached database took ${primeSeconds} s (whatever it did then is kept in the cache)`)
  const all = scenarios(cachePath)
  const plan = ONLY.length === 0 ? all : all.filter(s => s.server === 'baseline' || ONLY.includes(s.key))
  if (ONLY.length > 0 && plan.length === 2) throw new Error(`BENCH_ROUTES=${ONLY.join(',')} names no route; routes: ${all.filter(s => s.server === 'khabar').map(s => s.key).join(', ')}`)

  // The server writes views into its database: it gets a copy, and the cache stays as built.
  const runPath = join(DATA_DIR, `run-${N}.db`)
  removeDb(runPath)
  copyFileSync(cachePath, runPath)

  const [basePort, serverPort] = [await freePort(), await freePort()]
  const baseline = startChild('baseline', ['--import', 'tsx', BASELINE_ENTRY], { PORT: String(basePort), HOST: '127.0.0.1' })
  const origins = { baseline: `http://127.0.0.1:${basePort}`, khabar: `http://127.0.0.1:${serverPort}` }
  await waitUntilUp(baseline, `${origins.baseline}/`, 60_000)
  const serverStarted = performance.now()
  const server = await startServer('server', NODE_ARGS, serverPort, runPath, 120_000)
  const startSeconds = Math.round((performance.now() - serverStarted) / 100) / 10
  const startMemory = memoryOf(server.proc.pid)
  console.log(`bench: ${N} articles, ${DURATION} s per route (after ${WARMUP} s of warm-up), ${CONNECTIONS} connections; ` +
    `server up in ${startSeconds} s, RSS ${startMemory === undefined ? '?' : mb(startMemory.rss)}`)

  const results: Measured[] = []
  for (const s of plan) {
    if (server.done) throw new Error(`the server exited during the runs:\n${server.tail.join('\n')}`)
    results.push(await measure(origins[s.server], s, (s.server === 'baseline' ? baseline : server).proc.pid, server.proc.pid))
  }
  await settle(server.proc.pid)
  const memory = memoryOf(server.proc.pid)
  const summary = summarise(results, memory?.rss)
  console.log(`\n${summary.table}\n`)
  if (server.lines > 0) console.log(`bench: the server logged ${server.lines} lines at warn or above; the last:\n${server.tail.slice(-5).join('\n')}`)
  console.log(`bench: other processes used ${summary.others} of a core on average during the measured runs (load average ${fmt(loadAtStart, 2)} at the start)`)
  const report = readsSection(summary, { built, primeSeconds, startSeconds, startMemory, memory, loadAtStart, server })
  if (ONLY.length === 0) {
    writeSection('reads', `${report}\n${await searchIndexSize(runPath)}`)
    console.log('bench: wrote its section of bench/RESULTS.md')
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
