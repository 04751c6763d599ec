import { test, type Test } from 'tap'
import { ADMIN_KEY, bearer, build, json, type TestApp, dbValue } from '../../helper.ts'

const PROBLEM = /^application\/problem\+json/

async function get (app: TestApp, url: string, authorization?: string) {
  return await app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } })
}

function assertUnauthorized (t: Test, res: Awaited<ReturnType<typeof get>>, what: string, detail?: RegExp): void {
  t.equal(res.statusCode, 401, what)
  t.match(res.headers['content-type'], PROBLEM, what)
  t.equal(res.headers['www-authenticate'], 'Bearer realm="khabar"', `${what}: WWW-Authenticate`)
  const body = json(res)
  t.match(body, { type: 'urn:khabar:problem:unauthorized', title: 'Unauthorized', status: 401 }, what)
  if (detail !== undefined) t.match(body.detail, detail, `${what}: detail`)
}

test('malformed Authorization headers are 401 problems with WWW-Authenticate', async (t) => {
  const app = await build(t)
  const malformed: Record<string, string> = {
    'Basic scheme': 'Basic x',
    'Basic with credentials': `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`,
    'the key alone': ADMIN_KEY,
    'Bearer with no token': 'Bearer',
    'Bearer and a space': 'Bearer ',
    'Bearer and spaces': 'Bearer    ',
    'empty header': '',
    'a token with a space': 'Bearer khb_abc def',
    'two tokens': `Bearer ${ADMIN_KEY} ${ADMIN_KEY}`,
    'a tab instead of a space': `Bearer\t${ADMIN_KEY}`,
    'no space after Bearer': `Bearer${ADMIN_KEY}`,
    'an Arabic token': 'Bearer مفتاح_سري_طويل_جدا_جدا',
    'a Latin-1 token': 'Bearer khb_caf\u00e9-0123456789abcdef0123',
    'a 10 KB token': `Bearer ${'k'.repeat(10 * 1024)}`,
    'a 513-character token': `Bearer ${'k'.repeat(513)}`,
    'a valid key with an extra character inside': `Bearer ${ADMIN_KEY.slice(0, 8)}\u0000${ADMIN_KEY.slice(8)}`
  }
  for (const [what, header] of Object.entries(malformed)) {
    assertUnauthorized(t, await get(app, '/v1/articles', header), what, /Bearer <key>/)
  }
})

test('well-formed but unknown keys are 401, never anonymous', async (t) => {
  const app = await build(t)
  const unknown: Record<string, string> = {
    'a made-up key': 'Bearer khb_not-a-real-key-000000000000000000',
    'a 512-character token': `Bearer ${'k'.repeat(512)}`,
    'the admin key in upper case': `Bearer ${ADMIN_KEY.toUpperCase()}`,
    'the admin key plus one character': `Bearer ${ADMIN_KEY}x`,
    'the admin key minus one character': `Bearer ${ADMIN_KEY.slice(0, -1)}`,
    'the admin key prefix only': `Bearer ${ADMIN_KEY.slice(0, 10)}`,
    'the hash of the admin key': 'Bearer ' + await dbValue<string>(app, 'SELECT hash FROM api_keys WHERE name = ?', 'KHABAR_ADMIN_KEY')
  }
  for (const [what, header] of Object.entries(unknown)) {
    assertUnauthorized(t, await get(app, '/v1/articles', header), what, /unknown or revoked/)
  }
})

test('a wrong key on public reads is 401, not silently anonymous', async (t) => {
  const app = await build(t)
  for (const url of ['/v1/articles', '/v1/categories', '/v1/tags', '/v1/media', '/v1/articles/1', '/v1/articles/some-slug']) {
    const anonymous = await get(app, url)
    t.not(anonymous.statusCode, 401, `${url} needs no key`)
    assertUnauthorized(t, await get(app, url, 'Bearer khb_wrong-key-0000000000000000000000'), `${url} with a wrong key`)
  }
  const created = await app.inject({ method: 'POST', url: '/v1/articles/1/views', headers: bearer('khb_wrong-key-0000000000000000000000') })
  t.equal(created.statusCode, 401, 'posting a view with a wrong key')
})

test('health and readiness never look at keys: a bad or malformed one is not read', async (t) => {
  const app = await build(t)
  for (const url of ['/health', '/ready']) {
    for (const header of ['Bearer khb_wrong-key-0000000000000000000000', 'Basic dXNlcjpwYXNz', 'nonsense', `Bearer ${app.editorKey}`]) {
      const res = await get(app, url, header)
      t.equal(res.statusCode, 200, `${url} with ${header.slice(0, 12)}…`)
      t.same(JSON.parse(res.body), { status: 'ok' })
      t.equal(res.headers['www-authenticate'], undefined)
    }
  }
})

test('valid keys are accepted in the usual spellings', async (t) => {
  const app = await build(t)
  const spellings: Record<string, string> = {
    canonical: `Bearer ${app.editorKey}`,
    'lower-case scheme': `bearer ${app.editorKey}`,
    'upper-case scheme': `BEARER ${app.editorKey}`,
    'several spaces': `Bearer   ${app.editorKey}`,
    'trailing spaces': `Bearer ${app.editorKey}  `
  }
  for (const [what, header] of Object.entries(spellings)) {
    const res = await get(app, '/v1/articles?status=draft', header)
    t.equal(res.statusCode, 200, what)
  }
  // A key's role is enforced after authentication: an editor is not an admin.
  const keys = await get(app, '/v1/keys', `Bearer ${app.editorKey}`)
  t.equal(keys.statusCode, 403)
  t.equal(keys.headers['www-authenticate'], undefined, '403 does not ask for credentials')
})

test('a route that needs a key answers 401 without one', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', payload: { title: 'خبر' } })
  assertUnauthorized(t, res, 'POST /v1/articles without a key', /needs a key/)
  const list = await app.inject({ method: 'GET', url: '/v1/articles' })
  t.equal(json(list).data.length, 0, 'nothing was created')
})

test('keys never reach the log', async (t) => {
  const lines: string[] = []
  const server = await build(t, { LOG_LEVEL: 'trace' }, { log: line => lines.push(line) })
  const wrong = 'khb_wrong-key-that-must-not-be-logged-0000'
  t.equal((await server.inject({ url: '/v1/keys', headers: bearer(ADMIN_KEY) })).statusCode, 200)
  t.equal((await server.inject({ url: '/v1/articles', headers: bearer(wrong) })).statusCode, 401)
  t.equal((await server.inject({ url: '/v1/articles', headers: { authorization: `Basic ${wrong}` } })).statusCode, 401)
  const log = lines.join('')
  t.ok(log.includes('/v1/keys'), 'requests are logged')
  t.notOk(log.includes(ADMIN_KEY), 'not the valid key')
  t.notOk(log.includes(wrong), 'not the wrong key')
})
