import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import { loadEnvFile } from '../src/env-file.ts'
import { logLines, startServer, waitForLog, within } from './support/server.ts'
import { tempDir } from './support/temp-dir.ts'

test('.env fills in what the environment leaves unset; the environment wins, even when empty', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, '.env')
  writeFileSync(path, [
    '# a comment',
    'PORT=4000',
    'HOST=0.0.0.0',
    'LOG_LEVEL=debug',
    'SITE_URL="https://news.example"',
    "CORS_ORIGINS='https://a.example,https://b.example'",
    'export REVISIONS_KEEP=7',
    'KHABAR_ADMIN_KEY=abc+/def==',
    ''
  ].join('\n'))
  const env: Record<string, string | undefined> = { PORT: '5000', HOST: '', UNRELATED: 'x' }
  const set = loadEnvFile(path, env)
  t.same(set.sort(), ['CORS_ORIGINS', 'KHABAR_ADMIN_KEY', 'LOG_LEVEL', 'REVISIONS_KEEP', 'SITE_URL'], 'the names the file set')
  t.same(env, {
    PORT: '5000',
    HOST: '',
    UNRELATED: 'x',
    LOG_LEVEL: 'debug',
    SITE_URL: 'https://news.example',
    CORS_ORIGINS: 'https://a.example,https://b.example',
    REVISIONS_KEEP: '7',
    KHABAR_ADMIN_KEY: 'abc+/def=='
  })
  t.same(loadEnvFile(path, env), [], 'a second load changes nothing')
})

test('a missing .env is fine; one that cannot be read stops the start', async (t) => {
  const dir = tempDir(t)
  const env = {}
  t.same(loadEnvFile(join(dir, '.env'), env), [])
  t.same(env, {})
  mkdirSync(join(dir, 'dir.env'))
  t.throws(() => loadEnvFile(join(dir, 'dir.env'), env), /cannot read .*dir\.env: EISDIR/)
})

test('by default ./.env, into process.env', async (t) => {
  const dir = tempDir(t)
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => { process.chdir(cwd) })
  t.same(loadEnvFile(), [], 'no .env here')
  writeFileSync(join(dir, '.env'), 'KHABAR_ENV_FILE_TEST=from-dotenv\n')
  t.teardown(() => { delete process.env.KHABAR_ENV_FILE_TEST })
  t.same(loadEnvFile(), ['KHABAR_ENV_FILE_TEST'])
  t.equal(process.env.KHABAR_ENV_FILE_TEST, 'from-dotenv')
})

test('the server reads .env in the directory it starts in', async (t) => {
  const cwd = tempDir(t, 'khabar-cwd-')
  writeFileSync(join(cwd, '.env'), [
    'DATABASE_PATH=./from-dotenv.db',
    'SITE_URL=https://dotenv.example',
    'PORT=1',
    `KHABAR_ADMIN_KEY=khb_${'Qw3rTy9UiOp4AsDf7GhJkL2ZxCvBn8M5'}`
  ].join('\n'))
  // The environment wins: PORT and SITE_URL from it, the rest from .env.
  const started = startServer(t, { PORT: '0', SITE_URL: 'https://cms.news.example', LOG_LEVEL: 'info' }, { cwd })
  const docs = await waitForLog(started, /Swagger UI/)
  if (docs === undefined) {
    t.fail(`no start message; output:\n${started.output()}`)
    return
  }
  t.equal(docs.msg, 'Swagger UI: https://cms.news.example/docs, OpenAPI document: https://cms.news.example/openapi.json')
  const messages = logLines(started).map(l => l.msg)
  t.ok(messages.includes(`database: ${join(cwd, 'from-dotenv.db')}`), 'DATABASE_PATH from .env, relative to the directory')
  t.notOk(messages.some(m => /no admin key/.test(m)), 'KHABAR_ADMIN_KEY from .env made an admin key')
  t.ok(existsSync(join(cwd, 'from-dotenv.db')))
  started.child.kill('SIGTERM')
  const result = await within(started.exited, 10_000)
  t.same(result, { code: 0, signal: null })
})

test('the khabar command reads .env too', async (t) => {
  const cwd = tempDir(t, 'khabar-cwd-')
  writeFileSync(join(cwd, '.env'), 'DATABASE_PATH=./cli.db\n')
  const started = startServer(t, {}, { cwd, cli: ['keys', 'create', '--role', 'admin', '--name', 'first'] })
  const result = await within(started.exited, 30_000)
  t.same(result, { code: 0, signal: null }, started.output())
  t.match(started.output(), /Created admin key 1 \(first\)/)
  t.ok(existsSync(join(cwd, 'cli.db')), 'on the database .env names')

  const broken = tempDir(t, 'khabar-cwd-')
  mkdirSync(join(broken, '.env'))
  const refused = startServer(t, {}, { cwd: broken, cli: ['keys', 'list'] })
  const end = await within(refused.exited, 30_000)
  t.same(end, { code: 1, signal: null })
  t.match(refused.output(), /khabar: cannot read .*\.env/)
})
