// One route under load: autocannon against a running server for BENCH_DURATION seconds
// (after BENCH_WARMUP seconds that are not counted), with the CPU time the server, the
// database's backends (PostgreSQL), this process and the rest of the machine spent
// meanwhile. Two servers on one database share the connections: one autocannon each, at once.
import autocannon from 'autocannon'
import { cpuMsOf, fmt, machineCpuMs, settle } from '../lib.ts'
import { backendCpu } from '../pg.ts'
import type { Scenario } from './scenario.ts'
import { CONNECTIONS, DURATION, WARMUP } from './settings.ts'

export interface Measured {
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
  // CPU time the server process (or processes) and this process (autocannon) spent during the run, ms.
  serverCpuMs: number
  // CPU time the database's backends spent during the run, ms: NaN on SQLite, which runs
  // in the server's process (and is in serverCpuMs).
  databaseCpuMs: number
  clientCpuMs: number
  // Busy CPU time of the whole machine during the run, ms: what is left after the server
  // and this process is other processes (a test suite running alongside skews the run).
  machineCpuMs: number
  seconds: number
  // How long the server took to go idle after the previous route.
  settleSeconds: number
  // The servers the connections were spread over.
  servers: number
}

/** Where a route is run and whose CPU counts. */
export interface Target {
  // One khabar server, or two sharing the connections (half each, an autocannon each).
  origins: string[]
  // Whose CPU counts as the server's: the baseline's, or the khabar servers'.
  pids: Array<number | undefined>
  // What must be idle before each run: the khabar servers.
  idle: Array<number | undefined>
  // The database's backends (PostgreSQL): waited for with the servers, their CPU counted apart.
  backends?: () => Promise<number[]>
  // Latency percentiles from each 2xx answer's own time rather than autocannon's histogram:
  // a run split over two autocannons has no one histogram, and the one-server runs it is
  // compared with are measured the same way.
  sampleLatency?: boolean
}

// What one run of load gave, over however many autocannons.
interface Load {
  rps: number
  p50: number
  p99: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  seconds: number
}

let agentCounter = 0

function cannon (origin: string, s: Scenario, seconds: number, connections: number, samples?: number[]): Promise<autocannon.Result> {
  let i = 0
  const agent = `khabar-bench/${process.pid}`
  return new Promise((resolve, reject) => {
    let finished = false
    const instance = autocannon({
      url: origin,
      connections,
      pipelining: 1,
      duration: seconds,
      method: s.method,
      requests: [{
        method: s.method,
        headers: s.headers,
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
    // autocannon's own histogram keeps 2xx answers only; so do the samples.
    if (samples !== undefined) instance.on('response', (_client, status, _bytes, time) => { if (status >= 200 && status < 300) samples.push(time) })
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
      headers: { ...s.headers, 'user-agent': `khabar-bench/${process.pid} preflight` },
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

// The q-quantile of the samples, in whole ms as autocannon's histogram gives it.
function quantileMs (samples: number[], q: number): number {
  if (samples.length === 0) return NaN
  const sorted = Float64Array.from(samples).sort()
  return Math.floor(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))])
}

async function load (s: Scenario, t: Target, seconds: number): Promise<Load> {
  const total = s.connections ?? CONNECTIONS
  const shares = t.origins.map((_, i) => Math.floor(total / t.origins.length) + (i < total % t.origins.length ? 1 : 0))
  const samples: number[] | undefined = t.sampleLatency === true || t.origins.length > 1 ? [] : undefined
  const results = await Promise.all(t.origins.map((origin, i) => cannon(origin, s, seconds, Math.max(1, shares[i]), samples)))
  const sum = (f: (r: autocannon.Result) => number): number => results.reduce((acc, r) => acc + f(r), 0)
  const statusCodes: Record<string, number> = {}
  for (const r of results) {
    for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + Number(count ?? 0)
  }
  return {
    rps: sum(r => r.requests.average),
    p50: samples === undefined ? results[0].latency.p50 : quantileMs(samples, 0.5),
    p99: samples === undefined ? results[0].latency.p99 : quantileMs(samples, 0.99),
    requests: sum(r => r.requests.total),
    non2xx: sum(r => r.non2xx),
    errors: sum(r => r.errors),
    timeouts: sum(r => r.timeouts),
    statusCodes,
    seconds: Math.max(...results.map(r => r.duration))
  }
}

const cpuOf = (pids: Array<number | undefined>): number => pids.reduce((sum: number, pid) => sum + cpuMsOf(pid), 0)

export async function measure (s: Scenario, t: Target): Promise<Measured> {
  const idle = async (): Promise<number> => await settle([...t.idle, ...(t.backends === undefined ? [] : await t.backends())])
  const waited = await idle()
  const answers: string[] = []
  for (const origin of t.origins) answers.push(await preflight(origin, s))
  // The first server's answer, or the first that was not a success.
  const preflightStatus = answers.find(a => !/^2\d\d$/.test(a)) ?? answers[0]
  if (WARMUP > 0) {
    await load(s, t, WARMUP)
    await idle()
  }
  const databaseCpu = t.backends === undefined ? undefined : await backendCpu(t.backends)
  const serverCpu = cpuOf(t.pids)
  const clientCpu = process.cpuUsage()
  const machineCpu = machineCpuMs()
  const r = await load(s, t, DURATION)
  const clientUsed = process.cpuUsage(clientCpu)
  const machineUsed = machineCpuMs() - machineCpu
  const serverUsed = cpuOf(t.pids) - serverCpu
  const m: Measured = {
    scenario: s,
    ...r,
    preflight: preflightStatus,
    serverCpuMs: serverUsed,
    databaseCpuMs: databaseCpu === undefined ? NaN : await databaseCpu(),
    clientCpuMs: (clientUsed.user + clientUsed.system) / 1000,
    machineCpuMs: machineUsed,
    settleSeconds: waited,
    servers: t.origins.length
  }
  const database = Number.isFinite(m.databaseCpuMs) ? ` + database ${fmt(databaseCpuPerRequest(m), 0)} µs (${percent(m.databaseCpuMs, m.seconds)})` : ''
  console.log(`bench: ${(t.origins.length > 1 ? `${s.key} ×${t.origins.length}` : s.key).padEnd(13)} ${fmt(m.rps, 0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  ` +
    `non-2xx ${m.non2xx}  errors ${m.errors}  codes ${JSON.stringify(m.statusCodes)}  ` +
    `${m.settleSeconds > 2 ? `(waited ${fmt(m.settleSeconds, 1)} s for the server to go idle first)  ` : ''}` +
    `server ${fmt(cpuPerRequest(m), 0)} µs CPU/req (${percent(m.serverCpuMs, m.seconds)} of a core)${database}, client ${percent(m.clientCpuMs, m.seconds)}, other ${percent(otherCpuMs(m), m.seconds)}`)
  return m
}

export const cpuPerRequest = (m: Measured): number => (m.serverCpuMs * 1000) / (m.requests + m.errors)
export const databaseCpuPerRequest = (m: Measured): number => (m.databaseCpuMs * 1000) / (m.requests + m.errors)
export const otherCpuMs = (m: Measured): number =>
  Math.max(0, m.machineCpuMs - m.serverCpuMs - m.clientCpuMs - (Number.isFinite(m.databaseCpuMs) ? m.databaseCpuMs : 0))
export const percent = (cpuMs: number, seconds: number): string => `${fmt((cpuMs / 10) / seconds, 0)} %`
