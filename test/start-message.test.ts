import { join } from 'node:path'
import { test } from 'tap'
import { CREATE_ADMIN, startMessages } from '../src/start-message.ts'
import { cli } from './support/cli.ts'
import { logLines, startServer, waitForLog, within } from './support/server.ts'
import { tempDir } from './support/temp-dir.ts'

const config = { DATABASE_PATH: './data/khabar.db', SITE_URL: '' }

test('the start message: the database, the documentation, and the first key', async (t) => {
  t.same(startMessages({ config, address: 'http://127.0.0.1:3000', hasAdmin: false, cwd: '/srv/khabar' }), [
    'database: /srv/khabar/data/khabar.db',
    'Swagger UI: http://127.0.0.1:3000/docs, OpenAPI document: http://127.0.0.1:3000/openapi.json',
    'no admin key yet: create one with `npx khabar keys create --role admin --name NAME` (the key is the last line it prints), ' +
      'or restart with KHABAR_ADMIN_KEY set to a generated value (`openssl rand -base64 32`)'
  ])
  t.same(startMessages({ config: { ...config, DATABASE_PATH: '/data/khabar.db' }, address: 'http://127.0.0.1:3000', hasAdmin: true, cwd: '/app' }), [
    'database: /data/khabar.db',
    'Swagger UI: http://127.0.0.1:3000/docs, OpenAPI document: http://127.0.0.1:3000/openapi.json'
  ], 'an absolute path as it is; no hint once an admin key exists')
})

test('the URLs are under SITE_URL when set, else where the server listens', async (t) => {
  const docs = (siteUrl: string, address: string): string => startMessages({ config: { ...config, SITE_URL: siteUrl }, address, hasAdmin: true, cwd: '/' })[1]
  t.equal(docs('https://cms.news.example', 'http://127.0.0.1:3000'), 'Swagger UI: https://cms.news.example/docs, OpenAPI document: https://cms.news.example/openapi.json')
  t.equal(docs('https://news.example/cms/', 'http://127.0.0.1:3000'), 'Swagger UI: https://news.example/cms/docs, OpenAPI document: https://news.example/cms/openapi.json', 'a trailing slash is not doubled')
  t.equal(docs('', 'http://[::]:8080'), 'Swagger UI: http://localhost:8080/docs, OpenAPI document: http://localhost:8080/openapi.json', 'not the IPv6 wildcard')
  t.equal(docs('', 'http://[::1]:8080'), 'Swagger UI: http://[::1]:8080/docs, OpenAPI document: http://[::1]:8080/openapi.json')
})

test('an in-memory database is said to be one', async (t) => {
  t.equal(startMessages({ config: { ...config, DATABASE_PATH: ':memory:' }, address: 'http://127.0.0.1:3000', hasAdmin: true, cwd: '/' })[0],
    'database: in memory (:memory:), gone when the server stops')
})

test('a PostgreSQL database is named by its URL, without the password', async (t) => {
  t.equal(startMessages({ config: { ...config, DATABASE_URL: 'postgres://khabar:s3cret@db.internal:5432/news' }, address: 'http://127.0.0.1:3000', hasAdmin: true, cwd: '/' })[0],
    'database: PostgreSQL postgres://khabar:***@db.internal:5432/news')
})

test('the command the hint gives is one the khabar command takes', async (t) => {
  const [npx, khabar, ...argv] = CREATE_ADMIN.split(' ')
  t.same([npx, khabar], ['npx', 'khabar'])
  const { run } = cli(t)
  const res = await run(argv)
  t.equal(res.code, 0, res.err.join('\n'))
  t.match(res.out.join('\n'), /Created admin key 1 \(NAME\)/)
})

test('the real first start: JSON lines off a terminal, saying where things are', async (t) => {
  const dir = tempDir(t, 'khabar-server-')
  const databasePath = join(dir, 'khabar.db')
  const started = startServer(t, { PORT: '0', DATABASE_PATH: databasePath, LOG_LEVEL: 'info' })
  const hint = await waitForLog(started, /no admin key yet/)
  if (hint === undefined) {
    t.fail(`no admin key hint; output:\n${started.output()}`)
    return
  }
  t.match(hint.msg, 'npx khabar keys create --role admin --name NAME')
  t.match(hint.msg, 'KHABAR_ADMIN_KEY')

  const lines = started.output().split('\n').filter(line => line !== '')
  t.equal(logLines(started).length, lines.length, 'every line is a JSON log object')
  const messages = logLines(started).map(l => l.msg)
  const listening = messages.map(m => /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(m)?.[1]).find(Boolean)
  t.ok(listening, 'where it listens')
  t.ok(messages.includes(`database: ${databasePath}`), 'the database')
  t.ok(messages.includes(`Swagger UI: ${listening}/docs, OpenAPI document: ${listening}/openapi.json`), 'the docs, at the address listened on')
  const docs = await fetch(`${listening}/docs`, { signal: AbortSignal.timeout(5_000) })
  t.equal(docs.status, 200, 'and that is where they are')

  started.child.kill('SIGTERM')
  t.same(await within(started.exited, 10_000), { code: 0, signal: null })
})
