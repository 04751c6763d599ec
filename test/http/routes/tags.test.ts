import { test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { build, bearer, json, type TestApp } from '../../helper.ts'
import { assertNeedsKey, assertProblem, createArticle, createTag, listAll, readArticle, type Call } from '../../factories.ts'

async function getTag (app: TestApp, idOrSlug: string | number): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'GET', url: `/v1/tags/${idOrSlug}` })
}

// Every tag GET /v1/tags lists for a query, page after page.
const allTags = async (app: TestApp, query = 'limit=100'): Promise<any[]> => await listAll(app, `/v1/tags?${query}`)

test('POST /v1/tags creates a tag; names are cleaned; duplicates are 409', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'دمشق' } })
  t.equal(res.statusCode, 201)
  const tag = json(res)
  t.equal(res.headers.location, `/v1/tags/${tag.id}`)
  t.same(tag, { id: tag.id, slug: 'دمشق', name: 'دمشق', articleCount: 0, createdAt: '2026-11-26T12:00:00.000Z', updatedAt: '2026-11-26T12:00:00.000Z' })
  t.same(json(await app.inject({ method: 'GET', url: res.headers.location as string })), tag, 'the Location reads it back')

  const spaced = await createTag(app, { name: '  غزة \t  اليوم \n' })
  t.equal(spaced.name, 'غزة اليوم', 'trimmed, inner whitespace collapsed')
  t.equal(spaced.slug, 'غزة-اليوم')
  const explicit = await createTag(app, { name: 'Breaking News', slug: 'Breaking' })
  t.equal(explicit.slug, 'breaking')
  const noLetters = await createTag(app, { name: '!!!' })
  t.equal(noLetters.slug, 'tag', 'a name without letters falls back to "tag"')
  const year = await createTag(app, { name: '2026' })
  t.notMatch(year.slug, /^[0-9]+$/, `a digits-only name gets a slug that is not (${year.slug})`)
  t.equal(json(await getTag(app, year.slug)).id, year.id, 'and is found by it')
  const sameSlug = await createTag(app, { name: 'دمشق!' })
  t.equal(sameSlug.slug, 'دمشق-2', 'a generated slug that is taken gets -2')

  const before = await allTags(app)
  const composed = await createTag(app, { name: 'آمنة café' })
  const after = await allTags(app)
  t.equal(after.length, before.length + 1)
  const duplicates = [
    'دمشق',
    '  دمشق  ',
    '\tدمشق\n',
    'غزة   اليوم',
    'آمنة café'.normalize('NFD'),
    composed.name.normalize('NFD').replace(' ', '  ')
  ]
  t.not('آمنة café'.normalize('NFD'), 'آمنة café', 'the NFD spelling really differs')
  const ids: Record<string, number> = { دمشق: tag.id, 'غزة اليوم': spaced.id, 'آمنة café': composed.id }
  for (const name of duplicates) {
    const dup = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name } })
    const body = assertProblem(t, dup, 409, `duplicate ${JSON.stringify(name)}`)
    t.equal(body.type, 'urn:khabar:problem:tag-exists')
    const existingId = ids[name.normalize('NFC').replace(/\s+/g, ' ').trim()]
    t.equal(body.existingId, existingId, 'existingId names the tag that has the name')
    t.match(body.detail, `tag ${existingId}`, 'and so does the detail')
  }
  const digits = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'أخرى', slug: '1' } })
  t.equal(assertProblem(t, digits, 400, 'a digits-only slug').errors[0].path, '/body/slug')
  const slugTaken = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name: 'أخرى', slug: 'breaking' } })
  t.equal(assertProblem(t, slugTaken, 409, 'explicit taken slug').type, 'urn:khabar:problem:slug-taken')
  const admin = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.adminKey), payload: { name: 'admin' } })
  t.equal(admin.statusCode, 201, 'admins may create too')
  t.same((await allTags(app)).filter(x => x.name !== 'admin'), after, 'refused creations changed nothing')
})

test('GET /v1/tags sorts by name with keyset pagination and a Link header', async (t) => {
  const app = await build(t)
  const names = ['سوريا', 'Beirut', 'القدس', 'أخبار', 'zeta']
  for (const name of names) await createTag(app, { name })
  const expected = [...names].sort()

  const seen: string[] = []
  let url: string | null = '/v1/tags?limit=2'
  let pages = 0
  while (url !== null) {
    const res: LightMyRequestResponse = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200)
    const body = json(res)
    pages++
    t.ok(body.data.length <= 2, 'at most limit items')
    seen.push(...body.data.map((x: any) => x.name))
    const link = res.headers.link as string | undefined
    if (body.meta.nextCursor === null) {
      t.equal(link, undefined, 'no Link on the last page')
      url = null
    } else {
      const match = /^<([^>]+)>; rel="next"$/.exec(link ?? '')
      t.ok(match, `a Link rel="next" header (${link})`)
      const next = new URL((match as RegExpExecArray)[1], 'http://localhost')
      t.equal(next.searchParams.get('cursor'), body.meta.nextCursor, 'the Link carries the cursor')
      t.equal(next.searchParams.get('limit'), '2', 'and keeps the other parameters')
      url = `${next.pathname}${next.search}`
    }
  }
  t.equal(pages, 3)
  t.same(seen, expected, 'every tag exactly once, in name order')
  t.equal(new Set(seen).size, names.length)

  const plain = await app.inject({ method: 'GET', url: '/v1/tags' })
  t.same(json(plain).data.map((x: any) => x.name), expected, 'default limit 20 holds them all')
  t.same(json(plain).meta, { nextCursor: null })
  t.equal(plain.headers.link, undefined)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/tags?sort=name&limit=5' })).meta.nextCursor, null, 'exactly limit items: no next page')
})

test('sort=-articleCount orders by count, then newest, across pages', async (t) => {
  const app = await build(t)
  const tags = []
  for (const name of ['t1', 't2', 't3', 't4', 't5']) tags.push(await createTag(app, { name }))
  // t1: 2, t2: 1, t3: 2, t4: 0, t5: 1 published; drafts and the trash add nothing.
  await createArticle(app, { title: 'a', tags: ['t1', 't3', 't5'] })
  await createArticle(app, { title: 'b', tags: ['t1', 't2', 't3'] })
  await createArticle(app, { title: 'draft', status: 'draft', tags: ['t4', 't2', 't5'] })
  const trashed = await createArticle(app, { title: 'trash', tags: ['t4'] })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })
  const expected = ['t3', 't1', 't5', 't2', 't4']

  for (const limit of [1, 2, 3, 100]) {
    const list = await allTags(app, `sort=-articleCount&limit=${limit}`)
    t.same(list.map(x => x.name), expected, `limit=${limit}: every tag once, by count then id`)
    t.same(list.map(x => x.articleCount), [2, 2, 1, 1, 0])
  }
  const first = await app.inject({ method: 'GET', url: '/v1/tags?sort=-articleCount&limit=2' })
  t.match(first.headers.link, /rel="next"/)
  t.match(first.headers.link, /sort=-articleCount/)
  t.same(tags.map(x => x.articleCount), [0, 0, 0, 0, 0])
})

test('GET /v1/tags/{idOrSlug} by id, raw and encoded slug', async (t) => {
  const app = await build(t)
  const tag = await createTag(app, { name: 'الانتخابات الرئاسية' })
  t.equal(tag.slug, 'الانتخابات-الرئاسية')
  for (const key of [String(tag.id), tag.slug, encodeURIComponent(tag.slug)]) {
    const res = await getTag(app, key)
    t.equal(res.statusCode, 200, key)
    t.same(json(res), tag)
  }
  t.equal((await app.inject({ method: 'GET', url: `/v1/tags/${tag.id}`, headers: bearer(app.editorKey) })).statusCode, 200, 'with a key too')
  for (const missing of ['0', '-1', 'abc', '42', '99999999999999999999', encodeURIComponent('غير-موجود'), encodeURIComponent('\'; DROP TABLE tags; --')]) {
    assertProblem(t, await getTag(app, missing), 404, `GET /v1/tags/${missing}`)
  }
  t.equal((await allTags(app)).length, 1, 'the table survived')
})

test('PATCH /v1/tags/{id} renames; a clash is 409; articles show the new name', async (t) => {
  const app = await build(t)
  const a = await createTag(app, { name: 'سوريا' })
  const b = await createTag(app, { name: 'لبنان' })
  const article = await createArticle(app, { title: 'خبر', tags: ['سوريا', 'لبنان'] })
  t.same(article.tags, ['سوريا', 'لبنان'])
  const patch = async (id: number | string, payload: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'PATCH', url: `/v1/tags/${id}`, headers: bearer(app.editorKey), payload: payload as any })

  app.now.ms += 1000
  const renamed = await patch(a.id, { name: '  سورية ' })
  t.equal(renamed.statusCode, 200)
  t.same(json(renamed), { ...a, name: 'سورية', articleCount: 1, updatedAt: '2026-11-26T12:00:01.000Z' }, 'renamed; slug kept')
  const afterRename = await readArticle(app, article.id)
  t.same(afterRename.tags, ['سورية', 'لبنان'], 'the article lists the new name')
  t.equal(afterRename.version, article.version + 1, 'its tags changed: a new version')
  t.equal(afterRename.updatedAt, '2026-11-26T12:00:01.000Z')
  t.equal(json(await getTag(app, a.id)).name, 'سورية')

  const ownName = await patch(a.id, { name: 'سورية'.normalize('NFD') })
  t.equal(ownName.statusCode, 200, 'renaming to its own name is fine')
  const reslug = await patch(a.id, { slug: 'Syria' })
  t.equal(json(reslug).slug, 'syria')
  t.equal((await getTag(app, 'syria')).statusCode, 200)
  t.equal((await getTag(app, encodeURIComponent('سوريا'))).statusCode, 301, 'the old slug leads to the new one')
  const sameSlug = await patch(a.id, { slug: 'syria', name: 'سورية' })
  t.equal(json(sameSlug).slug, 'syria')
  t.equal((await readArticle(app, article.id)).version, afterRename.version, 'a slug change or the same name does not change the article')

  const before = await allTags(app)
  const clash = await patch(a.id, { name: 'لبنان' })
  t.equal(assertProblem(t, clash, 409, 'rename onto an existing name').type, 'urn:khabar:problem:tag-exists')
  t.equal(json(clash).existingId, b.id, 'existingId names the tag that has the name')
  const clashSpaced = await patch(a.id, { name: ' لبنان\t' })
  assertProblem(t, clashSpaced, 409, 'rename onto an existing name with whitespace')
  const slugClash = await patch(a.id, { slug: b.slug })
  t.equal(assertProblem(t, slugClash, 409, 'slug onto an existing slug').type, 'urn:khabar:problem:slug-taken')
  assertProblem(t, await patch(9999, { name: 'x' }), 404, 'PATCH a missing tag')
  t.same(await allTags(app), before, 'refused renames changed nothing')
  t.same((await readArticle(app, article.id)).tags, ['سورية', 'لبنان'])
})

test('DELETE /v1/tags/{id} removes it from every article', async (t) => {
  const app = await build(t)
  const article = await createArticle(app, { title: 'خبر', tags: ['حذف', 'بقاء'] })
  const other = await createArticle(app, { title: 'خبر آخر', status: 'draft', tags: ['حذف'] })
  const untouched = await createArticle(app, { title: 'خبر ثالث', tags: ['بقاء'] })
  const tag = json(await getTag(app, encodeURIComponent('حذف')))
  t.equal(tag.articleCount, 1)
  const byTag = await app.inject({ method: 'GET', url: `/v1/articles?tag=${tag.id}` })
  t.same(json(byTag).data.map((a: any) => a.id), [article.id], 'filed under the tag (by id) before')

  app.now.ms += 9000
  const del = await app.inject({ method: 'DELETE', url: `/v1/tags/${tag.id}`, headers: bearer(app.editorKey) })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  assertProblem(t, await getTag(app, tag.id), 404, 'the tag is gone')
  const after = await readArticle(app, article.id)
  t.same(after.tags, ['بقاء'], 'the article no longer lists it')
  t.equal(after.version, article.version + 1, 'its tags changed: a new version')
  t.equal(after.updatedAt, '2026-11-26T12:00:09.000Z')
  const otherAfter = await readArticle(app, other.id)
  t.same(otherAfter.tags, [], 'nor does the draft')
  t.equal(otherAfter.version, other.version + 1)
  t.equal((await readArticle(app, untouched.id)).version, untouched.version, 'articles without the tag are not touched')
  t.same((await allTags(app)).map(x => x.name), ['بقاء'])
  for (const key of [String(tag.id), encodeURIComponent('حذف')]) {
    const filtered = await app.inject({ method: 'GET', url: `/v1/articles?tag=${key}` })
    t.same(json(filtered).data, [], `no article is filed under it (${key})`)
  }
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/tags/${tag.id}`, headers: bearer(app.editorKey) }), 404, 'deleting twice')
})

test('articles create tags on the fly; articleCount counts visible published articles', async (t) => {
  const app = await build(t)
  const existing = await createTag(app, { name: 'دمشق' })
  const article = await createArticle(app, { title: 'خبر', tags: ['دمشق', 'جديد', '  جديد  ', 'عاجل   جدا'] })
  t.same(article.tags, ['دمشق', 'جديد', 'عاجل جدا'], 'names are cleaned and deduplicated')
  const tags = await allTags(app)
  t.same(tags.map(x => x.name).sort(), ['جديد', 'دمشق', 'عاجل جدا'].sort(), 'new tags appear, the existing one is reused')
  t.equal(tags.find(x => x.name === 'دمشق').id, existing.id)
  const fresh = tags.find(x => x.name === 'عاجل جدا')
  t.equal(fresh.slug, 'عاجل-جدا')
  t.equal((await getTag(app, encodeURIComponent('عاجل-جدا'))).statusCode, 200, 'reachable by its slug')

  const nfd = await createArticle(app, { title: 'خبر ٢', tags: ['دمشق'.normalize('NFD'), 'Café'.normalize('NFD')] })
  await createArticle(app, { title: 'خبر ٣', tags: ['Café'] })
  t.equal((await allTags(app)).filter(x => x.name === 'Café').length, 1, 'NFD and NFC spellings are one tag')
  t.same(nfd.tags, ['دمشق', 'Café'])
  const blank = await createArticle(app, { title: 'بلا وسوم', tags: ['   ', '\t'] })
  t.same(blank.tags, [], 'blank names make no tag')
  const none = await createArticle(app, { title: 'بلا وسوم ٢', tags: [] })
  t.same(none.tags, [])
  t.equal((await allTags(app)).length, 4, 'no tag was created for them')

  await createArticle(app, { title: 'مسودة', status: 'draft', tags: ['دمشق'] })
  await createArticle(app, { title: 'مجدول', publishedAt: '2026-11-26T18:00:00.000Z', tags: ['دمشق'] })
  await createArticle(app, { title: 'مؤرشف', status: 'archived', tags: ['دمشق'] })
  const trashed = await createArticle(app, { title: 'محذوف', tags: ['دمشق'] })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })

  const count = async (): Promise<number> => json(await getTag(app, existing.id)).articleCount
  t.equal(await count(), 2, 'only the two visible published articles count')
  t.equal((await allTags(app)).find(x => x.id === existing.id).articleCount, 2, 'the list agrees')
  t.equal((await allTags(app, 'sort=-articleCount')).find(x => x.id === existing.id).articleCount, 2, 'the count sort agrees')
  const withKey = await app.inject({ method: 'GET', url: `/v1/tags/${existing.id}`, headers: bearer(app.editorKey) })
  t.equal(json(withKey).articleCount, 2, 'the count is the public one for editors too')

  app.now.ms = Date.parse('2026-11-26T18:00:00.000Z')
  t.equal(await count(), 3, 'the scheduled article counts once its time comes')
  await app.inject({ method: 'PATCH', url: `/v1/articles/${article.id}`, headers: bearer(app.editorKey), payload: { tags: ['جديد'] } })
  t.equal(await count(), 2, 'an article that drops the tag stops counting')
})

test('hostile but valid tag names are stored as text; bidi overrides are refused', async (t) => {
  const app = await build(t)
  const names = ['\'; DROP TABLE tags; --', '"quoted"', '<b onmouseover=alert(1)>x</b>', 'Robert\'); --', '\u200Fعلامة']
  for (const name of names) {
    const tag = await createTag(app, { name })
    t.equal(tag.name, name, 'stored verbatim')
    t.equal(json(await getTag(app, encodeURIComponent(tag.slug))).id, tag.id)
  }
  t.equal((await allTags(app)).length, names.length, 'the table is intact')
  const before = await allTags(app)
  for (const name of ['عنوان\u202Eمعكوس', '\u202Dx', 'a\u2067b\u2069']) {
    const res = await app.inject({ method: 'POST', url: '/v1/tags', headers: bearer(app.editorKey), payload: { name } })
    t.equal(assertProblem(t, res, 400, `create ${JSON.stringify(name)}`).errors[0].path, '/body/name')
    const patch = await app.inject({ method: 'PATCH', url: `/v1/tags/${before[0].id}`, headers: bearer(app.editorKey), payload: { name } })
    assertProblem(t, patch, 400, `rename to ${JSON.stringify(name)}`)
  }
  t.same(await allTags(app), before, 'nothing was created or renamed')
})

test('tags named by an article obey the same rules as POST /v1/tags', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/articles', headers: bearer(app.editorKey), payload: { title: 'خبر', tags: ['سليم', 'مقلوب\u202Eنص'] } })
  t.ok(res.statusCode < 500)
  const body = assertProblem(t, res, 400, 'an article naming a tag with a bidi override')
  t.match(body.errors, [{ path: '/body/tags/1' }])
  t.same(await allTags(app), [], 'no tag was created')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/articles', headers: bearer(app.editorKey) })).data, [], 'and no article')
})

test('keys: writes need a valid key, reads do not', async (t) => {
  const app = await build(t)
  const tag = await createTag(app, { name: 'محمي' })
  const calls: Call[] = [
    { method: 'POST', url: '/v1/tags', payload: { name: 'جديد' } },
    { method: 'PATCH', url: `/v1/tags/${tag.id}`, payload: { name: 'جديد' } },
    { method: 'DELETE', url: `/v1/tags/${tag.id}` }
  ]
  for (const call of calls) await assertNeedsKey(t, app, call)
  t.same(await allTags(app), [tag], 'nothing changed')
  t.equal((await app.inject({ method: 'GET', url: '/v1/tags' })).statusCode, 200)
  t.equal((await getTag(app, tag.id)).statusCode, 200)
})

test('bad input to the tag endpoints is a problem and changes nothing', async (t) => {
  const app = await build(t)
  const tag = await createTag(app, { name: 'ثابت' })
  await createTag(app, { name: 'آخر' })
  const snapshot = await allTags(app)
  const send = async (method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json'): Promise<LightMyRequestResponse> =>
    await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': contentType }, payload })

  const creates: Array<[string, unknown, string?]> = [
    ['missing name', {}, '/body/name'],
    ['name a number', { name: 1 }, '/body/name'],
    ['name null', { name: null }, '/body/name'],
    ['name an object', { name: { ar: 'x' } }, '/body/name'],
    ['empty name', { name: '' }, '/body/name'],
    ['blank name', { name: ' \n\t ' }, '/body/name'],
    ['name too long', { name: 'ن'.repeat(101) }, '/body/name'],
    ['unknown field', { name: 'x', articleCount: 3 }, '/body/articleCount'],
    ['slug a number', { name: 'x', slug: 3 }, '/body/slug'],
    ['slug without letters', { name: 'x', slug: '!!' }, '/body/slug'],
    ['array body', [{ name: 'x' }]],
    ['null body', null],
    ['string body', 'x']
  ]
  for (const [what, payload, path] of creates) {
    const body = assertProblem(t, await send('POST', '/v1/tags', JSON.stringify(payload)), 400, `POST ${what}`)
    if (path !== undefined) t.ok(body.errors.some((e: any) => e.path === path), `${what}: an error at ${path}`)
  }
  const patches: Array<[string, unknown, string?]> = [
    ['empty body {}', {}],
    ['unknown field', { title: 'x' }, '/body/title'],
    ['name a number', { name: 2 }, '/body/name'],
    ['blank name', { name: '   ' }, '/body/name'],
    ['slug null', { slug: null }, '/body/slug'],
    ['slug of dashes', { slug: '---' }, '/body/slug']
  ]
  for (const [what, payload, path] of patches) {
    const body = assertProblem(t, await send('PATCH', `/v1/tags/${tag.id}`, JSON.stringify(payload)), 400, `PATCH ${what}`)
    if (path !== undefined) t.ok(body.errors.some((e: any) => e.path === path), `${what}: an error at ${path}`)
  }
  for (const [method, url] of [['POST', '/v1/tags'], ['PATCH', `/v1/tags/${tag.id}`]] as const) {
    assertProblem(t, await send(method, url, '{"name": "x",}'), 400, `${method} malformed JSON`)
    assertProblem(t, await send(method, url, ''), 400, `${method} empty JSON body`)
    assertProblem(t, await send(method, url, '<name>x</name>', 'application/xml'), 415, `${method} XML`)
    const text = await send(method, url, '{"name":"x"}', 'text/plain')
    t.ok(text.statusCode >= 400 && text.statusCode < 500, `${method} text/plain is refused`)
    t.equal(text.statusCode, 415, `${method} text/plain is a 415`)
    assertProblem(t, await send(method, url, JSON.stringify({ name: 'x'.repeat(1024 * 1024) })), 413, `${method} over 1 MiB`)
    assertProblem(t, await send(method, `${url}?dryRun=true`, JSON.stringify({ name: 'x' })), 400, `${method} unknown query`)
  }

  for (const id of ['0', '-1', 'abc', '2.5', '99999999999999999999', '9007199254740992', '%20']) {
    const p = await send('PATCH', `/v1/tags/${id}`, JSON.stringify({ name: 'x' }))
    assertProblem(t, p, 400, `PATCH /v1/tags/${id}`)
    const d = await app.inject({ method: 'DELETE', url: `/v1/tags/${id}`, headers: bearer(app.editorKey) })
    assertProblem(t, d, 400, `DELETE /v1/tags/${id}`)
  }
  // Ids are digits only; the query-string coercion also reads 1e3 or 0x3E8 as 1000.
  for (const id of ['1e3', '0x3E8', '1000.0']) {
    const d = await app.inject({ method: 'DELETE', url: `/v1/tags/${id}`, headers: bearer(app.editorKey) })
    t.ok(d.statusCode >= 400 && d.statusCode < 500, `DELETE /v1/tags/${id} is refused`)
    t.equal(d.statusCode, 400, `DELETE /v1/tags/${id} is a 400`)
  }
  assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/tags/424242', headers: bearer(app.editorKey) }), 404, 'DELETE a missing tag')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/tags/${tag.id}?cascade=1`, headers: bearer(app.editorKey) }), 400, 'DELETE unknown query')

  const lists = ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'limit=1.5', 'sort=articleCount', 'sort=-name', 'sort=', 'cursor=', 'cursor=garbage', 'cursor=%27%3B%20DROP%20TABLE%20tags%3B%20--',
    `cursor=${Buffer.from('["name","x"]').toString('base64url')}`,
    `cursor=${Buffer.from('["name",5,1]').toString('base64url')}`,
    `cursor=${Buffer.from('["name","x",0]').toString('base64url')}`,
    `cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
    `cursor=${'a'.repeat(513)}`,
    'page=2', 'offset=5', 'q=x']
  for (const query of lists) {
    assertProblem(t, await app.inject({ method: 'GET', url: `/v1/tags?${query}` }), 400, `GET /v1/tags?${query.slice(0, 40)}`)
  }
  // A cursor made for one sort is not taken by the other.
  const byName = json(await app.inject({ method: 'GET', url: '/v1/tags?limit=1' })).meta.nextCursor
  const byCount = json(await app.inject({ method: 'GET', url: '/v1/tags?limit=1&sort=-articleCount' })).meta.nextCursor
  t.type(byName, 'string')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/tags?sort=-articleCount&cursor=${byName}` }), 400, 'a name cursor for the count sort')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/tags?cursor=${byCount}` }), 400, 'a count cursor for the name sort')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/tags/${tag.id}?include=articles` }), 400, 'GET one with an unknown query')

  t.same(await allTags(app), snapshot, 'nothing changed')
})
