import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { test } from 'tap'
import Database from 'better-sqlite3'
import { build, bearer, ENGINE, listen, type TestApp } from '../helper.ts'
import { createArticle } from '../factories.ts'
import { cli } from '../support/cli.ts'

const line = (n: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ externalId: `cli-${n}`, title: `خبر من سطر الأوامر ${n}`, body: `<p>نص ${n}</p>`, status: 'published', tags: ['أرشيف'], ...extra }) + '\n'

// A stream that says it is a terminal and keeps what is drawn on it.
function tty (): PassThrough & { isTTY: boolean, columns: number, text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean, columns: number, text: () => string }
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  stream.isTTY = true
  stream.columns = 120
  stream.text = () => Buffer.concat(chunks).toString()
  return stream
}

function collector (): { stream: PassThrough, text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString() }
}

// backup and restore copy the SQLite file; on PostgreSQL they refuse and name pg_dump (below).
const SQLITE_FILE = 'SQLite only: backup and restore copy the database file'

const origin = async (app: TestApp): Promise<string> => `http://127.0.0.1:${await listen(app)}`

test('khabar import FILE: a summary, and exit 1 when a line failed', async (t) => {
  const { run, dir } = cli(t)
  const file = join(dir, 'in.ndjson')
  writeFileSync(file, line(1) + line(2) + '{"title": 7}\n')
  const first = await run(['import', file])
  t.equal(first.code, 1)
  t.match(first.out[0], /^Imported .*in\.ndjson: 2 created, 0 updated, 0 unchanged, 1 failed \(3 lines in [0-9.]+ s, \d+ lines\/s\)$/)
  t.equal(first.out[1], 'line 3: /title must be string')
  t.same(first.err, ['khabar: 1 line failed'])

  writeFileSync(file, line(1) + line(2, { title: 'عنوان معدل' }) + line(3))
  const second = await run(['import', file])
  t.equal(second.code, 0)
  t.match(second.out[0], /1 created, 1 updated, 1 unchanged, 0 failed/)

  const dry = await run(['import', file, '--dry-run'], { stdin: Readable.from([line(4)]) })
  t.match(dry.out[0], /^Checked .*\(dry run: nothing was written\): 0 created, 0 updated, 3 unchanged/)
  const fromStdin = await run(['import', '-', '--dry-run'], { stdin: Readable.from([line(4), '{}\n', '{}\n']) })
  t.equal(fromStdin.code, 1)
  t.match(fromStdin.out[0], /^Checked standard input .*1 created, 0 updated, 0 unchanged, 2 failed/)
  t.same(fromStdin.err, ['khabar: 2 lines failed'])
  t.match((await run(['import', '-'])).err.join('\n'), /no standard input/)
  t.match((await run(['import', join(dir, 'missing.ndjson')])).err.join('\n'), /ENOENT/)
})

test('khabar import lists the first 100 failed lines and counts the rest', async (t) => {
  const { run } = cli(t)
  const res = await run(['import', '-'], { stdin: Readable.from(['{"title":1}\n'.repeat(103)]) })
  t.equal(res.code, 1)
  t.equal(res.out.length, 102)
  t.equal(res.out[101], '... and 3 more failed lines')
})

test('on a terminal a progress bar shows lines per second; piped, nothing is drawn', async (t) => {
  const { run, dir } = cli(t)
  const file = join(dir, 'in.ndjson')
  writeFileSync(file, line(1) + line(2))
  const bar = tty()
  t.equal((await run(['import', file], { stderr: bar })).code, 0)
  t.match(bar.text(), /100% \| 2 lines \| \d+ lines\/s/)
  const stdinBar = tty()
  await run(['import', '-'], { stdin: Readable.from([line(3)]), stderr: stdinBar })
  t.match(stdinBar.text(), /1 lines \| \d+ lines\/s/)
  const piped = collector()
  await run(['import', file], { stderr: Object.assign(piped.stream, { isTTY: false }) })
  t.equal(piped.text(), '')
})

test('khabar export writes NDJSON to standard output or --output, and import takes it back unchanged', async (t) => {
  const { run, dir } = cli(t)
  await run(['import', '-'], { stdin: Readable.from([line(1), line(2), line(3)]) })
  const stdout = collector()
  const res = await run(['export'], { stdout: stdout.stream })
  t.equal(res.code, 0)
  t.match(res.err, [/^Exported 3 articles in [0-9.]+ s\.$/])
  const lines = stdout.text().trimEnd().split('\n').map(l => JSON.parse(l))
  t.same(lines.map(l => l.externalId), ['cli-1', 'cli-2', 'cli-3'])

  const file = join(dir, 'out.ndjson')
  t.equal((await run(['export', '--output', file])).code, 0)
  t.equal(readFileSync(file, 'utf8'), stdout.text())
  const back = await run(['import', file])
  t.match(back.out[0], /0 created, 0 updated, 3 unchanged, 0 failed/)

  const none = collector()
  await run(['export', '--since', '2099-01-01'], { stdout: none.stream })
  t.equal(none.text(), '')
  const bad = await run(['export', '--since', 'yesterday'])
  t.equal(bad.code, 1)
  t.match(bad.err.join('\n'), /ISO 8601/)
  t.match((await run(['export'])).err.join('\n'), /no standard output/)
})

test('import and export with --url and --key go through a running server', async (t) => {
  const { run, dir } = cli(t)
  const app = await build(t)
  const base = await origin(app)
  const file = join(dir, 'in.ndjson')
  writeFileSync(file, line(1) + line(2))
  const res = await run(['import', file, '--url', base, '--key', app.editorKey])
  t.equal(res.code, 0, res.err.join('\n'))
  t.match(res.out[0], /2 created, 0 updated, 0 unchanged, 0 failed/)
  const dry = await run(['import', file, '--url', `${base}/`, '--key', app.editorKey, '--dry-run'])
  t.match(dry.out[0], /dry run.*0 created, 0 updated, 2 unchanged/)
  writeFileSync(file, line(3) + 'oops\n')
  const failed = await run(['import', file, '--url', base, '--key', app.editorKey])
  t.equal(failed.code, 1)
  t.match(failed.out[1], /^line 2: is not JSON/)

  const stdout = collector()
  const exported = await run(['export', '--url', base, '--key', app.editorKey, '--since', '2000-01-01T00:00:00Z'], { stdout: stdout.stream })
  t.equal(exported.code, 0)
  t.equal(stdout.text().trimEnd().split('\n').length, 3)

  const noKey = await run(['import', file, '--url', base])
  t.match(noKey.err.join('\n'), /--url needs --key/)
  const wrongKey = await run(['export', '--url', base, '--key', 'khb_not-a-key-000000000000000000'], { stdout: collector().stream })
  t.equal(wrongKey.code, 1)
  t.match(wrongKey.err.join('\n'), /answered 401: /)
})

test('a server that answers with something other than a problem is reported as it is', async (t) => {
  const { run, dir } = cli(t)
  const server = createServer((req, res) => {
    req.resume()
    if (req.url?.startsWith('/v1/import') === true) {
      res.statusCode = 502
      res.end('bad gateway')
    } else {
      res.statusCode = 503
      res.setHeader('content-type', 'application/json')
      res.end('{}')
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const file = join(dir, 'in.ndjson')
  writeFileSync(file, line(1))
  t.match((await run(['import', file, '--url', base, '--key', 'k'])).err.join('\n'), /answered 502: bad gateway/)
  t.match((await run(['export', '--url', base, '--key', 'k'], { stdout: collector().stream })).err.join('\n'), /answered 503: \{\}/)
})

test('khabar backup copies the live database while it is written to', { skip: ENGINE === 'postgres' && SQLITE_FILE }, async (t) => {
  const { run, dir, dbPath } = cli(t)
  const app = await build(t, { DATABASE_PATH: dbPath })
  // Big enough for the copy to take more than one step.
  for (let i = 0; i < 60; i++) await createArticle(app, { body: `<p>${'نص طويل للخبر '.repeat(150)}</p>` })
  const target = join(dir, 'backup.db')
  const state = { writing: true }
  const writer = (async () => {
    let n = 0
    while (state.writing && n < 200) {
      await createArticle(app)
      n++
    }
    return n
  })()
  const res = await run(['backup', target])
  state.writing = false
  const written = await writer
  t.equal(res.code, 0, res.err.join('\n'))
  t.match(res.out[0], /^Backed up .*khabar\.db to .*backup\.db \(\d+ pages\)\.$/)
  t.ok(written > 0, 'the server wrote during the backup')
  const copy = new Database(target, { readonly: true })
  t.teardown(() => copy.close())
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
  t.ok((copy.prepare('SELECT count(*) FROM articles').pluck().get() as number) >= 60)

  const missing = await cli(t).run(['backup', target])
  t.equal(missing.code, 1)
  t.match(missing.err.join('\n'), /There is no database at/)
})

test('khabar restore is refused while the server holds the database, and works once it stopped', { skip: ENGINE === 'postgres' && SQLITE_FILE }, async (t) => {
  const { run, dir, dbPath } = cli(t)
  const app = await build(t, { DATABASE_PATH: dbPath })
  const kept = await createArticle(app, { title: 'قبل النسخة الاحتياطية' })
  const backup = join(dir, 'backup.db')
  t.equal((await run(['backup', backup])).code, 0)
  await createArticle(app, { title: 'بعد النسخة الاحتياطية' })

  const refused = await run(['restore', backup])
  t.equal(refused.code, 1)
  t.match(refused.err.join('\n'), /is open in another process \(a running khabar server\?\)\. Stop it, then restore\./)
  t.equal((await app.inject({ url: '/v1/articles', headers: bearer(app.editorKey) })).json().data.length, 2, 'nothing was touched')

  await app.close()
  const restored = await run(['restore', backup])
  t.equal(restored.code, 0, restored.err.join('\n'))
  t.match(restored.out[0], /^Restored .*backup\.db into .*khabar\.db\.$/)
  const again = await build(t, { DATABASE_PATH: dbPath })
  const titles = (await again.inject({ url: '/v1/articles', headers: bearer(again.editorKey) })).json().data.map((a: any) => a.title)
  t.same(titles, [kept.title])

  // Into a place that has no database yet, as on a new machine.
  const fresh = cli(t)
  t.equal((await fresh.run(['restore', backup])).code, 0)
  const copy = new Database(fresh.dbPath, { readonly: true })
  t.teardown(() => copy.close())
  t.same(copy.prepare('SELECT title FROM articles').pluck().all(), [kept.title])
})

test('khabar restore refuses what is not a khabar backup', { skip: ENGINE === 'postgres' && SQLITE_FILE }, async (t) => {
  const { run, dir, dbPath } = cli(t)
  const text = join(dir, 'notes.txt')
  writeFileSync(text, 'not a database at all, just some text that is long enough to be read as a header')
  t.match((await run(['restore', text])).err.join('\n'), /notes\.txt is not a khabar database backup: file is not a database/)
  const empty = join(dir, 'empty.db')
  new Database(empty).close()
  t.match((await run(['restore', empty])).err.join('\n'), /is not a khabar database backup: it fails the integrity check or has no articles table/)
  t.match((await run(['restore', join(dir, 'missing.db')])).err.join('\n'), /There is no backup at/)

  // A database path that holds something else is reported, not overwritten.
  const good = join(dir, 'good.db')
  await run(['migrate'])
  t.equal((await run(['backup', good])).code, 0)
  rmSync(dbPath)
  writeFileSync(dbPath, readFileSync(text))
  const res = await run(['restore', good])
  t.equal(res.code, 1)
  t.match(res.err.join('\n'), /file is not a database/)
  t.equal(readFileSync(dbPath, 'utf8'), readFileSync(text, 'utf8'))
})

// The command refuses before it connects: no server is needed to see what it says.
test('on PostgreSQL, backup and restore say that pg_dump and pg_restore are the tools', async (t) => {
  const { run, dir } = cli(t)
  const env = { DATABASE_URL: 'postgres://khabar:s3cret@db.internal:5432/news?options=-c%20search_path%3Dnews' }
  const file = join(dir, 'khabar backup.dump')
  const backup = await run(['backup', file], { env })
  t.equal(backup.code, 1, 'backup exits non-zero')
  t.match(backup.err.join('\n'), /works on the SQLite file.*PostgreSQL \(DATABASE_URL\).*pg_dump --format=custom --file='[^']*khabar backup\.dump' 'postgres:\/\/khabar:\*\*\*@db\.internal/s)
  t.notMatch(backup.err.join('\n'), /s3cret/, 'the password is not repeated')
  t.match((await run(['backup', '/var/backups/khabar.dump'], { env })).err.join('\n'), /--file=\/var\/backups\/khabar\.dump /, 'a plain path needs no quotes')
  const restore = await run(['restore', file], { env })
  t.equal(restore.code, 1, 'restore exits non-zero')
  t.match(restore.err.join('\n'), /pg_restore --clean --if-exists --dbname='postgres:\/\/khabar:\*\*\*@db\.internal\S+ '[^']*khabar backup\.dump', then khabar migrate/)
  t.notOk(existsSync(file), 'nothing was written')
})

test('khabar import keeps REVISIONS_KEEP revisions per article, as the server does', async (t) => {
  const { run, dir, dbPath } = cli(t)
  const file = join(dir, 'in.ndjson')
  for (const version of [1, 2, 3, 4]) {
    writeFileSync(file, line(1, { title: `خبر يتغير في كل مرة ${version}` }))
    const res = await run(['import', file], { env: { DATABASE_PATH: dbPath, REVISIONS_KEEP: '2' } })
    t.equal(res.code, 0, `import ${version}`)
  }
  const db = new Database(dbPath, { readonly: true })
  t.teardown(() => db.close())
  t.same(db.prepare('SELECT version FROM article_revisions ORDER BY version').pluck().all(), [2, 3], 'the newest two of three earlier versions')
})
