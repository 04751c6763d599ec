import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { ConfigSchema, corsOrigins, loadConfig } from '../src/config.ts'
import { tempDir } from './support/temp-dir.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SETTINGS = Object.keys(ConfigSchema.properties)

test('defaults', async (t) => {
  t.ok(['PORT', 'HOST', 'DATABASE_PATH', 'LOG_LEVEL', 'CORS_ORIGINS', 'SITE_URL', 'KHABAR_ADMIN_KEY'].every(k => SETTINGS.includes(k)),
    'the settings the contract names')
  t.match(loadConfig({}), {
    PORT: 3000,
    HOST: '127.0.0.1',
    DATABASE_PATH: './data/khabar.db',
    LOG_LEVEL: 'info',
    CORS_ORIGINS: '',
    SITE_URL: ''
  })
  t.equal(loadConfig({}).KHABAR_ADMIN_KEY, undefined)
})

test('empty values mean unset', async (t) => {
  t.same(loadConfig({ PORT: '', HOST: '', DATABASE_PATH: '', LOG_LEVEL: '', CORS_ORIGINS: '', SITE_URL: '', KHABAR_ADMIN_KEY: '' }), loadConfig({}))
})

test('only the given env counts, not process.env', async (t) => {
  const saved = Object.fromEntries(SETTINGS.map(k => [k, process.env[k]]))
  t.teardown(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
  process.env.PORT = 'abc'
  process.env.LOG_LEVEL = ''
  process.env.CORS_ORIGINS = 'https://leaked.example'
  process.env.KHABAR_ADMIN_KEY = 'khb_from-process-env-0123456789'
  const config = loadConfig({ PORT: '', DATABASE_PATH: ':memory:' })
  t.equal(config.PORT, 3000)
  t.equal(config.LOG_LEVEL, 'info')
  t.equal(config.CORS_ORIGINS, '')
  t.equal(config.KHABAR_ADMIN_KEY, undefined)
  // Without an argument, process.env is the env.
  t.throws(() => loadConfig(), /PORT/)
})

test('good values are taken and typed', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_PATH: ':memory:',
    LOG_LEVEL: 'debug',
    CORS_ORIGINS: 'https://a.example',
    SITE_URL: 'https://news.example/',
    KHABAR_ADMIN_KEY: 'khb_abcdefghijklmnopqrstuvwxyz',
    UNRELATED: 'ignored'
  })
  t.match(config, {
    PORT: 8080,
    HOST: '0.0.0.0',
    DATABASE_PATH: ':memory:',
    LOG_LEVEL: 'debug',
    CORS_ORIGINS: 'https://a.example',
    SITE_URL: 'https://news.example/',
    KHABAR_ADMIN_KEY: 'khb_abcdefghijklmnopqrstuvwxyz'
  })
  t.notOk('UNRELATED' in config, 'unknown variables are not settings')
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(loadConfig({ LOG_LEVEL: level }).LOG_LEVEL, level)
  }
  t.equal(loadConfig({ PORT: '0' }).PORT, 0, 'port 0: any free port')
  t.equal(loadConfig({ PORT: '65535' }).PORT, 65535)
  t.equal(loadConfig({ SITE_URL: 'http://localhost:3000' }).SITE_URL, 'http://localhost:3000')
  t.equal(loadConfig({ KHABAR_ADMIN_KEY: 'k'.repeat(256) }).KHABAR_ADMIN_KEY, 'k'.repeat(256))
})

test('every bad value stops with a message naming the variable', async (t) => {
  const bad: Array<[Record<string, string>, string, RegExp]> = [
    [{ PORT: 'abc' }, 'PORT', /integer/],
    [{ PORT: '70000' }, 'PORT', /65535/],
    [{ PORT: '-1' }, 'PORT', />= 0/],
    [{ PORT: '80.5' }, 'PORT', /integer/],
    [{ PORT: '0x10' }, 'PORT', /digits/],
    [{ PORT: '1e3' }, 'PORT', /digits/],
    [{ PORT: ' 8080' }, 'PORT', /digits/],
    [{ PORT: '8080 ' }, 'PORT', /digits/],
    [{ PORT: '+8080' }, 'PORT', /digits/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /allowed values/],
    [{ LOG_LEVEL: 'INFO' }, 'LOG_LEVEL', /allowed values/],
    [{ SITE_URL: 'ftp://x' }, 'SITE_URL', /pattern/],
    [{ SITE_URL: 'news.example' }, 'SITE_URL', /pattern/],
    [{ SITE_URL: 'https://news.example/a b' }, 'SITE_URL', /pattern/],
    [{ KHABAR_ADMIN_KEY: 'too-short' }, 'KHABAR_ADMIN_KEY', /fewer than 24/],
    [{ KHABAR_ADMIN_KEY: 'khb_with spaces in the middle of it' }, 'KHABAR_ADMIN_KEY', /pattern/],
    [{ KHABAR_ADMIN_KEY: 'khb_مفتاح_عربي_طويل_بما_يكفي_هنا' }, 'KHABAR_ADMIN_KEY', /pattern/],
    [{ KHABAR_ADMIN_KEY: 'k'.repeat(257) }, 'KHABAR_ADMIN_KEY', /more than 256/]
  ]
  for (const [env, name, reason] of bad) {
    const what = `${name}=${JSON.stringify(Object.values(env)[0]).slice(0, 40)}`
    let message = ''
    t.throws(() => { try { loadConfig(env) } catch (err) { message = (err as Error).message; throw err } }, what)
    t.match(message, new RegExp(`\\b${name}\\b`), `${what}: names the variable`)
    t.match(message, reason, `${what}: says why`)
    for (const other of SETTINGS.filter(s => s !== name)) {
      t.notMatch(message, new RegExp(`\\b${other}\\b`), `${what}: does not blame ${other}`)
    }
    t.ok(message.length < 200, `${what}: one short message (${message})`)
  }
})

test('corsOrigins splits on commas and trims', async (t) => {
  t.same(corsOrigins(loadConfig({})), [])
  t.same(corsOrigins(loadConfig({ CORS_ORIGINS: 'https://a.example' })), ['https://a.example'])
  t.same(corsOrigins(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' })), ['https://a.example', 'https://b.example'])
  t.same(corsOrigins(loadConfig({ CORS_ORIGINS: ' https://a.example ,,https://b.example,  ' })), ['https://a.example', 'https://b.example'])
  t.same(corsOrigins(loadConfig({ CORS_ORIGINS: ' , ' })), [])
})

// The real server, as `npm start` runs it (from the TypeScript sources).

async function freePort (): Promise<number> {
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

interface Started { child: ChildProcess, output: () => string, exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }> }

function startServer (env: Record<string, string>): Started {
  const base = { ...process.env }
  for (const key of SETTINGS) delete base[key]
  // No coverage from the child: it loads the sources through tsx, and its transpiled
  // ranges, merged with the tests' own, garble tap's coverage report.
  base._TAPJS_PROCESSINFO_COVERAGE_ = '0'
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (chunk) => { output += String(chunk) })
  child.stderr?.on('data', (chunk) => { output += String(chunk) })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  return { child, output: () => output, exited }
}

// Resolves with the exit, or with 'timeout' after ms.
async function within<T> (promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

function killOnTeardown (t: { teardown: (fn: () => unknown) => void }, started: Started): void {
  t.teardown(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL')
  })
}

test('the server refuses to start with a bad PORT', async (t) => {
  const dir = tempDir(t, 'khabar-server-')
  for (const port of ['abc', '70000']) {
    const started = startServer({ PORT: port, DATABASE_PATH: join(dir, 'khabar.db') })
    killOnTeardown(t, started)
    const result = await within(started.exited, 30_000)
    t.not(result, 'timeout', `PORT=${port}: exits by itself`)
    if (result === 'timeout') continue
    t.not(result.code, 0, `PORT=${port}: a non-zero exit`)
    t.match(started.output(), /invalid settings: .*PORT/, `PORT=${port}: the message names PORT`)
    t.notMatch(started.output(), /\bat .+:\d+:\d+/, `PORT=${port}: no stack trace`)
  }
  t.notOk(existsSync(join(dir, 'khabar.db')), 'no database was created')
})

test('the server serves, then shuts down cleanly on SIGTERM', async (t) => {
  const dir = tempDir(t, 'khabar-server-')
  const port = await freePort()
  const databasePath = join(dir, 'nested', 'khabar.db')
  const started = startServer({ PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, LOG_LEVEL: 'info' })
  killOnTeardown(t, started)
  const base = `http://127.0.0.1:${port}`

  // Wait, at most 30 s, for /health to answer.
  const deadline = Date.now() + 30_000
  let health: Response | undefined
  while (Date.now() < deadline && started.child.exitCode === null) {
    try {
      health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })
      break
    } catch {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  if (health === undefined) {
    t.fail(`the server did not answer /health within 30 s; output:\n${started.output()}`)
    return
  }
  t.equal(health.status, 200)
  t.same(await health.json(), { status: 'ok' })

  const ready = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(5_000) })
  t.equal(ready.status, 200)

  const doc = await fetch(`${base}/openapi.json`, { signal: AbortSignal.timeout(5_000) })
  t.equal(doc.status, 200)
  const openapi = await doc.json() as { openapi: string, paths: Record<string, unknown> }
  t.equal(openapi.openapi, '3.1.0')
  t.ok(openapi.paths['/v1/articles'], 'the document lists the articles')

  const docs = await fetch(`${base}/docs`, { signal: AbortSignal.timeout(5_000) })
  t.equal(docs.status, 200)
  t.match(docs.headers.get('content-type'), /^text\/html/)
  t.match(await docs.text(), /<div id="swagger-ui">/)

  const missing = await fetch(`${base}/nothing`, { signal: AbortSignal.timeout(5_000) })
  t.equal(missing.status, 404)
  t.match(missing.headers.get('content-type'), /^application\/problem\+json/)

  // Over real HTTP a non-ASCII Authorization header is refused by the client;
  // an unknown key is a 401 problem.
  const wrong = await fetch(`${base}/v1/articles`, { headers: { authorization: 'Bearer khb_nope' }, signal: AbortSignal.timeout(5_000) })
  t.equal(wrong.status, 401)
  t.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="khabar"')

  t.ok(existsSync(databasePath), 'the database file (and its directory) was created')
  t.notMatch(started.output(), /khb_nope/, 'the key is not logged')

  started.child.kill('SIGTERM')
  const result = await within(started.exited, 10_000)
  t.not(result, 'timeout', 'exits within 10 s of SIGTERM')
  if (result !== 'timeout') t.same(result, { code: 0, signal: null }, 'exit code 0')
  t.match(started.output(), /shutting down/)
  t.ok(existsSync(databasePath), 'the database file remains')
})
