import { join } from 'node:path'
import { test } from 'tap'
import { ADMIN_KEY, bearer, build, json, tempDir, type TestApp, dbRows } from '../../helper.ts'
import { hashKey } from '../../../src/domain/keys/key-service.ts'

const PROBLEM = /^application\/problem\+json/

async function createKey (app: TestApp, body: unknown, key = app.adminKey) {
  return await app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(key), payload: body as any })
}

async function listKeys (app: TestApp, key = app.adminKey) {
  return await app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(key) })
}

// The keys as far as "created or revoked" goes (lastUsedAt moves with every request).
const keyState = async (app: TestApp): Promise<Array<{ id: number, name: string, role: string, revokedAt: string | null }>> =>
  (await app.services.keys.list()).map(({ id, name, role, revokedAt }) => ({ id, name, role, revokedAt }))

test('an admin creates a key: 201 with the secret, once, and it works at once', async (t) => {
  const app = await build(t)
  const res = await createKey(app, { name: 'newsroom', role: 'editor' })
  t.equal(res.statusCode, 201)
  t.match(res.headers['content-type'], /^application\/json/)
  t.equal(res.headers['cache-control'], 'no-store')
  const created = json(res)
  t.match(created, { id: Number, name: 'newsroom', role: 'editor', createdAt: '2026-11-26T12:00:00.000Z', lastUsedAt: null, revokedAt: null })
  t.type(created.key, 'string')
  t.ok(created.key.length >= 40, 'the key is long')
  t.equal(created.prefix, created.key.slice(0, created.prefix.length))
  t.equal(res.headers.location, `/v1/keys/${created.id}`)

  // The new key is a working editor key on the very next request...
  const draft = await app.inject({
    method: 'POST',
    url: '/v1/articles',
    headers: bearer(created.key),
    payload: { title: 'مسودة', status: 'draft' }
  })
  t.equal(draft.statusCode, 201, 'the new editor key can create an article')
  // ...and an editor, not an admin.
  t.equal((await listKeys(app, created.key)).statusCode, 403)

  // The list never holds the secret nor its hash.
  const list = await listKeys(app)
  t.equal(list.statusCode, 200)
  t.notMatch(list.body, created.key)
  t.notMatch(list.body, hashKey(created.key))
  t.notMatch(list.body, hashKey(ADMIN_KEY))
  for (const item of json(list).data) {
    t.same(Object.keys(item).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role'])
  }
  t.ok(json(list).data.some((k: any) => k.id === created.id && k.name === 'newsroom'))
  t.same(json(list).meta, { nextCursor: null })

  // The database holds only the hash.
  const rows = await dbRows(app, 'SELECT * FROM api_keys')
  t.notMatch(JSON.stringify(rows), created.key)
  t.ok(JSON.stringify(rows).includes(hashKey(created.key)))
})

test('an admin key can be created and administers keys', async (t) => {
  const app = await build(t)
  const created = json(await createKey(app, { name: 'ops', role: 'admin' }))
  t.equal(created.role, 'admin')
  const list = await listKeys(app, created.key)
  t.equal(list.statusCode, 200)
  t.equal(json(list).data.length, 3, 'the env admin key, the editor key, the new one')
})

test('Arabic key names are kept intact', async (t) => {
  const app = await build(t)
  const res = await createKey(app, { name: 'غرفة الأخبار', role: 'editor' })
  t.equal(res.statusCode, 201)
  t.equal(json(res).name, 'غرفة الأخبار')
  t.ok(json(await listKeys(app)).data.some((k: any) => k.name === 'غرفة الأخبار'))
})

test('an editor key gets 403 on every key route', async (t) => {
  const app = await build(t)
  const before = await keyState(app)
  const list = await listKeys(app, app.editorKey)
  const create = await createKey(app, { name: 'x', role: 'admin' }, app.editorKey)
  const revoke = await app.inject({ method: 'DELETE', url: `/v1/keys/${before[0].id}`, headers: bearer(app.editorKey) })
  for (const [what, res] of Object.entries({ list, create, revoke })) {
    t.equal(res.statusCode, 403, what)
    t.match(res.headers['content-type'], PROBLEM, what)
    t.match(json(res), { type: 'urn:khabar:problem:forbidden', title: 'Forbidden', status: 403 }, what)
  }
  t.same(await keyState(app), before, 'nothing created nor revoked')
})

test('no key gets 401 on every key route', async (t) => {
  const app = await build(t)
  const before = await keyState(app)
  const list = await app.inject({ method: 'GET', url: '/v1/keys' })
  const create = await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: 'x', role: 'admin' } })
  const revoke = await app.inject({ method: 'DELETE', url: `/v1/keys/${before[0].id}` })
  for (const [what, res] of Object.entries({ list, create, revoke })) {
    t.equal(res.statusCode, 401, what)
    t.match(res.headers['content-type'], PROBLEM, what)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="khabar"', what)
    t.match(json(res), { type: 'urn:khabar:problem:unauthorized', status: 401 }, what)
  }
  t.same(await keyState(app), before, 'nothing created nor revoked')
})

test('a revoked key is 401 on the very next request', async (t) => {
  const app = await build(t)
  const created = json(await createKey(app, { name: 'temp', role: 'editor' }))
  const ok = await app.inject({ method: 'GET', url: '/v1/articles?status=draft', headers: bearer(created.key) })
  t.equal(ok.statusCode, 200, 'works before revocation')

  const del = await app.inject({ method: 'DELETE', url: `/v1/keys/${created.id}`, headers: bearer(app.adminKey) })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')

  const after = await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(created.key) })
  t.equal(after.statusCode, 401)
  t.match(after.headers['content-type'], PROBLEM)
  t.equal(after.headers['www-authenticate'], 'Bearer realm="khabar"')

  const listed = json(await listKeys(app)).data.find((k: any) => k.id === created.id)
  t.equal(listed.revokedAt, '2026-11-26T12:00:00.000Z')

  // Revoking again keeps the first revocation time.
  app.now.ms += 3_600_000
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/keys/${created.id}`, headers: bearer(app.adminKey) })).statusCode, 204)
  t.equal(json(await listKeys(app)).data.find((k: any) => k.id === created.id).revokedAt, '2026-11-26T12:00:00.000Z')
  t.equal((await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(created.key) })).statusCode, 401)
})

test('an admin revoking its own key is locked out at once', async (t) => {
  const app = await build(t)
  const created = json(await createKey(app, { name: 'ops', role: 'admin' }))
  const del = await app.inject({ method: 'DELETE', url: `/v1/keys/${created.id}`, headers: bearer(created.key) })
  t.equal(del.statusCode, 204)
  t.equal((await listKeys(app, created.key)).statusCode, 401)
})

test('revoking an unknown or malformed id', async (t) => {
  const app = await build(t)
  const unknown = await app.inject({ method: 'DELETE', url: '/v1/keys/999999', headers: bearer(app.adminKey) })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.headers['content-type'], PROBLEM)
  t.match(json(unknown), { type: 'urn:khabar:problem:not-found', status: 404, detail: /999999/ })

  for (const id of ['0', '-1', 'abc', '1.5', '99999999999999999999', '1e3', '0x10', '%201']) {
    const res = await app.inject({ method: 'DELETE', url: `/v1/keys/${id}`, headers: bearer(app.adminKey) })
    t.equal(res.statusCode, 400, `id ${id}`)
    t.match(res.headers['content-type'], PROBLEM, `id ${id}`)
    t.match(json(res), { type: 'urn:khabar:problem:validation', errors: [{ path: '/params/id' }] }, `id ${id}`)
  }
  t.equal((await app.services.keys.list()).filter(k => k.revokedAt !== null).length, 0, 'nothing revoked')
})

test('bad bodies are 400 problems and create nothing', async (t) => {
  const app = await build(t)
  const before = await keyState(app)
  const cases: Array<[string, unknown, string]> = [
    ['role root', { name: 'x', role: 'root' }, '/body/role'],
    ['missing name', { role: 'editor' }, '/body/name'],
    ['missing role', { name: 'x' }, '/body/role'],
    ['empty name', { name: '', role: 'editor' }, '/body/name'],
    ['unknown field', { name: 'x', role: 'editor', scope: 'all' }, '/body/scope'],
    ['name a number', { name: 5, role: 'editor' }, '/body/name'],
    ['name null', { name: null, role: 'editor' }, '/body/name'],
    ['role an array', { name: 'x', role: ['admin'] }, '/body/role'],
    ['oversized name', { name: 'ن'.repeat(201), role: 'editor' }, '/body/name'],
    ['an array body', [{ name: 'x', role: 'editor' }], '/body'],
    ['a string body', 'editor', '/body']
  ]
  for (const [what, body, path] of cases) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: { ...bearer(app.adminKey), 'content-type': 'application/json' },
      payload: JSON.stringify(body)
    })
    t.equal(res.statusCode, 400, what)
    t.match(res.headers['content-type'], PROBLEM, what)
    const problem = json(res)
    t.match(problem, { type: 'urn:khabar:problem:validation', title: 'Bad Request', status: 400, instance: '/v1/keys' }, what)
    t.ok(problem.errors.some((e: any) => e.path === path), `${what}: an error at ${path}`)
    t.notOk('key' in problem, what)
  }
  t.same(await keyState(app), before, 'nothing created')
})

test('malformed, empty and non-JSON bodies', async (t) => {
  const app = await build(t)
  const before = await keyState(app)
  const malformed = await app.inject({
    method: 'POST', url: '/v1/keys', headers: { ...bearer(app.adminKey), 'content-type': 'application/json' }, payload: '{"name": "x",'
  })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.headers['content-type'], PROBLEM)
  t.match(json(malformed), { type: 'urn:khabar:problem:malformed-body', status: 400 })

  const empty = await app.inject({
    method: 'POST', url: '/v1/keys', headers: { ...bearer(app.adminKey), 'content-type': 'application/json' }, payload: ''
  })
  t.equal(empty.statusCode, 400)
  t.match(json(empty), { type: 'urn:khabar:problem:malformed-body', status: 400 })

  const xml = await app.inject({
    method: 'POST', url: '/v1/keys', headers: { ...bearer(app.adminKey), 'content-type': 'application/xml' }, payload: '<key name="x" role="editor"/>'
  })
  t.equal(xml.statusCode, 415)
  t.match(xml.headers['content-type'], PROBLEM)
  t.match(json(xml), { type: 'urn:khabar:problem:unsupported-media-type', title: 'Unsupported Media Type', status: 415 })

  // Even when the text is JSON: the body must say it is.
  const text = await app.inject({
    method: 'POST', url: '/v1/keys', headers: { ...bearer(app.adminKey), 'content-type': 'text/plain' }, payload: '{"name":"x","role":"editor"}'
  })
  t.equal(text.statusCode, 415)
  t.match(json(text), { type: 'urn:khabar:problem:unsupported-media-type', status: 415 })

  const none = await app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(app.adminKey) })
  t.equal(none.statusCode, 400, 'no body at all')
  t.match(none.headers['content-type'], PROBLEM)
  t.same(await keyState(app), before, 'nothing created')
})

test('a body over 1 MiB is 413 and creates nothing', async (t) => {
  const app = await build(t)
  const before = await keyState(app)
  const res = await createKey(app, { name: 'x'.repeat(1024 * 1024 + 10), role: 'editor' })
  t.equal(res.statusCode, 413)
  t.match(res.headers['content-type'], PROBLEM)
  t.match(json(res), { type: 'urn:khabar:problem:body-too-large', title: 'Payload Too Large', status: 413 })
  t.same(await keyState(app), before, 'nothing created')
})

test('KHABAR_ADMIN_KEY is a working admin key', async (t) => {
  const app = await build(t)
  const list = await listKeys(app, ADMIN_KEY)
  t.equal(list.statusCode, 200)
  const admins = json(list).data.filter((k: any) => k.role === 'admin')
  t.equal(admins.length, 1)
  t.match(admins[0], { name: 'KHABAR_ADMIN_KEY', prefix: ADMIN_KEY.slice(0, admins[0].prefix.length), revokedAt: null })
})

test('KHABAR_ADMIN_KEY: no duplicate on restart, revived when revoked, promoted when an editor key', async (t) => {
  // Apps that share one database file, in a directory the test owns.
  const env = { DATABASE_PATH: join(tempDir(t), 'shared.db') }
  const first = await build(t, env)
  t.equal((await first.services.keys.list()).filter(k => k.name === 'KHABAR_ADMIN_KEY').length, 1)

  // Same file, same key: still one admin key.
  const second = await build(t, env)
  const admins = (await second.services.keys.list()).filter(k => k.name === 'KHABAR_ADMIN_KEY')
  t.equal(admins.length, 1, 'no duplicate admin key')
  const adminId = admins[0].id
  t.equal((await second.services.keys.list()).length, 3, 'the admin key and the two helper editor keys')

  // Revoked in the database (say by the CLI): 401 at once, then revived by the next start.
  await second.services.keys.revoke(adminId)
  t.equal((await listKeys(first)).statusCode, 401, 'the other process sees the revocation')
  t.equal((await listKeys(second)).statusCode, 401)
  const third = await build(t, env)
  const revived = (await third.services.keys.list()).filter(k => k.name === 'KHABAR_ADMIN_KEY')
  t.equal(revived.length, 1)
  t.equal(revived[0].id, adminId, 'the same key, not a new one')
  t.equal(revived[0].revokedAt, null)
  t.equal((await listKeys(third)).statusCode, 200)
  t.equal((await listKeys(first)).statusCode, 200, 'revived for every process')

  // KHABAR_ADMIN_KEY set to an existing editor key makes that key an admin.
  const fourth = await build(t, { ...env, KHABAR_ADMIN_KEY: first.editorKey })
  t.equal((await listKeys(fourth, first.editorKey)).statusCode, 200, 'the former editor key is now admin')
  const promoted = (await fourth.services.keys.list()).filter(k => k.role === 'admin')
  t.equal(promoted.length, 2)
  t.equal((await fourth.services.keys.list()).length, 5, 'promoted in place, nothing added but the editor keys')
})

test('hasActiveAdmin: whether any admin key works, for the start message', async (t) => {
  t.equal(await (await build(t)).services.keys.hasActiveAdmin(), true, 'KHABAR_ADMIN_KEY made one')
  const app = await build(t, { KHABAR_ADMIN_KEY: '' })
  const keys = app.services.keys
  t.equal(await keys.hasActiveAdmin(), false, 'the helper editor key is not an admin')
  const admin = await keys.create('ops', 'admin')
  t.equal(await keys.hasActiveAdmin(), true)
  await keys.revoke(admin.id)
  t.equal(await keys.hasActiveAdmin(), false, 'a revoked admin key does not count')
})

test('lastUsedAt is set when a key is used, at most once a minute', async (t) => {
  const app = await build(t)
  const created = json(await createKey(app, { name: 'reader', role: 'editor' }))
  const find = async (): Promise<any> => json(await listKeys(app)).data.find((k: any) => k.id === created.id)
  t.equal((await find()).lastUsedAt, null, 'not used yet')
  const admin = json(await listKeys(app)).data.find((k: any) => k.name === 'KHABAR_ADMIN_KEY')
  t.equal(admin.lastUsedAt, '2026-11-26T12:00:00.000Z', 'the admin key was just used')

  t.equal((await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(created.key) })).statusCode, 200)
  t.equal((await find()).lastUsedAt, '2026-11-26T12:00:00.000Z')

  app.now.ms += 30_000
  await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(created.key) })
  t.equal((await find()).lastUsedAt, '2026-11-26T12:00:00.000Z', 'not rewritten within the minute')

  app.now.ms += 30_000
  await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(created.key) })
  t.equal((await find()).lastUsedAt, '2026-11-26T12:01:00.000Z', 'rewritten after a minute')

  // A failed authentication does not touch any key.
  app.now.ms += 120_000
  await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(created.key + 'x') })
  t.equal((await find()).lastUsedAt, '2026-11-26T12:01:00.000Z')
})

test('GET /v1/keys/{id}: the Location of a new key leads to it, without its secret', async (t) => {
  const app = await build(t)
  const created = await app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(app.adminKey), payload: { name: 'مكتب', role: 'editor' } })
  const location = String(created.headers.location)
  const res = await app.inject({ url: location, headers: bearer(app.adminKey) })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: created.json().id, name: 'مكتب', role: 'editor', revokedAt: null })
  t.notOk('key' in res.json())
  t.equal((await app.inject({ url: location, headers: bearer(app.editorKey) })).statusCode, 403)
  t.equal((await app.inject({ url: location })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/keys/999', headers: bearer(app.adminKey) })).statusCode, 404)
  t.equal((await app.inject({ url: '/v1/keys/abc', headers: bearer(app.adminKey) })).statusCode, 400)
})

test('KHABAR_ADMIN_KEY made by another process between the lookup and the insert: the key stands, once', async (t) => {
  const app = await build(t)
  const store = app.khabar.storage.keys
  const byHash = store.byHash
  // The lookup misses once, as when another process starting at the same time had not
  // committed its insert yet; the insert then meets the unique hash.
  let missed = false
  store.byHash = async (hash) => {
    if (!missed) {
      missed = true
      return undefined
    }
    return await byHash(hash)
  }
  t.teardown(() => { store.byHash = byHash })
  const key = await app.services.keys.ensureAdmin(ADMIN_KEY)
  t.equal(key.role, 'admin')
  t.equal((await app.services.keys.list()).filter(k => k.name === 'KHABAR_ADMIN_KEY').length, 1, 'no second admin key')
  // Anything else the insert refuses is not hidden.
  store.byHash = async () => undefined
  await t.rejects(app.services.keys.ensureAdmin(ADMIN_KEY))
})
