// One route under load: autocannon against a running server for BENCH_DURATION seconds
// (after BENCH_WARMUP seconds that are not counted), with the CPU time the server, this
// process and the rest of the machine spent meanwhile.
import autocannon from 'autocannon'
import { cpuMsOf, fmt, machineCpuMs, settle } from '../lib.ts'
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

export async function measure (origin: string, s: Scenario, pid: number | undefined, serverPid: number | undefined): Promise<Measured> {
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

export const cpuPerRequest = (m: Measured): number => (m.serverCpuMs * 1000) / (m.requests + m.errors)
export const otherCpuMs = (m: Measured): number => Math.max(0, m.machineCpuMs - m.serverCpuMs - m.clientCpuMs)
export const percent = (cpuMs: number, seconds: number): string => `${fmt((cpuMs / 10) / seconds, 0)} %`
