// npm run bench: builds (or reuses) a database of synthetic Arabic articles, starts a bare
// Fastify baseline and the real server (node dist/server.js), runs autocannon against one
// route at a time, and prints (and writes to bench/RESULTS.md) requests/s, p99 and the
// ratio to the baseline measured in the same run. See bench/README.md for the knobs.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { SEED, buildBenchDb, removeDb, viewedArticles } from './build-db.ts'
import { NOUNS, PLACES, int, mulberry32, pick, seedOf } from './generate.ts'
import {
  BENCH_DIR, DATA_DIR, ROOT, SERVER_ENTRY, cpuMsOf, envInt, fmt, freePort, machineCpuMs, mb, memoryOf,
  settle, startChild, stopAll, stopChild, waitUntilUp, writeSection, type Child
} from './lib.ts'

const BASELINE_ENTRY = join(BENCH_DIR, 'baseline.ts')

const N = envInt('BENCH_ARTICLES', 100_000, 1)
const DURATION = envInt('BENCH_DURATION', 10, 1)
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50, 1)
const WARMUP = envInt('BENCH_WARMUP', 1, 0)
const ONLY = (process.env.BENCH_ROUTES ?? '').split(',').map(s => s.trim()).filter(Boolean)
// Extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=bench/.data/prof".
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
// The highest value the server's config accepts (src/config.ts): far above what one
// address can send in a minute here, so the rate limits never answer 429.
const RATE_LIMIT_VIEWS = '10000000'
const RATE_LIMIT_READS = RATE_LIMIT_VIEWS
const RATE_LIMIT_WRITES = RATE_LIMIT_VIEWS
// How many articles the reads cycle over, and how many the views are spread over.
const READ_SET = 1000
const VIEW_SET = 10_000

interface Scenario {
  key: string
  label: string
  server: 'baseline' | 'khabar'
  method: 'GET' | 'POST'
  paths: string[]
  // A different user agent on every request, so the per-client dedupe counts each view.
  uniqueAgent?: boolean
  // Connections for this route instead of BENCH_CONNECTIONS (search is specified at 10).
  connections?: number
  minRatio?: number
  maxP50?: number
  maxP99?: number
  about: string
}

interface Measured {
  scenario: Scenario
  rps: number
  p50: number
  p99: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  preflight: string
  // CPU time the server process and this process (autocannon) spent during the run, ms.
  serverCpuMs: number
  clientCpuMs: number
  // Busy CPU time of the whole machine during the run, ms: what is left after the server
  // and this process is other processes (a test suite running alongside skews the run).
  machineCpuMs: number
  seconds: number
  // How long the server took to go idle after the previous route.
  settleSeconds: number
}

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

// Distinct article ids, the same on every run for a given N.
function sampleIds (count: number, salt: number): number[] {
  const r = mulberry32(seedOf(SEED + salt, N))
  const ids = new Set<number>()
  const want = Math.min(count, N)
  while (ids.size < want) ids.add(1 + int(r, N))
  return [...ids]
}

function scenarios (dbPath: string): Scenario[] {
  const sqlite = new Database(dbPath, { readonly: true })
  try {
    const readIds = sampleIds(READ_SET, 10)
    const slugOf = sqlite.prepare('SELECT slug FROM articles WHERE id = ?').pluck()
    const slugs = readIds.map(id => slugOf.get(id) as string)
    const categories = sqlite.prepare(`SELECT c.slug, (SELECT count(*) FROM categories k WHERE k.parent_id = c.id) AS children
      FROM categories c ORDER BY c.id`).all() as Array<{ slug: string, children: number }>
    const leaves = categories.filter(c => c.children === 0).map(c => c.slug)
    const parents = categories.filter(c => c.children > 0).map(c => c.slug)
    const listPath = (slug: string): string => `/v1/articles?category=${encodeURIComponent(slug)}&limit=20`
    const viewIds = sampleIds(VIEW_SET, 11)
    return [
      { key: 'baseline', label: 'bare Fastify `{hello:\'world\'}` (first run)', server: 'baseline', method: 'GET', paths: ['/'], about: 'the baseline, run first' },
      {
        key: 'id',
        label: '`GET /v1/articles/{id}`',
        server: 'khabar',
        method: 'GET',
        paths: readIds.map(id => `/v1/articles/${id}`),
        minRatio: 0.75,
        about: `cycles over ${readIds.length} fixed article ids spread over all ${N}`
      },
      {
        key: 'slug',
        label: '`GET /v1/articles/{slug}` (percent-encoded)',
        server: 'khabar',
        method: 'GET',
        paths: slugs.map(slug => `/v1/articles/${encodeURIComponent(slug)}`),
        minRatio: 0.75,
        about: `the same ${slugs.length} articles by their Arabic slugs, percent-encoded`
      },
      {
        key: 'list',
        label: '`GET /v1/articles?category=X&limit=20` (leaf category)',
        server: 'khabar',
        method: 'GET',
        paths: leaves.map(listPath),
        minRatio: 0.5,
        about: `cycles over the ${leaves.length} categories without subcategories`
      },
      {
        key: 'list-parent',
        label: '`GET /v1/articles?category=X&limit=20` (category with subcategories)',
        server: 'khabar',
        method: 'GET',
        paths: parents.map(listPath),
        minRatio: 0.5,
        about: `cycles over the ${parents.length} categories that have subcategories (the list includes them)`
      },
      {
        key: 'rankings',
        label: '`GET /v1/rankings/articles?window=24h`',
        server: 'khabar',
        method: 'GET',
        paths: ['/v1/rankings/articles?window=24h'],
        minRatio: 0.75,
        about: `${viewedArticles(N)} articles have daily view rows for the last 4 days`
      },
      {
        key: 'views',
        label: '`POST /v1/articles/{id}/views`',
        server: 'khabar',
        method: 'POST',
        paths: viewIds.map(id => `/v1/articles/${id}/views`),
        uniqueAgent: true,
        minRatio: 0.8,
        maxP99: 25,
        about: `cycles over ${viewIds.length} article ids with a different user agent on every request`
      },
      ...searchScenarios(),
      { key: 'baseline', label: 'bare Fastify `{hello:\'world\'}` (last run)', server: 'baseline', method: 'GET', paths: ['/'], about: 'the baseline again, run last' }
    ]
  } finally {
    sqlite.close()
  }
}

// Search as readers type it: single words (news nouns with and without the article, and
// place names, some with an attached preposition) and pairs of them, with page sizes from 11
// to 30; typeahead prefixes of 2 to 4 letters, alone or after a whole word. The same lists on
// every run. Each list holds 20,000 distinct URLs (as far as the words allow), so that most
// requests miss the response cache (an LRU of 32 MB, about 1,500 pages of search hits) and
// the search itself is measured; the notes give how many distinct URLs each route had.
function searchScenarios (): Scenario[] {
  const r = mulberry32(seedOf(SEED + 20, N))
  const bare = (w: string): string => w.startsWith('ال') ? w.slice(2) : w
  const words = [...new Set([...NOUNS, ...NOUNS.map(bare), ...PLACES, ...PLACES.map(p => 'ب' + p)])]
  const prefixes = [...new Set(NOUNS.map(bare).flatMap(w => [2, 3, 4].map(k => w.slice(0, k))))]
  const q = (text: string): string => encodeURIComponent(text)
  const distinct = (make: () => string): string[] => {
    const out = new Set<string>()
    for (let tries = 0; out.size < 20_000 && tries < 200_000; tries++) out.add(make())
    return [...out]
  }
  const page = (): string => `&limit=${11 + int(r, 20)}`
  const one = distinct(() => `/v1/search?q=${q(pick(r, words))}${page()}`)
  const two = distinct(() => `/v1/search?q=${q(`${pick(r, words)} ${pick(r, words)}`)}${page()}`)
  const suggest = distinct(() => `/v1/search/suggest?q=${q(r() < 0.3 ? pick(r, prefixes) : `${pick(r, NOUNS)} ${pick(r, prefixes)}`)}`)
  const about = (paths: string[], what: string): string => `cycles over ${paths.length.toLocaleString('en-US')} distinct URLs: ${what}, 10 connections`
  // The same routes as a site's traffic repeats them: its 200 most asked queries, which the
  // response cache answers after their first time (until the next write).
  const popular = (paths: string[]): string[] => paths.slice(0, 200)
  const warm = (paths: string[]): string => 'the first 200 of those URLs, over and over: the response cache answers all but their first request; 10 connections'
  return [
    { key: 'search-1', label: '`GET /v1/search?q=` (one Arabic word, distinct queries)', server: 'khabar', method: 'GET', paths: one, connections: 10, maxP50: 5, maxP99: 30, about: about(one, `one of ${words.length} words, pages of 11–30 hits with snippets`) },
    { key: 'search-2', label: '`GET /v1/search?q=` (two Arabic words, distinct queries)', server: 'khabar', method: 'GET', paths: two, connections: 10, maxP50: 5, maxP99: 30, about: about(two, 'two of the same words, pages of 11–30 hits with snippets') },
    { key: 'suggest', label: '`GET /v1/search/suggest?q=` (distinct prefixes)', server: 'khabar', method: 'GET', paths: suggest, connections: 10, maxP99: 10, about: about(suggest, `one of ${prefixes.length} prefixes of 2–4 letters, 30 % alone and 70 % after a whole word`) },
    { key: 'search-1-warm', label: '`GET /v1/search?q=` (one word, 200 popular queries)', server: 'khabar', method: 'GET', paths: popular(one), connections: 10, maxP50: 5, maxP99: 30, about: warm(one) },
    { key: 'search-2-warm', label: '`GET /v1/search?q=` (two words, 200 popular queries)', server: 'khabar', method: 'GET', paths: popular(two), connections: 10, maxP50: 5, maxP99: 30, about: warm(two) },
    { key: 'suggest-warm', label: '`GET /v1/search/suggest?q=` (200 popular prefixes)', server: 'khabar', method: 'GET', paths: popular(suggest), connections: 10, maxP99: 10, about: warm(suggest) }
  ]
}

let agentCounter = 0

function cannon (origin: string, s: Scenario, seconds: number): Promise<autocannon.Result> {
  let i = 0
  const agent = `khabar-bench/${process.pid}`
  return new Promise((resolve, reject) => {
    let finished = false
    const instance = autocannon({
      url: origin,
      connections: s.connections ?? CONNECTIONS,
      pipelining: 1,
      duration: seconds,
      method: s.method,
      requests: [{
        method: s.method,
        // Every route, the baseline included, builds its request here, so the client's
        // cost per request is the same in all runs.
        setupRequest: (req) => {
          req.path = s.paths[i++ % s.paths.length]
          if (s.uniqueAgent === true) req.headers = { ...req.headers, 'user-agent': `${agent} ${agentCounter++}` }
          return req
        }
      }]
    }, (err, result) => {
      finished = true
      clearTimeout(timer)
      if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(String(err)))
      else resolve(result)
    })
    const timer = setTimeout(() => {
      if (finished) return
      console.error(`bench: ${s.key} ran past ${seconds + 30} s; stopping it`)
      instance.stop()
    }, (seconds + 30) * 1000)
  })
}

async function preflight (origin: string, s: Scenario): Promise<string> {
  try {
    const res = await fetch(origin + s.paths[0], {
      method: s.method,
      headers: { 'user-agent': `khabar-bench/${process.pid} preflight` },
      signal: AbortSignal.timeout(10_000)
    })
    const body = await res.text()
    if (res.ok) return `${res.status}`
    const line = `${res.status} ${body.slice(0, 300)}`
    console.error(`bench: ${s.key}: ${s.method} ${s.paths[0]} answered ${line}`)
    return line
  } catch (err) {
    return `error: ${(err as Error).message}`
  }
}

async function measure (origin: string, s: Scenario, pid: number | undefined, serverPid: number | undefined): Promise<Measured> {
  const waited = await settle(serverPid)
  const preflightStatus = await preflight(origin, s)
  if (WARMUP > 0) {
    await cannon(origin, s, WARMUP)
    await settle(serverPid)
  }
  const serverCpu = cpuMsOf(pid)
  const clientCpu = process.cpuUsage()
  const machineCpu = machineCpuMs()
  const r = await cannon(origin, s, DURATION)
  const clientUsed = process.cpuUsage(clientCpu)
  const statusCodes: Record<string, number> = {}
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(count ?? 0)
  const m: Measured = {
    scenario: s,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    preflight: preflightStatus,
    serverCpuMs: cpuMsOf(pid) - serverCpu,
    clientCpuMs: (clientUsed.user + clientUsed.system) / 1000,
    machineCpuMs: machineCpuMs() - machineCpu,
    seconds: r.duration,
    settleSeconds: waited
  }
  console.log(`bench: ${s.key.padEnd(11)} ${fmt(m.rps, 0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  ` +
    `non-2xx ${m.non2xx}  errors ${m.errors}  codes ${JSON.stringify(statusCodes)}  ` +
    `${m.settleSeconds > 2 ? `(waited ${fmt(m.settleSeconds, 1)} s for the server to go idle first)  ` : ''}` +
    `server ${fmt(cpuPerRequest(m), 0)} µs CPU/req (${percent(m.serverCpuMs, m.seconds)} of a core), client ${percent(m.clientCpuMs, m.seconds)}, other ${percent(otherCpuMs(m), m.seconds)}`)
  return m
}

const cpuPerRequest = (m: Measured): number => (m.serverCpuMs * 1000) / (m.requests + m.errors)
const otherCpuMs = (m: Measured): number => Math.max(0, m.machineCpuMs - m.serverCpuMs - m.clientCpuMs)
const percent = (cpuMs: number, seconds: number): string => `${fmt((cpuMs / 10) / seconds, 0)} %`

// The result of a measured route: pass or FAIL; invalid when more than 1 % of the answers
// were not 2xx or connections failed (other than by timing out: a request that takes longer
// than autocannon's 10 s timeout is a slow answer, so a FAIL, not a broken run).
function verdict (m: Measured, ratio: number): string {
  const bad = m.non2xx + m.errors - m.timeouts
  if (m.requests === 0) return 'invalid (no answer)'
  if (bad > 0.01 * (m.requests + m.errors)) return `invalid (${bad} errors)`
  const { minRatio, maxP50, maxP99 } = m.scenario
  if (minRatio === undefined && maxP50 === undefined && maxP99 === undefined) return '—'
  const ok = m.timeouts === 0 && (minRatio === undefined || ratio >= minRatio) &&
    (maxP50 === undefined || m.p50 <= maxP50) && (maxP99 === undefined || m.p99 <= maxP99)
  return ok ? 'pass' : m.timeouts > 0 ? `FAIL (${m.timeouts} timed out)` : 'FAIL'
}

function table (results: Measured[], baseline: number, rss: number | undefined): string {
  const rows = [
    '| route | req/s | p50 | p99 | errors | of baseline | target | result | server CPU per request | CPU: server / client / other |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |'
  ]
  for (const m of results) {
    const ratio = m.rps / baseline
    const { minRatio, maxP50, maxP99 } = m.scenario
    const targets = [
      minRatio === undefined ? '' : `≥ ${fmt(minRatio)}`,
      maxP50 === undefined ? '' : `p50 ≤ ${maxP50} ms`,
      maxP99 === undefined ? '' : `p99 ≤ ${maxP99} ms`
    ].filter(Boolean)
    const target = targets.length === 0 ? '—' : targets.join(', ')
    const errors = m.non2xx + m.errors
    rows.push(`| ${m.scenario.label} | ${fmt(m.rps, 0)} | ${m.p50} ms | ${m.p99} ms | ${errors === 0 ? '0' : `**${errors}**`} | ${fmt(ratio)} | ${target} | ${verdict(m, ratio)} | ${fmt(cpuPerRequest(m), 0)} µs | ${percent(m.serverCpuMs, m.seconds)} / ${percent(m.clientCpuMs, m.seconds)} / ${percent(otherCpuMs(m), m.seconds)} |`)
  }
  const memory = rss === undefined ? '—' : mb(rss)
  const memoryResult = rss === undefined ? '—' : rss <= 250 * 1024 * 1024 ? 'pass' : 'FAIL'
  rows.push(`| server RSS after the runs (${N.toLocaleString('en-US')} articles) | | | | | ${memory} | ≤ 250 MB | ${memoryResult} | | |`)
  return rows.join('\n')
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
  const baselines = results.filter(m => m.scenario.server === 'baseline')
  const baselineRps = baselines.reduce((sum, m) => sum + m.rps, 0) / baselines.length
  const text = table(results, baselineRps, memory?.rss)
  console.log(`\n${text}\n`)

  const serverLog = server.lines === 0 ? 'none' : `${server.lines} lines; the last:\n\n\`\`\`\n${server.tail.slice(-5).join('\n')}\n\`\`\``
  if (server.lines > 0) console.log(`bench: the server logged ${server.lines} lines at warn or above; the last:\n${server.tail.slice(-5).join('\n')}`)
  const errored = results.filter(m => m.non2xx + m.errors > 0)
  const measuredSeconds = results.reduce((sum, m) => sum + m.seconds, 0)
  const others = percent(results.reduce((sum, m) => sum + otherCpuMs(m), 0), measuredSeconds)
  console.log(`bench: other processes used ${others} of a core on average during the measured runs (load average ${fmt(loadAtStart, 2)} at the start)`)
  const cpus = os.cpus()
  const report = `## Reads, views and search

The latest full run of \`npm run bench\` (bench/run.ts; see bench/README.md). Each full run rewrites this section.

- Date: ${new Date().toISOString()}
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()}, Node ${process.version}
- Data: ${N.toLocaleString('en-US')} published articles, about 3.1 KB of Arabic HTML each, ${viewedArticles(N).toLocaleString('en-US')} of them with daily view rows for the last 4 days (database ${built.reused ? 'reused from the cache' : `built in ${built.seconds} s`}; the server's first start on it, until its search index had caught up, took ${primeSeconds} s, which is kept in the cache: the measured server started from a copy in ${startSeconds} s)
- Load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route after ${WARMUP} s of warm-up that is not counted, no pipelining, one route at a time; autocannon and the servers share the machine's ${cpus.length} cores
- Baseline: a bare Fastify \`{hello:'world'}\` server, run first (${fmt(baselines[0]?.rps ?? NaN, 0)} req/s) and last (${fmt(baselines[baselines.length - 1]?.rps ?? NaN, 0)} req/s); ratios are to their mean, ${fmt(baselineRps, 0)} req/s
- Other load: the machine's load average was ${fmt(loadAtStart, 2)} when the bench started; other processes used ${others} of a core on average during the measured runs
- Server: \`node dist/server.js\`, LOG_LEVEL=warn, RATE_LIMIT_READS, RATE_LIMIT_WRITES and RATE_LIMIT_VIEWS at ${RATE_LIMIT_VIEWS} a minute (the limiter runs but never refuses), on a copy of the database; RSS ${startMemory === undefined ? '?' : mb(startMemory.rss)} at start, ${memory === undefined ? '?' : mb(memory.rss)} after the runs (peak ${memory === undefined ? '?' : mb(memory.hwm)})

${text}

Notes:

${results.filter(m => m.scenario.server === 'khabar').map(m => `- ${m.scenario.label}: ${m.scenario.about}; p50 ${m.p50} ms.`).join('\n')}
- Latency under load: autocannon keeps every connection busy, and the server answers one request at a time, so a route's p50 is about its connections × its server CPU per request. The search routes run at 10 connections: a cold search's few ms of CPU (most of it SQLite's bm25, whose document-frequency pass reads every posting of each query term: 1–3 ms for a common word on 100,000 articles) shows as tens of ms of p50; a repeated query is answered from the response cache.
- Before each route the bench waits until the server is idle (a slow route leaves up to one request per connection being answered after autocannon stops).${results.filter(m => m.settleSeconds > 2).map(m => ` Before ${m.scenario.label}: ${fmt(m.settleSeconds, 1)} s.`).join('')}
- req/s is autocannon's mean of per-second samples; p99 is its latency percentile; errors are non-2xx answers plus connection errors (timeouts included: autocannon gives up on a request after 10 s); a route where non-2xx answers and connection errors other than timeouts exceed 1 % of its requests is marked invalid rather than pass or fail.
- Server CPU per request is the CPU time (user + system, from /proc) the server (or the baseline) process used during the measured run divided by the requests; "CPU: server / client / other" is how much of one core the server, autocannon (this process) and every other process on the machine used during the run (100 % = one core; the machine has ${cpus.length}). When server and client add up to about the machine's cores, the machine, not the server alone, is the limit; a large "other" means something else was running and the run is skewed.
${errored.length === 0 ? '- Every request of every route was answered 2xx.' : errored.map(m => `- ${m.scenario.label}: status codes ${JSON.stringify(m.statusCodes)}, ${m.errors} connection errors (${m.timeouts} timeouts); the first request answered ${m.preflight}.`).join('\n')}
- Server log at warn or above during the runs: ${serverLog}
${process.env.BENCH_NOTE === undefined || process.env.BENCH_NOTE === '' ? '' : `- ${process.env.BENCH_NOTE}\n`}`
  if (ONLY.length === 0) {
    writeSection('reads', `${report}\n${await searchIndexSize(runPath)}`)
    console.log('bench: wrote its section of bench/RESULTS.md')
  } else {
    console.log('bench: BENCH_ROUTES is set, so bench/RESULTS.md is left as it was')
  }
}

// What the search index weighs on disk, beside the whole database (SQLite's dbstat).
async function searchIndexSize (databasePath: string): Promise<string> {
  const sqlite = new Database(databasePath, { readonly: true })
  try {
    const rows = sqlite.prepare(`SELECT CASE WHEN name LIKE 'articles_fts%' THEN 'articles_fts' WHEN name LIKE 'article_titles_fts%' THEN 'article_titles_fts' ELSE 'rest' END AS part,
      sum(pgsize) AS bytes FROM dbstat GROUP BY part`).all() as Array<{ part: string, bytes: number }>
    const size = (part: string): number => rows.find(r => r.part === part)?.bytes ?? 0
    const total = rows.reduce((sum, r) => sum + r.bytes, 0)
    const fts = size('articles_fts')
    const titles = size('article_titles_fts')
    return `Search index size (${N.toLocaleString('en-US')} articles): the full-text index \`articles_fts\` (titles and text, no prefix indexes) ${mb(fts)}, ` +
      `the typeahead index \`article_titles_fts\` (titles, prefix indexes of 1–3 letters) ${mb(titles)}; together ${fmt(100 * (fts + titles) / total, 0)} % of the ${mb(total)} database ` +
      `(${fmt((fts + titles) / N, 0)} bytes an article; the articles' own rows and indexes take ${mb(size('rest'))}).\n`
  } finally {
    sqlite.close()
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
