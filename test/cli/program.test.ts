import { test } from 'tap'
import { runCli } from '../../src/cli/program.ts'
import { build, bearer } from '../helper.ts'
import { cli } from '../support/cli.ts'

test('khabar migrate creates and migrates the database', async (t) => {
  const { run } = cli(t)
  const res = await run(['migrate'])
  t.equal(res.code, 0)
  t.match(res.out.join('\n'), /up to date/)
  t.equal((await run(['migrate'])).code, 0, 'running it again is harmless')
})

test('khabar keys create prints the key as the last line, and the server accepts it', async (t) => {
  const { run, dbPath } = cli(t)
  const res = await run(['keys', 'create', '--role', 'editor', '--name', 'desk'])
  t.equal(res.code, 0)
  const key = res.out[res.out.length - 1]
  t.match(key, /^khb_[A-Za-z0-9_-]{43}$/)
  const app = await build(t, { DATABASE_PATH: dbPath })
  const created = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(key), payload: { name: 'اقتصاد' } })
  t.equal(created.statusCode, 201)
})

test('khabar keys list shows keys without secrets; revoke stops a key at once', async (t) => {
  const { run, dbPath } = cli(t)
  t.match((await run(['keys', 'list'])).out.join('\n'), /No keys yet/)
  const key = (await run(['keys', 'create', '--name', 'ops', '--role', 'admin'])).out.at(-1) as string
  const list = await run(['keys', 'list'])
  t.match(list.out.join('\n'), /1\tadmin\tkhb_.{6}…\tops/)
  t.notMatch(list.out.join('\n'), key)
  const app = await build(t, { DATABASE_PATH: dbPath })
  t.equal((await app.inject({ url: '/v1/keys', headers: bearer(key) })).statusCode, 200)
  const revoked = await run(['keys', 'revoke', '1'])
  t.equal(revoked.code, 0)
  t.match(revoked.out.join('\n'), /Revoked key 1 \(ops\)/)
  t.equal((await app.inject({ url: '/v1/keys', headers: bearer(key) })).statusCode, 401, 'the running server refuses it on the next request')
  t.match((await run(['keys', 'list'])).out.join('\n'), /revoked 20/)
})

test('khabar refuses bad arguments with a non-zero exit', async (t) => {
  const { run } = cli(t)
  const missing = await run(['keys', 'create', '--role', 'editor'])
  t.equal(missing.code, 1)
  t.match(missing.err.join('\n'), /--name/)
  t.equal((await run(['keys', 'create', '--name', 'x', '--role', 'root'])).code, 1)
  t.equal((await run(['keys', 'revoke', 'abc'])).code, 1)
  t.equal((await run(['keys', 'revoke', '0'])).code, 1)
  const unknown = await run(['keys', 'revoke', '42'])
  t.equal(unknown.code, 1)
  t.match(unknown.err.join('\n'), /Key 42 was not found/)
  t.equal((await run(['nonsense'])).code, 1)
  t.equal((await run(['--help'])).code, 0)
})

test('khabar reports invalid settings', async (t) => {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(['migrate'], { out: l => out.push(l), err: l => err.push(l), env: { DATABASE_PATH: '/tmp/x.db', PORT: 'abc' } })
  t.equal(code, 1)
  t.match(err.join('\n'), /PORT/)
})
