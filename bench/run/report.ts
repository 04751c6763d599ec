// The results of npm run bench as a table and as its section of bench/RESULTS.md.
import os from 'node:os'
import { viewedArticles, type BuildResult } from '../build-db.ts'
import { fmt, mb, type Child } from '../lib.ts'
import { cpuPerRequest, otherCpuMs, percent, type Measured } from './measure.ts'
import { CONNECTIONS, DURATION, N, RATE_LIMIT_VIEWS, WARMUP } from './settings.ts'

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

export interface Summary {
  results: Measured[]
  // The two baseline runs, first and last, and the mean the ratios are to.
  baselines: Measured[]
  baselineRps: number
  table: string
  // How much of a core the machine's other processes used, on average over the measured runs.
  others: string
}

export function summarise (results: Measured[], rss: number | undefined): Summary {
  const baselines = results.filter(m => m.scenario.server === 'baseline')
  const baselineRps = baselines.reduce((sum, m) => sum + m.rps, 0) / baselines.length
  const measuredSeconds = results.reduce((sum, m) => sum + m.seconds, 0)
  const others = percent(results.reduce((sum, m) => sum + otherCpuMs(m), 0), measuredSeconds)
  return { results, baselines, baselineRps, table: table(results, baselineRps, rss), others }
}

// What the report says of the run beside the measurements.
export interface RunFacts {
  built: BuildResult
  // The server's first start on the cached database, and the measured server's start on its copy.
  primeSeconds: number
  startSeconds: number
  startMemory: { rss: number, hwm: number } | undefined
  memory: { rss: number, hwm: number } | undefined
  loadAtStart: number
  // The measured server, for what it logged at warn or above.
  server: Pick<Child, 'lines' | 'tail'>
}

export function readsSection ({ results, baselines, baselineRps, table: text, others }: Summary, facts: RunFacts): string {
  const { built, primeSeconds, startSeconds, startMemory, memory, loadAtStart, server } = facts
  const serverLog = server.lines === 0 ? 'none' : `${server.lines} lines; the last:\n\n\`\`\`\n${server.tail.slice(-5).join('\n')}\n\`\`\``
  const errored = results.filter(m => m.non2xx + m.errors > 0)
  const cpus = os.cpus()
  return `## Reads, views and search

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
}
