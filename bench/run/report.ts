// The results of npm run bench as tables, one per engine, and as its section of bench/RESULTS.md.
import os from 'node:os'
import { viewedArticles, type BuildResult } from '../build-db.ts'
import { fmt, mb, type Child } from '../lib.ts'
import { ENGINE_NAMES, type Engine } from '../pg.ts'
import { cpuPerRequest, databaseCpuPerRequest, otherCpuMs, percent, type Measured } from './measure.ts'
import { CONNECTIONS, DURATION, N, RATE_LIMIT_VIEWS, WARMUP } from './settings.ts'

const MAX_RSS = 250 * 1024 * 1024

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

function targetOf (m: Measured): string {
  const { minRatio, maxP50, maxP99 } = m.scenario
  const targets = [
    minRatio === undefined ? '' : `≥ ${fmt(minRatio)}`,
    maxP50 === undefined ? '' : `p50 ≤ ${maxP50} ms`,
    maxP99 === undefined ? '' : `p99 ≤ ${maxP99} ms`
  ].filter(Boolean)
  return targets.length === 0 ? '—' : targets.join(', ')
}

const hasDatabase = (m: Measured): boolean => Number.isFinite(m.databaseCpuMs)
const errorsOf = (m: Measured): string => {
  const errors = m.non2xx + m.errors
  return errors === 0 ? '0' : `**${errors}**`
}
// Per request: the server's CPU, plus the database backends' on PostgreSQL.
const perRequest = (m: Measured): string => `${fmt(cpuPerRequest(m), 0)} µs${hasDatabase(m) ? ` + ${fmt(databaseCpuPerRequest(m), 0)} µs` : ''}`
const shares = (m: Measured): string =>
  `${percent(m.serverCpuMs, m.seconds)} / ${hasDatabase(m) ? percent(m.databaseCpuMs, m.seconds) : '—'} / ${percent(m.clientCpuMs, m.seconds)} / ${percent(otherCpuMs(m), m.seconds)}`

function table (results: Measured[], baseline: number, rss: number | undefined): string {
  const rows = [
    '| route | req/s | p50 | p99 | errors | of baseline | target | result | CPU per request: server (+ database) | CPU: server / database / client / other |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |'
  ]
  for (const m of results) {
    const ratio = m.rps / baseline
    rows.push(`| ${m.scenario.label} | ${fmt(m.rps, 0)} | ${m.p50} ms | ${m.p99} ms | ${errorsOf(m)} | ${fmt(ratio)} | ${targetOf(m)} | ${verdict(m, ratio)} | ${perRequest(m)} | ${shares(m)} |`)
  }
  const memory = rss === undefined ? '—' : mb(rss)
  const memoryResult = rss === undefined ? '—' : rss <= MAX_RSS ? 'pass' : 'FAIL'
  rows.push(`| server RSS after the runs (${N.toLocaleString('en-US')} articles) | | | | | ${memory} | ≤ 250 MB | ${memoryResult} | | |`)
  return rows.join('\n')
}

export interface Summary {
  engine: Engine
  results: Measured[]
  // The two baseline runs, first and last, and the mean the ratios are to.
  baselines: Measured[]
  baselineRps: number
  table: string
  // How much of a core the machine's other processes used, on average over the measured runs.
  others: string
}

export function summarise (engine: Engine, results: Measured[], rss: number | undefined): Summary {
  const baselines = results.filter(m => m.scenario.server === 'baseline')
  const baselineRps = baselines.reduce((sum, m) => sum + m.rps, 0) / baselines.length
  const measuredSeconds = results.reduce((sum, m) => sum + m.seconds, 0)
  const others = percent(results.reduce((sum, m) => sum + otherCpuMs(m), 0), measuredSeconds)
  return { engine, results, baselines, baselineRps, table: table(results, baselineRps, rss), others }
}

/** A route on one server with every connection, then on two servers on the same database sharing them. */
export interface Pair {
  one: Measured
  two: Measured
}

export function pairTable (pairs: Pair[], baseline: number): string {
  const rows = [
    '| route | servers | req/s | p50 | p99 | errors | of baseline | two / one | CPU per request: servers + database | CPU: servers / database / client / other |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  for (const { one, two } of pairs) {
    const connections = one.scenario.connections ?? CONNECTIONS
    for (const m of [one, two]) {
      const servers = m.servers === 1 ? `one, ${connections} connections` : `two, ${Math.ceil(connections / 2)} + ${Math.floor(connections / 2)} connections`
      rows.push(`| ${m.scenario.label} | ${servers} | ${fmt(m.rps, 0)} | ${m.p50} ms | ${m.p99} ms | ${errorsOf(m)} | ${fmt(m.rps / baseline)} | ${m === two ? fmt(two.rps / one.rps) : ''} | ${perRequest(m)} | ${shares(m)} |`)
    }
  }
  return rows.join('\n')
}

// What the report says of one engine's runs beside the measurements.
export interface EngineRun {
  summary: Summary
  // The engine's version, e.g. "PostgreSQL 15.20".
  version: string
  built: BuildResult
  // The server's first start on the cache; the copy of the cache the run had; the measured server's start on it.
  primeSeconds: number
  copySeconds: number
  startSeconds: number
  startMemory: { rss: number, hwm: number } | undefined
  memory: { rss: number, hwm: number } | undefined
  // The measured server, for what it logged at warn or above.
  server: Pick<Child, 'lines' | 'tail'>
  indexSize: string
  // Two servers on one database (PostgreSQL), and the second server's RSS after them.
  pairs?: Pair[]
  secondMemory?: { rss: number, hwm: number } | undefined
}

const cache = (engine: Engine, n: number): string => engine === 'sqlite' ? `\`bench/.data/bench-${n}.db\`` : `the database \`khabar_bench_${n}\``

function engineSection (run: EngineRun): string {
  const { summary: { engine, baselines, baselineRps, table: text }, built, primeSeconds, copySeconds, startSeconds, startMemory, memory } = run
  const copy = engine === 'sqlite' ? `a copy of the file (${copySeconds} s)` : `a copy of the database, \`CREATE DATABASE … TEMPLATE\` (${copySeconds} s)`
  const lines = [
    `### ${ENGINE_NAMES[engine]}`,
    '',
    `- Engine: ${run.version}${engine === 'postgres' ? ' on the same machine (its backends are processes of their own: their CPU is the "database" column, and their memory is not in the server\'s RSS)' : ', in the server\'s process'}`,
    `- Data: ${cache(engine, N)}, ${built.reused ? 'reused from the cache' : `built in ${built.seconds} s`}; the server's first start on it, until its search index had caught up, took ${primeSeconds} s, which is kept in the cache; the measured server ran on ${copy} and started in ${startSeconds} s`,
    `- Baseline: run first (${fmt(baselines[0]?.rps ?? NaN, 0)} req/s) and last (${fmt(baselines[baselines.length - 1]?.rps ?? NaN, 0)} req/s) around this engine's routes; its ratios are to their mean, ${fmt(baselineRps, 0)} req/s`,
    `- Server RSS: ${startMemory === undefined ? '?' : mb(startMemory.rss)} at start, ${memory === undefined ? '?' : mb(memory.rss)} after the runs (peak ${memory === undefined ? '?' : mb(memory.hwm)})`,
    '',
    text,
    '',
    run.indexSize.trim()
  ]
  if (run.pairs !== undefined && run.pairs.length > 0) {
    const second = run.secondMemory
    lines.push('', `#### Two khabar processes on one database against one (${ENGINE_NAMES[engine]})`, '',
      'Each route first on the measured server with all the connections, then on it and a second server (its own port, the same database) at once, ' +
      'an autocannon for each with half the connections; req/s is the sum of the two, p50 and p99 are of every answer of both (from each answer\'s time, ' +
      `the one-server run measured the same way). The second server's RSS after them: ${second === undefined ? '?' : mb(second.rss)}.`,
      '', pairTable(run.pairs, baselineRps))
  }
  return lines.join('\n')
}

export function readsSection (runs: EngineRun[], loadAtStart: number): string {
  const cpus = os.cpus()
  const first = runs[0].summary.results.filter(m => m.scenario.server === 'khabar')
  const others = runs.map(r => `${r.summary.others} during ${ENGINE_NAMES[r.summary.engine]}'s`).join(', ')
  const notes: string[] = [
    ...first.map(m => `- ${m.scenario.label}: ${m.scenario.about}.`),
    '- Latency under load: autocannon keeps every connection busy, and the server answers one request at a time, so a route\'s p50 is about its connections × its server CPU per request. The search routes run at 10 connections: a cold search\'s few ms of CPU (on SQLite most of it bm25, whose document-frequency pass reads every posting of each query term: 1–3 ms for a common word on 100,000 articles) shows as tens of ms of p50; a repeated query is answered from the response cache.',
    ...(runs.some(r => r.summary.engine === 'postgres')
      ? ['- On PostgreSQL each query is a round trip over a socket to a backend, a process of its own: the server waits while the backend works (the database column), and both share the cores with autocannon; on SQLite the query runs inside the server\'s process, in its CPU.']
      : []),
    '- Before each route the bench waits until the server (and on PostgreSQL the database\'s backends) is idle (a slow route leaves up to one request per connection being answered after autocannon stops).' +
      runs.flatMap(r => r.summary.results.filter(m => m.settleSeconds > 2).map(m => ` Before ${m.scenario.label} on ${ENGINE_NAMES[r.summary.engine]}: ${fmt(m.settleSeconds, 1)} s.`)).join(''),
    '- req/s is autocannon\'s mean of per-second samples; p99 is its latency percentile; errors are non-2xx answers plus connection errors (timeouts included: autocannon gives up on a request after 10 s); a route where non-2xx answers and connection errors other than timeouts exceed 1 % of its requests is marked invalid rather than pass or fail.',
    `- CPU per request is the CPU time (user + system, from /proc) the server (or the baseline) process used during the measured run divided by the requests, plus on PostgreSQL the same for the backends connected to the bench's database; "CPU: server / database / client / other" is how much of one core the server, the database's backends, autocannon (this process) and every other process on the machine used during the run (100 % = one core; the machine has ${cpus.length}). When they add up to about the machine's cores, the machine, not the server alone, is the limit; a large "other" means something else was running and the run is skewed.`
  ]
  for (const run of runs) {
    const name = ENGINE_NAMES[run.summary.engine]
    const measured = [...run.summary.results, ...(run.pairs ?? []).flatMap(p => [p.one, p.two])]
    const errored = measured.filter(m => m.non2xx + m.errors > 0)
    notes.push(errored.length === 0
      ? `- ${name}: every request of every route was answered 2xx.`
      : errored.map(m => `- ${name}, ${m.scenario.label}${m.servers > 1 ? ' (two servers)' : ''}: status codes ${JSON.stringify(m.statusCodes)}, ${m.errors} connection errors (${m.timeouts} timeouts); the first request answered ${m.preflight}.`).join('\n'))
    notes.push(`- ${name}: the server's log at warn or above during the runs: ${run.server.lines === 0 ? 'none' : `${run.server.lines} lines; the last:\n\n\`\`\`\n${run.server.tail.slice(-5).join('\n')}\n\`\`\``}`)
  }
  if (process.env.BENCH_NOTE !== undefined && process.env.BENCH_NOTE !== '') notes.push(`- ${process.env.BENCH_NOTE}`)
  return `## Reads, views and search

The latest full run of \`npm run bench\` (bench/run.ts; see bench/README.md). Each full run rewrites this section.

- Date: ${new Date().toISOString()}
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()}, Node ${process.version}
- Data: ${N.toLocaleString('en-US')} published articles, about 3.1 KB of Arabic HTML each, ${viewedArticles(N).toLocaleString('en-US')} of them with daily view rows for the last 4 days; the same rows (one generator) on each engine
- Engines: ${runs.map(r => ENGINE_NAMES[r.summary.engine]).join(', then ')}, each with its own server process and its own baseline runs, one after the other
- Load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route after ${WARMUP} s of warm-up that is not counted, no pipelining, one route at a time; autocannon and the servers share the machine's ${cpus.length} cores
- Baseline: a bare Fastify \`{hello:'world'}\` server, run first and last around each engine's routes
- Other load: the machine's load average was ${fmt(loadAtStart, 2)} when the bench started; other processes used ${others} runs (of a core, on average)
- Server: \`node dist/server.js\`, LOG_LEVEL=warn, RATE_LIMIT_READS, RATE_LIMIT_WRITES and RATE_LIMIT_VIEWS at ${RATE_LIMIT_VIEWS} a minute (the limiter runs but never refuses), on a copy of the engine's cached data set

${runs.map(engineSection).join('\n\n')}

Notes:

${notes.join('\n')}
`
}
