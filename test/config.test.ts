import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { test } from 'tap'
import { adminKeyProblem, ConfigSchema, corsOrigins, estimatedKeyBits, loadConfig, MIN_KEY_BITS } from '../src/config.ts'
import { mulberry32 } from './support/prng.ts'
import { freePort, startServer, within } from './support/server.ts'
import { tempDir } from './support/temp-dir.ts'

const SETTINGS = Object.keys(ConfigSchema.properties)
const ENV_EXAMPLE = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

// length characters drawn from alphabet by a seeded PRNG: "generated" keys, the same on every run.
function drawn (random: () => number, alphabet: string, length: number): string {
  let key = ''
  for (let i = 0; i < length; i++) key += alphabet[Math.floor(random() * alphabet.length)]
  return key
}
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const HEX = '0123456789abcdef'
const GOOD_KEY = 'khb_' + drawn(mulberry32(12), BASE64URL, 43)

test('defaults', async (t) => {
  t.ok(['PORT', 'HOST', 'DATABASE_PATH', 'LOG_LEVEL', 'CORS_ORIGINS', 'SITE_URL', 'KHABAR_ADMIN_KEY'].every(k => SETTINGS.includes(k)),
    'the settings the contract names')
  t.match(loadConfig({}), {
    PORT: 3000,
    HOST: '127.0.0.1',
    DATABASE_PATH: './data/khabar.db',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'auto',
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
    LOG_FORMAT: 'json',
    CORS_ORIGINS: 'https://a.example',
    SITE_URL: 'https://news.example/',
    KHABAR_ADMIN_KEY: GOOD_KEY,
    UNRELATED: 'ignored'
  })
  t.match(config, {
    PORT: 8080,
    HOST: '0.0.0.0',
    DATABASE_PATH: ':memory:',
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
    CORS_ORIGINS: 'https://a.example',
    SITE_URL: 'https://news.example/',
    KHABAR_ADMIN_KEY: GOOD_KEY
  })
  t.notOk('UNRELATED' in config, 'unknown variables are not settings')
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(loadConfig({ LOG_LEVEL: level }).LOG_LEVEL, level)
  }
  t.equal(loadConfig({ PORT: '0' }).PORT, 0, 'port 0: any free port')
  t.equal(loadConfig({ PORT: '65535' }).PORT, 65535)
  t.equal(loadConfig({ SITE_URL: 'http://localhost:3000' }).SITE_URL, 'http://localhost:3000')
  for (const format of ['auto', 'json', 'pretty']) {
    t.equal(loadConfig({ LOG_FORMAT: format }).LOG_FORMAT, format)
  }
  const longest = drawn(mulberry32(256), BASE64URL, 256)
  t.equal(loadConfig({ KHABAR_ADMIN_KEY: longest }).KHABAR_ADMIN_KEY, longest, '256 characters')
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
    [{ LOG_FORMAT: 'fancy' }, 'LOG_FORMAT', /allowed values/],
    [{ SITE_URL: 'ftp://x' }, 'SITE_URL', /pattern/],
    [{ SITE_URL: 'news.example' }, 'SITE_URL', /pattern/],
    [{ SITE_URL: 'https://news.example/a b' }, 'SITE_URL', /pattern/],
    [{ KHABAR_ADMIN_KEY: 'too-short' }, 'KHABAR_ADMIN_KEY', /fewer than 24/],
    [{ KHABAR_ADMIN_KEY: 'khb_with spaces in the middle of it' }, 'KHABAR_ADMIN_KEY', /pattern/],
    [{ KHABAR_ADMIN_KEY: 'khb_مفتاح_عربي_طويل_بما_يكفي_هنا' }, 'KHABAR_ADMIN_KEY', /pattern/],
    [{ KHABAR_ADMIN_KEY: 'k'.repeat(257) }, 'KHABAR_ADMIN_KEY', /more than 256/],
    [{ KHABAR_ADMIN_KEY: 'khb_choose-a-long-random-secret-here' }, 'KHABAR_ADMIN_KEY', /placeholder .*"choose".*openssl rand/],
    [{ KHABAR_ADMIN_KEY: 'k'.repeat(256) }, 'KHABAR_ADMIN_KEY', /too few distinct characters \(1, at least 10\)/],
    [{ KHABAR_ADMIN_KEY: 'khb_abcdefghijklmnopqrstuvwxyz' }, 'KHABAR_ADMIN_KEY', /too easy to guess \(about \d+ bits, at least 100\)/]
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

test('KHABAR_ADMIN_KEY: placeholders and guessable values are refused', async (t) => {
  const refused: Array<[string, RegExp]> = [
    // The README's example until it showed how to generate one.
    ['khb_choose-a-long-random-secret-here', /placeholder \(it contains "choose"\)/],
    ['khb_CHANGE-ME-CHANGE-ME-0123456789', /"change-me"/],
    ['ChangeMe_before_going_live_9Q4#', /"changeme"/],
    ['khb_replace-me-with-a-real-key-7', /"replace-me"/],
    ['khb_Example_Key_For_The_Docs_0042', /"example"/],
    ['khb_this-is-a-placeholder-value-1', /"placeholder"/],
    ['khb_put-your-secret-here-please!!', /"secret-here"/],
    ['khb_your-admin-key-goes-here-2026', /"your-"/],
    ['khb_YOUR_ADMIN_KEY_GOES_HERE_2026', /"your_"/],
    ['khb_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', /too few distinct characters \(1,/],
    ['khb_dummy-key-for-local-testing-8', /"dummy"/],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', /too few distinct characters \(1,/],
    ['khb_abababababababababababababab', /too few distinct characters \(2,/],
    ['0101010101-0101010101-0101010101', /too few distinct characters \(3,/],
    ['khb_0123456789abcdefghijklmnopqrstuvwxyz', /too easy to guess/],
    ['ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210', /too easy to guess/],
    ['khb_aabbccddeeffgghhiijjkkllmm', /too easy to guess/],
    // 122 bits by the estimate, but only 9 characters, in a cycle.
    ['khb_acegikmoqacegikmoqacegikmo', /too few distinct characters \(9,/]
  ]
  for (const [key, reason] of refused) {
    t.match(adminKeyProblem(key), reason, key)
    t.throws(() => loadConfig({ KHABAR_ADMIN_KEY: key }), /KHABAR_ADMIN_KEY/, `${key}: the start is refused`)
  }

  // What the README and .env.example tell you to run, drawn many times over.
  const random = mulberry32(2026)
  for (let i = 0; i < 2000; i++) {
    const generated = [
      'khb_' + drawn(random, BASE64URL, 43), // node -e "...randomBytes(32).toString('base64url')"
      drawn(random, BASE64, 43) + '=', // openssl rand -base64 32
      drawn(random, HEX, 64), // openssl rand -hex 32
      drawn(random, HEX, 32) // openssl rand -hex 16
    ]
    for (const key of generated) {
      const problem = adminKeyProblem(key)
      if (problem !== undefined) t.fail(`${key} is refused: ${problem}`)
    }
  }
  t.equal(adminKeyProblem('khb_test-admin-key-0123456789abcdef'), undefined, "the tests' own key")
  t.equal(loadConfig({ KHABAR_ADMIN_KEY: GOOD_KEY }).KHABAR_ADMIN_KEY, GOOD_KEY)
})

test('estimatedKeyBits counts the character classes used, and a repeat or step by one as 1 bit', async (t) => {
  const lower = Math.log2(26)
  const bits: Array<[string, number, string]> = [
    ['qwerty', 6 * lower, 'lower case letters'],
    ['khb_qwerty', 6 * lower, 'the khb_ prefix counts nothing'],
    ['qaz_wsx', 7 * Math.log2(26 + 33), 'a symbol widens the pool'],
    ['aZ9!', 4 * Math.log2(95), 'all four classes'],
    ['xaaaa', 2 * lower + 3, 'a run'],
    ['xabcd', 2 * lower + 3, 'a sequence up'],
    ['x9876', 2 * Math.log2(36) + 3, 'a sequence down']
  ]
  for (const [key, expected, what] of bits) {
    t.ok(Math.abs(estimatedKeyBits(key) - expected) < 1e-9, `${what}: ${key} is ${expected.toFixed(2)} bits (${estimatedKeyBits(key)})`)
  }
  t.ok(estimatedKeyBits(GOOD_KEY) > 2 * MIN_KEY_BITS, 'a generated key is far above the bar')
})

test('.env.example lists every setting, each with a comment, at its default', async (t) => {
  const lines = ENV_EXAMPLE.split('\n')
  for (const name of SETTINGS) {
    const at = lines.findIndex(line => line.startsWith(`${name}=`))
    t.ok(at > 0, `${name} is in .env.example`)
    t.match(lines[at - 1], /^#/, `${name} has a comment just above it`)
  }
  const values = parseEnv(ENV_EXAMPLE) as Record<string, string>
  t.same(Object.keys(values).sort(), [...SETTINGS].sort(), 'and nothing else is set')
  t.same(loadConfig(values), loadConfig({}), 'every value is the default')
})

test("the README's settings table lists every setting", async (t) => {
  const section = README.slice(README.indexOf('\n## Settings\n'), README.indexOf('\n## ', README.indexOf('\n## Settings\n') + 1))
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map(m => m[1])
  t.same([...rows].sort(), [...SETTINGS].sort())
  t.notMatch(README, /choose-a-long-random-secret-here/, 'no placeholder key to copy')
})

// The real server, as `npm start` runs it (from the TypeScript sources).

test('the server refuses to start with a bad PORT or a placeholder admin key', async (t) => {
  const dir = tempDir(t, 'khabar-server-')
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /invalid settings: .*PORT/],
    [{ PORT: '70000' }, /invalid settings: .*PORT/],
    [{ KHABAR_ADMIN_KEY: 'khb_choose-a-long-random-secret-here' }, /invalid settings: env\/KHABAR_ADMIN_KEY looks like a placeholder/]
  ]
  for (const [env, message] of bad) {
    const what = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')
    const started = startServer(t, { ...env, DATABASE_PATH: join(dir, 'khabar.db') })
    const result = await within(started.exited, 30_000)
    t.not(result, 'timeout', `${what}: exits by itself`)
    if (result === 'timeout') continue
    t.equal(result.code, 1, `${what}: exit code 1`)
    t.match(started.output(), message, `${what}: the message says what is wrong`)
    t.notMatch(started.output(), /\bat .+:\d+:\d+/, `${what}: no stack trace`)
  }
  t.notOk(existsSync(join(dir, 'khabar.db')), 'no database was created')
})

test('the server serves, then shuts down cleanly on SIGTERM', async (t) => {
  const dir = tempDir(t, 'khabar-server-')
  const port = await freePort()
  const databasePath = join(dir, 'nested', 'khabar.db')
  const started = startServer(t, { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, LOG_LEVEL: 'info' })
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
