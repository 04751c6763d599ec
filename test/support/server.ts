// The real server (or the khabar command) in a child process, as `npm start` runs it but
// from the TypeScript sources, for the tests of what only a process shows: exit codes,
// signals, the start message, ./.env.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { ConfigSchema } from '../../src/config.ts'
import { tempDir, type TestContext } from './temp-dir.ts'

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url))
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const SETTINGS = Object.keys(ConfigSchema.properties)

export interface Started {
  child: ChildProcess
  // Standard output and standard error, interleaved as they came.
  output: () => string
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

export interface SpawnOptions {
  // The working directory, where ./.env is looked for; a fresh empty one by default, so
  // a developer's own .env never reaches a test.
  cwd?: string
  // The khabar command with these arguments instead of the server.
  cli?: string[]
}

// The process's environment holds none of the settings but env's.
export function startServer (t: TestContext, env: Record<string, string>, options: SpawnOptions = {}): Started {
  const base = { ...process.env }
  for (const key of SETTINGS) delete base[key]
  // No coverage from the child: it loads the sources through tsx, and its transpiled
  // ranges, merged with the tests' own, garble tap's coverage report.
  base._TAPJS_PROCESSINFO_COVERAGE_ = '0'
  const entry = options.cli === undefined ? [SERVER] : [CLI, ...options.cli]
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), ...entry], {
    cwd: options.cwd ?? tempDir(t, 'khabar-cwd-'),
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (chunk) => { output += String(chunk) })
  child.stderr?.on('data', (chunk) => { output += String(chunk) })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, output: () => output, exited }
}

// Resolves with the promise's value, or with 'timeout' after ms.
export async function within<T> (promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// The JSON log lines the process has written so far (other lines are skipped).
export function logLines (started: Started): Array<{ level: number, msg: string, [key: string]: unknown }> {
  return started.output().split('\n').flatMap(line => {
    try {
      const value = JSON.parse(line)
      return typeof value === 'object' && value !== null && typeof value.msg === 'string' ? [value] : []
    } catch {
      return []
    }
  })
}

// Waits, at most ms, for a log line matching re; undefined when none came (or the process ended).
export async function waitForLog (started: Started, re: RegExp, ms = 30_000): Promise<{ msg: string } | undefined> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const found = logLines(started).find(l => re.test(l.msg))
    if (found !== undefined) return found
    if (started.child.exitCode !== null || started.child.signalCode !== null) return undefined
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return undefined
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
