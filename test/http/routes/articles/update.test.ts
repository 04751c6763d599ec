import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { assertProblem, createArticle, createCategory, readArticle, snapshot } from '../../../factories.ts'

const patch = async (app: TestApp, id: number | string, payload: unknown, headers: Record<string, string> = {}) =>
  await app.inject({ method: 'PATCH', url: `/v1/articles/${id}`, headers: { ...bearer(app.editorKey), ...headers }, payload: payload as any })

test('PATCH changes the fields sent, bumps the version and updatedAt, keeps the rest', async (t) => {
  const app = await build(t)
  const category = await createCategory(app)
  const a = await createArticle(app, { title: 'قبل', tags: ['دمشق'], author: 'أ', breaking: true, categoryId: category.id })
  app.now.ms += 60_000
  const res = await patch(app, a.id, { title: 'بعد', subtitle: 'فرعي' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, '"2"')
  const b = json(res)
  t.match(b, { id: a.id, title: 'بعد', subtitle: 'فرعي', version: 2, updatedAt: '2026-11-26T12:01:00.000Z', createdAt: a.createdAt })
  t.same({ ...b, title: a.title, subtitle: a.subtitle, version: 1, updatedAt: a.updatedAt }, a, 'nothing else moved')
  t.equal(b.slug, a.slug, 'a new title does not change the slug')
  t.same(await readArticle(app, a.id), b)
})

test('a PATCH that changes nothing keeps the version and updatedAt', async (t) => {
  const app = await build(t)
  const category = await createCategory(app)
  const a = await createArticle(app, {
    title: 'ثابت',
    subtitle: null,
    tags: ['دمشق', 'سوريا'],
    breaking: true,
    categoryId: category.id,
    source: { name: 'وكالة', url: 'https://agency.example' },
    body: '<p>نص</p>'
  })
  app.now.ms += 60_000
  const same = [
    { title: 'ثابت' },
    { subtitle: null },
    { tags: ['دمشق', 'سوريا'] },
    { tags: [' دمشق', 'سوريا ', 'دمشق'] },
    { breaking: true },
    { categoryId: category.id },
    { source: { name: 'وكالة', url: 'https://agency.example' } },
    { body: '<p>نص</p>' },
    { status: 'published' },
    { slug: a.slug },
    { title: 'ثابت', breaking: true, tags: ['دمشق', 'سوريا'] }
  ]
  for (const payload of same) {
    const res = await patch(app, a.id, payload)
    t.equal(res.statusCode, 200, JSON.stringify(payload))
    t.equal(json(res).version, 1, `${JSON.stringify(payload)} keeps version 1`)
    t.equal(json(res).updatedAt, a.updatedAt)
  }
  t.same(await readArticle(app, a.id), a)
})

test('tags: replaced, reordered, emptied', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['أ', 'ب'] })
  const reordered = json(await patch(app, a.id, { tags: ['ب', 'أ'] }))
  t.same(reordered.tags, ['ب', 'أ'])
  t.equal(reordered.version, 2, 'order matters')
  const replaced = json(await patch(app, a.id, { tags: ['ج'] }))
  t.same(replaced.tags, ['ج'])
  t.equal(replaced.version, 3)
  const emptied = json(await patch(app, a.id, { tags: [] }))
  t.same(emptied.tags, [])
  t.equal(emptied.version, 4)
})

test('slug change: cleaned, the new slug finds the article, a taken one is 409, digits only 400', async (t) => {
  const app = await build(t)
  const other = await createArticle(app, { title: 'آخر' })
  const a = await createArticle(app, { title: 'قديم' })
  const res = await patch(app, a.id, { slug: 'عنوان جديد' })
  t.equal(res.statusCode, 200)
  t.equal(json(res).slug, 'عنوان-جديد')
  t.equal(json(res).version, 2)
  const found = await app.inject({ url: `/v1/articles/${encodeURIComponent('عنوان-جديد')}` })
  t.equal(json(found).id, a.id)

  const before = await snapshot(app)
  assertProblem(t, await patch(app, a.id, { slug: other.slug }), 409)
  assertProblem(t, await patch(app, a.id, { slug: '!!!' }), 400)
  assertProblem(t, await patch(app, a.id, { slug: String(other.id) }), 400)
  t.same(await snapshot(app), before, 'refused slug changes change nothing')
})

test('a slug the article had before still leads to it', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'قديم' })
  t.equal((await patch(app, a.id, { slug: 'new-slug' })).statusCode, 200)
  const res = await app.inject({ url: `/v1/articles/${encodeURIComponent(a.slug)}` })
  t.ok(res.statusCode < 500)
  t.equal(res.statusCode, 301, 'a redirect')
  t.match(res.headers.location, /\/v1\/articles\/new-slug$/, 'to the current slug')
})

test('status: draft→published sets publishedAt now, published→draft clears it', async (t) => {
  const app = await build(t)
  const draft = await createArticle(app, { status: 'draft' })
  t.equal(draft.publishedAt, null)
  app.now.ms += 3_600_000
  const published = json(await patch(app, draft.id, { status: 'published' }))
  t.match(published, { status: 'published', publishedAt: '2026-11-26T13:00:00.000Z', version: 2 })
  const anon = await app.inject({ url: `/v1/articles/${draft.id}` })
  t.equal(anon.statusCode, 200, 'readers see it now')

  app.now.ms += 3_600_000
  const edited = json(await patch(app, draft.id, { title: 'تعديل بعد النشر' }))
  t.equal(edited.publishedAt, '2026-11-26T13:00:00.000Z', 'an edit keeps the publication time')

  const back = json(await patch(app, draft.id, { status: 'draft' }))
  t.match(back, { status: 'draft', publishedAt: null })
  t.equal((await app.inject({ url: `/v1/articles/${draft.id}` })).statusCode, 404, 'readers no longer see it')

  const scheduled = json(await patch(app, draft.id, { status: 'published', publishedAt: '2026-12-24T09:00:00.000Z' }))
  t.match(scheduled, { status: 'published', publishedAt: '2026-12-24T09:00:00.000Z' })
  const moved = json(await patch(app, draft.id, { publishedAt: '2026-11-01T09:00:00.000Z' }))
  t.equal(moved.publishedAt, '2026-11-01T09:00:00.000Z', 'publishedAt alone moves it')
  const reset = json(await patch(app, draft.id, { publishedAt: null }))
  t.equal(reset.publishedAt, '2026-11-26T14:00:00.000Z', 'a published article without a time is published now')
  const archived = json(await patch(app, draft.id, { status: 'archived' }))
  t.match(archived, { status: 'archived', publishedAt: '2026-11-26T14:00:00.000Z' })
  const ignored = json(await patch(app, (await createArticle(app, { status: 'draft' })).id, { publishedAt: '2026-11-01T00:00:00.000Z' }))
  t.equal(ignored.publishedAt, null, 'a draft has no publication time')
})

test('If-Match: a stale version is 412 and changes nothing; the current one, the ETag and * pass', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const read = await app.inject({ url: `/v1/articles/${a.id}` })
  const etag = read.headers.etag as string
  t.match(etag, /^"1-/)

  const withEtag = await patch(app, a.id, { title: 'بالـ ETag' }, { 'if-match': etag })
  t.equal(withEtag.statusCode, 200)
  t.equal(json(withEtag).version, 2)

  const before = await snapshot(app)
  for (const stale of [etag, '"1"', '1', 'W/"1"', '"3"', '"0"', '"2-"x', '"12"', '"garbage"', '""']) {
    const res = await patch(app, a.id, { title: 'قديم' }, { 'if-match': stale })
    if (stale === '"2-"x') {
      t.ok(res.statusCode < 500)
      continue
    }
    const problem = assertProblem(t, res, 412, `If-Match: ${stale}`)
    t.match(problem.detail, /version 2/)
  }
  t.same(await snapshot(app), before, 'a 412 changes nothing')

  for (const [header, version] of [['"2"', 3], ['3', 4], ['W/"4"', 5], ['*', 6], ['"1", "6"', 7]] as const) {
    const res = await patch(app, a.id, { title: `نسخة ${version}` }, { 'if-match': header })
    t.equal(res.statusCode, 200, `If-Match: ${header}`)
    t.equal(json(res).version, version)
  }
  const fresh = await app.inject({ url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  const ok = await patch(app, a.id, { title: 'بعد قراءة المحرر' }, { 'if-match': fresh.headers.etag as string })
  t.equal(ok.statusCode, 200, 'the editor view ETag works too')
})

test('If-Match is checked even when the PATCH would change nothing', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'ثابت' })
  await patch(app, a.id, { title: 'تغير' })
  assertProblem(t, await patch(app, a.id, { title: 'تغير' }, { 'if-match': '"1"' }), 412)
})

test('PATCH of a missing article is 404; bad ids are 400 or 404, never 500', async (t) => {
  const app = await build(t)
  await createArticle(app)
  assertProblem(t, await patch(app, 999, { title: 'x' }), 404)
  for (const id of ['0', '-1', '99999999999999999999', 'abc', '1.5', '1e3', encodeURIComponent("1'; DROP TABLE articles; --"), '%20']) {
    const res = await patch(app, id, { title: 'x' })
    t.ok(res.statusCode < 500, `${id}: ${res.statusCode}`)
    t.ok([400, 404].includes(res.statusCode), `${id}: ${res.statusCode}`)
    assertProblem(t, res, res.statusCode)
  }
})

test('bad PATCH bodies are 400s naming the field, and change nothing', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['دمشق'] })
  const before = await snapshot(app)
  const cases: Array<[unknown, string]> = [
    [{}, '/body'],
    [{ title: 5 }, '/body/title'],
    [{ title: '' }, '/body/title'],
    [{ title: ' \n ' }, '/body/title'],
    [{ title: 'عنوان \u202Eمقلوب' }, '/body/title'],
    [{ title: null }, '/body/title'],
    [{ tags: 'x' }, '/body/tags'],
    [{ tags: null }, '/body/tags'],
    [{ breaking: 'yes' }, '/body/breaking'],
    [{ breaking: null }, '/body/breaking'],
    [{ categoryId: '1' }, '/body/categoryId'],
    [{ categoryId: 424242 }, '/body/categoryId'],
    [{ status: 'deleted' }, '/body/status'],
    [{ publishedAt: 'soon' }, '/body/publishedAt'],
    [{ publishedAt: '2026-06-30T23:59:60Z' }, '/body/publishedAt'],
    [{ version: 9 }, '/body/version'],
    [{ views: 1e6 }, '/body/views'],
    [{ id: 2 }, '/body/id'],
    [{ unknown: true }, '/body/unknown'],
    [[{ title: 'x' }], '/body'],
    ['title', '/body'],
    [null, '/body']
  ]
  for (const [payload, path] of cases) {
    const res = await app.inject({
      method: 'PATCH',
      url: `/v1/articles/${a.id}`,
      headers: { ...bearer(app.editorKey), 'content-type': 'application/json' },
      payload: JSON.stringify(payload)
    })
    const problem = assertProblem(t, res, 400, JSON.stringify(payload))
    if (problem.errors !== undefined) {
      t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${path} in ${JSON.stringify(problem.errors)}`)
    }
  }
  t.same(await snapshot(app), before)
})

test('an externalId another article holds is a 409; its own is fine', async (t) => {
  const app = await build(t)
  await createArticle(app, { externalId: 'wp-1' })
  const b = await createArticle(app, { externalId: 'wp-2' })
  const before = await snapshot(app)
  assertProblem(t, await patch(app, b.id, { externalId: 'wp-1' }), 409)
  t.same(await snapshot(app), before)
  t.equal(json(await patch(app, b.id, { externalId: 'wp-2' })).version, 1)
  t.equal(json(await patch(app, b.id, { externalId: null })).externalId, null)
})

test('category can be set, changed and cleared', async (t) => {
  const app = await build(t)
  const one = await createCategory(app)
  const two = await createCategory(app)
  const a = await createArticle(app)
  t.equal(json(await patch(app, a.id, { categoryId: one.id })).categoryId, one.id)
  t.equal(json(await patch(app, a.id, { categoryId: two.id })).categoryId, two.id)
  t.equal(json(await patch(app, a.id, { categoryId: null })).categoryId, null)
  t.equal(json(await patch(app, a.id, { source: null })).source, null)
  t.equal(json(await patch(app, a.id, { lang: 'en' })).dir, 'ltr')
})
