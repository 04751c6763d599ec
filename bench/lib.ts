// What the benchmark scripts share: child processes (the servers), ports, memory and CPU
// readings from /proc, number formatting, and writing a section of bench/RESULTS.md.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(BENCH_DIR, '..')
export const DATA_DIR = join(BENCH_DIR, '.data')
export const SERVER_ENTRY = join(ROOT, 'dist', 'server.js')
// BENCH_RESULTS writes the sections elsewhere (a trial run that should not touch the committed file).
export const RESULTS = process.env.BENCH_RESULTS === undefined || process.env.BENCH_RESULTS === ''
  ? join(BENCH_DIR, 'RESULTS.md')
  : resolve(process.env.BENCH_RESULTS)
// RESULTS as the scripts print it.
export const RESULTS_NAME = RESULTS.startsWith(ROOT + '/') ? relative(ROOT, RESULTS) : RESULTS

export function envInt (name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, not ${JSON.stringify(raw)}`)
  return value
}

// Each child is started with its output kept (the last lines) for error messages.
export interface Child {
  name: string
  proc: ChildProcess
  tail: string[]
  lines: number
  exited: Promise<number | null>
  done: boolean
}

export const children: Child[] = []

// A variable set to undefined in `env` is removed from what the child inherits: a SQLite
// server must not pick up a DATABASE_URL from the shell the bench was started in.
export function startChild (name: string, args: string[], env: Record<string, string | undefined>): Child {
  const merged: Record<string, string | undefined> = { ...process.env, ...env }
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key]
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] })
  const child: Child = { name, proc, tail: [], lines: 0, done: false, exited: Promise.resolve(null) }
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue
      child.lines++
      child.tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line)
      if (child.tail.length > 20) child.tail.shift()
    }
  }
  proc.stdout?.on('data', keep)
  proc.stderr?.on('data', keep)
  child.exited = new Promise(resolve => proc.once('exit', code => { child.done = true; resolve(code) }))
  children.push(child)
  return child
}

export async function stopChild (child: Child): Promise<void> {
  if (child.done) return
  child.proc.kill('SIGTERM')
  const timer = sleep(15_000).then(() => 'timeout' as const)
  if (await Promise.race([child.exited, timer]) === 'timeout' && !child.done) {
    console.error(`bench: ${child.name} did not stop within 15 s of SIGTERM; killing it`)
    child.proc.kill('SIGKILL')
    await Promise.race([child.exited, sleep(5_000)])
  }
}

export async function stopAll (): Promise<void> {
  await Promise.all(children.map(stopChild))
}

export async function freePort (): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(0, '127.0.0.1', resolve) })
  const { port } = srv.address() as AddressInfo
  await new Promise<void>(resolve => srv.close(() => resolve()))
  return port
}

export async function waitUntilUp (child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    if (child.done) throw new Error(`${child.name} exited before answering ${url}:\n${child.tail.join('\n')}`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (res.ok) return
      last = `HTTP ${res.status}`
    } catch (err) {
      last = (err as Error).message
    }
    await sleep(100)
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s (last: ${last}):\n${child.tail.join('\n')}`)
}

export function memoryOf (pid: number | undefined): { rss: number, hwm: number } | undefined {
  if (pid === undefined) return undefined
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 }
  } catch {
    return undefined
  }
}

// CPU time (user + system) of a process so far, in ms; /proc counts in USER_HZ ticks (100 a second).
export function cpuMsOf (pid: number | undefined): number {
  if (pid === undefined) return NaN
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}

// Waits until processes are idle (together under 10 % of a core over half a second): a
// slow route leaves up to one request per connection still being answered when autocannon
// stops, and the next route must not be measured against that backlog. On PostgreSQL the
// backlog can sit in the database's backends while the server waits, so they are passed
// too. Returns the seconds waited.
export async function settle (pids: number | undefined | Array<number | undefined>, timeoutMs = 120_000): Promise<number> {
  const list = Array.isArray(pids) ? pids : [pids]
  const cpu = (): number[] => list.map(cpuMsOf)
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    const before = cpu()
    await sleep(500)
    // A process that went away meanwhile (NaN) counts as idle.
    const used = cpu().reduce((sum, now, i) => sum + (Number.isFinite(now - before[i]) ? now - before[i] : 0), 0)
    if (!(used > 50)) return (performance.now() - started) / 1000
  }
  console.error(`bench: the server was still busy ${timeoutMs / 1000} s after the last route; going on`)
  return timeoutMs / 1000
}

// Busy CPU time of the whole machine so far (all cores), ms, from the first line of /proc/stat.
export function machineCpuMs (): number {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    return (user + nice + system + irq + softirq + steal) * 10
  } catch {
    return NaN
  }
}

export const fmt = (n: number, digits = 2): string => Number.isFinite(n)
  ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  : '—'
export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`

/**
 * Puts a section into bench/RESULTS.md between <!-- name:start --> and <!-- name:end -->,
 * replacing the one a previous run wrote, or appending it: each script owns its section.
 */
export function writeSection (name: string, markdown: string): void {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const block = `${start}\n${markdown.trim()}\n${end}`
  const before = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n'
  const a = before.indexOf(start)
  const b = before.indexOf(end)
  const after = a !== -1 && b > a
    ? before.slice(0, a) + block + before.slice(b + end.length)
    : `${before.trimEnd()}\n\n${block}\n`
  writeFileSync(RESULTS, after)
}
