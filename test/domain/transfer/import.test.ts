import { test } from 'tap'
import { build, bearer, dbValue, json, type TestApp } from '../../helper.ts'
import { assertProblem, createArticle, importNdjson, readArticle, snapshot } from '../../factories.ts'

const ndjson = (...lines: unknown[]): string => lines.map(l => typeof l === 'string' ? l : JSON.stringify(l)).join('\n') + '\n'

const article = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  externalId: `wp-${n}`,
  title: `خبر مستورد رقم ${n} عن الاقتصاد`,
  body: `<p>نص الخبر المستورد رقم ${n}.</p>`,
  status: 'published',
  publishedAt: '2026-11-20T08:00:00.000Z',
  category: 'economy',
  tags: ['اقتصاد', `وسم ${n}`],
  ...extra
})

async function articleByExternalId (app: TestApp, externalId: string): Promise<any> {
  const id = await dbValue<number | undefined>(app, 'SELECT id FROM articles WHERE external_id = ?', externalId)
  return id === undefined ? undefined : await readArticle(app, id)
}

const count = async (app: TestApp, table: string): Promise<number> => await dbValue(app, `SELECT count(*) FROM ${table}`)

test('good lines create articles with their category, tags and media, and search finds them', async (t) => {
  const app = await build(t)
  const result = await importNdjson(app, ndjson(
    article(1, { media: [{ url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', role: 'featured', title: 'تقرير مصور' }, { url: 'https://example.com/a.jpg' }] }),
    article(2, { media: [{ url: 'https://example.com/a.jpg', role: 'gallery', position: 3 }], source: { name: 'وكالات', url: 'https://example.com/wire' }, breaking: true, author: 'ليلى حداد' }),
    article(3, { category: null, status: 'draft', externalId: null, slug: 'khabar-3' })
  ))
  t.same(result, { created: 3, updated: 0, unchanged: 0, failed: 0, errors: [], moreErrors: 0, dryRun: false })

  const one = await articleByExternalId(app, 'wp-1')
  t.equal(one.version, 1, 'a new article with media is at version 1')
  t.equal(one.hasVideo, true)
  t.same(one.tags, ['اقتصاد', 'وسم 1'])
  t.equal(one.publishedAt, '2026-11-20T08:00:00.000Z')
  const category = json(await app.inject('/v1/categories/economy'))
  t.equal(one.categoryId, category.id, 'the category was created from its slug')
  t.equal(category.name, 'economy')
  const media = json(await app.inject(`/v1/articles/${one.id}/media`)).data
  t.same(media.map((m: any) => [m.provider, m.role, m.position, m.title]), [['youtube', 'featured', 0, 'تقرير مصور'], ['other', 'inline', 1, null]])

  const two = await articleByExternalId(app, 'wp-2')
  t.equal(two.categoryId, category.id, 'the second line reuses the category')
  t.same(two.source, { name: 'وكالات', url: 'https://example.com/wire' })
  t.equal(two.breaking, true)
  const media2 = json(await app.inject(`/v1/articles/${two.id}/media`)).data
  t.equal(media2[0].id, media[1].id, 'a known media URL is reused')
  t.equal(await count(app, 'media'), 2, 'not duplicated')

  const three = json(await app.inject({ url: '/v1/articles/khabar-3', headers: bearer(app.editorKey) }))
  t.equal(three.status, 'draft')
  t.equal(three.categoryId, null)

  const found = json(await app.inject('/v1/search?q=' + encodeURIComponent('المستورد')))
  t.same(found.data.map((a: any) => a.id).sort(), [one.id, two.id].sort(), 'the published ones are searchable at once')
})

test('every kind of bad line is reported by its line number and skipped; its neighbours are imported', async (t) => {
  const app = await build(t)
  const lines = [
    JSON.stringify(article(1)),
    'not json',
    JSON.stringify({ title: 42 }),
    JSON.stringify({ title: 'حقل مجهول', colour: 'red' }),
    JSON.stringify({ body: '<p>بلا عنوان</p>' }),
    JSON.stringify({ title: 'رابط سيئ', media: [{ url: 'javascript:alert(1)' }] }),
    JSON.stringify({ title: 'x'.repeat(10), body: 'y'.repeat(5 * 1024 * 1024) }),
    '',
    '   ',
    JSON.stringify([1, 2]),
    JSON.stringify({ title: '   ' }),
    JSON.stringify(article(2))
  ]
  // A BOM opens the body and CRLF ends its lines.
  const result = await importNdjson(app, '\uFEFF' + lines.join('\r\n') + '\r\n')
  t.equal(result.created, 2)
  t.equal(result.failed, 8)
  const byLine = Object.fromEntries(result.errors.map((e: any) => [e.line, e.errors]))
  t.same(Object.keys(byLine).map(Number), [2, 3, 4, 5, 6, 7, 10, 11], 'empty lines are skipped but counted')
  t.match(byLine[2], [{ path: '', message: /^is not JSON/ }])
  t.same(byLine[3], [{ path: '/title', message: 'must be string' }])
  t.same(byLine[4], [{ path: '/colour', message: 'must NOT have additional properties' }])
  t.same(byLine[5], [{ path: '/title', message: "must have required property 'title'" }])
  t.same(byLine[6], [{ path: '/media/0/url', message: 'must be an absolute http or https URL' }])
  t.same(byLine[7], [{ path: '', message: 'is longer than 2097152 bytes' }])
  t.same(byLine[10], [{ path: '', message: 'must be object' }])
  t.same(byLine[11], [{ path: '/title', message: 'must not be blank' }])
  t.ok(await articleByExternalId(app, 'wp-1'))
  t.ok(await articleByExternalId(app, 'wp-2'))
  t.equal(await count(app, 'articles'), 2, 'no bad line left anything behind')
})

test('lines the services refuse fail alone, each with a path into the line', async (t) => {
  const app = await build(t)
  await createArticle(app, { slug: 'taken', externalId: 'other-system-1' })
  const result = await importNdjson(app, ndjson(
    { title: 'تصنيفان', category: 'a', categoryId: 1 },
    { title: 'تصنيف رقمي', category: '123' },
    { title: 'رابطان', media: [{ url: 'https://example.com/1.jpg' }, { url: 'https://example.com/1.jpg' }] },
    { title: 'صورتان رئيسيتان', media: [{ url: 'https://example.com/2.jpg', role: 'featured' }, { url: 'https://example.com/3.jpg', role: 'featured' }] },
    { title: 'مصغرة سيئة', media: [{ url: 'https://example.com/4.jpg', thumbnailUrl: 'ftp://example.com/t.jpg' }] },
    { title: 'معرف مأخوذ', slug: 'taken', externalId: 'mine-1' },
    { title: 'قسم غير موجود', categoryId: 999 },
    { title: 'رقم فقط', slug: '2024' },
    { title: 'بلا قسم', category: null },
    { title: 'تاريخ كبيس', status: 'published', publishedAt: '2026-06-30T23:59:60Z' }
  ))
  const byLine = Object.fromEntries(result.errors.map((e: any) => [e.line, e.errors]))
  t.same(byLine[1], [{ path: '/category', message: 'give category or categoryId, not both' }])
  t.same(byLine[2], [{ path: '/category', message: 'must be a slug with at least one letter' }])
  t.same(byLine[3], [{ path: '/media/1/url', message: 'is listed twice' }])
  t.same(byLine[4], [{ path: '/media/1/role', message: 'at most one item may be featured' }])
  t.same(byLine[5], [{ path: '/media/0/thumbnailUrl', message: 'must be an absolute http or https URL' }])
  t.match(byLine[6], [{ path: '', message: /belongs to article \d+, imported as "other-system-1"/ }])
  t.same(byLine[7], [{ path: '/categoryId', message: 'category 999 does not exist' }])
  t.match(byLine[8], [{ path: '/slug', message: /digits only/ }])
  t.match(byLine[10], [{ path: '/publishedAt' }])
  t.equal(result.failed, 9)
  t.equal(result.created, 1)
  t.equal(await count(app, 'media'), 0, 'the media of failed lines were rolled back with them')
})

test('an article is found by externalId, else by slug, and rerunning the same file changes nothing', async (t) => {
  const app = await build(t)
  const manual = await createArticle(app, { slug: 'manual-one', title: 'مقال يدوي' })
  const file = ndjson(
    article(1, { media: [{ url: 'https://vimeo.com/76979871' }] }),
    article(2, { media: [{ url: 'https://example.com/b.jpg', position: 0 }, { url: 'https://example.com/a.jpg', position: 0 }] }),
    { title: 'مقال يدوي بعد الاستيراد', slug: 'manual-one', externalId: 'wp-manual', status: 'published' }
  )
  const first = await importNdjson(app, file)
  t.same([first.created, first.updated, first.unchanged, first.failed], [2, 1, 0, 0])
  const adopted = await readArticle(app, manual.id)
  t.equal(adopted.externalId, 'wp-manual', 'matched by slug, the article takes the externalId')
  t.equal(adopted.version, manual.version + 1)

  const before = await snapshot(app)
  const second = await importNdjson(app, file)
  t.same([second.created, second.updated, second.unchanged, second.failed], [0, 0, 3, 0])
  t.same(await snapshot(app), before, 'no write, no version bump')
  // The same lines written differently (spaces, key order) miss the line-hash shortcut and
  // are compared in full: unchanged all the same.
  const respaced = file.split('\n').filter(Boolean).map(l => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l)).reverse()), null, 1).replace(/\n/g, ' ')).join('\n')
  const third = await importNdjson(app, respaced)
  t.same([third.created, third.updated, third.unchanged, third.failed], [0, 0, 3, 0])
  t.same(await snapshot(app), before, 'still no write')
})

test('a changed line updates its article by one version, keeping a revision', async (t) => {
  const app = await build(t)
  await importNdjson(app, ndjson(article(1, { media: [{ url: 'https://example.com/1.jpg' }] }), article(2), article(3)))
  const [one, two, three] = await Promise.all(['wp-1', 'wp-2', 'wp-3'].map(async id => await articleByExternalId(app, id)))
  const result = await importNdjson(app, ndjson(
    article(1, { title: 'عنوان جديد للخبر الأول', media: [{ url: 'https://example.com/1.jpg' }, { url: 'https://youtu.be/dQw4w9WgXcQ' }] }),
    article(2, { media: [{ url: 'https://example.com/2.jpg', role: 'featured' }] }),
    article(3, { tags: ['وسم آخر'] })
  ))
  t.same([result.created, result.updated, result.unchanged], [0, 3, 0])
  const after1 = await readArticle(app, one.id)
  t.equal(after1.version, one.version + 1, 'fields and media changed: one new version')
  t.equal(after1.title, 'عنوان جديد للخبر الأول')
  t.equal(after1.hasVideo, true)
  const after2 = await readArticle(app, two.id)
  t.equal(after2.version, two.version + 1, 'only the media changed: one new version')
  t.same(json(await app.inject(`/v1/articles/${two.id}/media`)).data.map((m: any) => m.role), ['featured'])
  const after3 = await readArticle(app, three.id)
  t.equal(after3.version, three.version + 1)
  t.same(after3.tags, ['وسم آخر'])
  const revisions = json(await app.inject({ url: `/v1/articles/${one.id}/revisions`, headers: bearer(app.editorKey) }))
  t.ok(revisions.data.length >= 1, 'the update kept a revision')

  // A line is the whole article: what it leaves out goes back to the defaults.
  const bare = await importNdjson(app, ndjson({ externalId: 'wp-3', title: after3.title }))
  t.equal(bare.updated, 1)
  const reset = await readArticle(app, three.id)
  t.same([reset.status, reset.publishedAt, reset.categoryId, reset.tags, reset.body], ['draft', null, null, [], ''])
  t.equal(reset.slug, after3.slug, 'the slug is kept')
})

test('dryRun checks every line and writes nothing', async (t) => {
  const app = await build(t)
  await importNdjson(app, ndjson(article(1)))
  const before = await snapshot(app)
  const mediaBefore = await count(app, 'media')
  const result = await importNdjson(app, ndjson(article(1), article(1, { title: 'تغيير' }), article(2, { media: [{ url: 'https://example.com/new.jpg' }] }), '{"title":'), '?dryRun=true')
  t.same(result, {
    created: 1,
    updated: 1,
    unchanged: 1,
    failed: 1,
    errors: [{ line: 4, errors: [{ path: '', message: result.errors[0].errors[0].message }] }],
    moreErrors: 0,
    dryRun: true
  })
  t.same(await snapshot(app), before)
  t.equal(await count(app, 'media'), mediaBefore)
  t.equal(await count(app, 'categories'), 1)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import?dryRun=perhaps', headers: { ...bearer(app.editorKey), 'content-type': 'application/x-ndjson' }, payload: '' }), 400)
})

test('errors are listed for the first 100 failed lines; the rest are counted', async (t) => {
  const app = await build(t)
  const result = await importNdjson(app, Array.from({ length: 105 }, () => '{"title": null}').join('\n'))
  t.equal(result.failed, 105)
  t.equal(result.errors.length, 100)
  t.equal(result.moreErrors, 5)
  t.same(result.errors.map((e: any) => e.line), Array.from({ length: 100 }, (_, i) => i + 1))
})

test('import needs an editor key and an NDJSON body', async (t) => {
  const app = await build(t)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: ndjson(article(1)) }), 401)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import', headers: { ...bearer(app.editorKey), 'content-type': 'application/json' }, payload: article(1) }), 415)
  const empty = json(await app.inject({ method: 'POST', url: '/v1/import', headers: bearer(app.editorKey) }))
  t.same([empty.created, empty.failed], [0, 0], 'no body is an empty import')
  const charset = await app.inject({ method: 'POST', url: '/v1/import', headers: { ...bearer(app.editorKey), 'content-type': 'application/x-ndjson; charset=utf-8' }, payload: ndjson(article(1)) })
  t.equal(json(charset).created, 1)
  t.equal(await count(app, 'articles'), 1)
})

test('a line that is not UTF-8 is a failed line', async (t) => {
  const app = await build(t)
  const body = Buffer.concat([Buffer.from(JSON.stringify(article(1)) + '\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(JSON.stringify(article(2)))])
  const result = await importNdjson(app, body)
  t.equal(result.created, 2, 'the last line needs no newline')
  t.same(result.errors, [{ line: 2, errors: [{ path: '', message: 'is not valid UTF-8' }] }])
})

test('a failure that is not the line\'s stops the import: the batch is rolled back, earlier batches stay', async (t) => {
  const app = await build(t)
  const importer = app.services.imports
  const createRow = app.services.articles.createRow.bind(app.services.articles)
  let calls = 0
  app.services.articles.createRow = async (input, options) => {
    if (++calls === 3) throw new Error('disk I/O error')
    return await createRow(input, options)
  }
  t.teardown(() => { app.services.articles.createRow = createRow })
  const seen: number[] = []
  await t.rejects(importer.run([ndjson(article(1), article(2), article(3), article(4))], { batchLines: 2, onBatch: lines => { seen.push(lines) } }), /disk I\/O error/)
  t.same(seen, [2], 'one batch went in')
  t.equal(await count(app, 'articles'), 2)

  // Over HTTP it is a 500 that shows nothing of the cause.
  calls = 0
  const res = await app.inject({ method: 'POST', url: '/v1/import', headers: { ...bearer(app.editorKey), 'content-type': 'application/x-ndjson' }, payload: ndjson(article(5), article(6), article(7)) })
  const problem = assertProblem(t, res, 500)
  t.notMatch(problem.detail, /disk/)
  t.equal(await count(app, 'articles'), 2)
})

test('a line imported before, into an article nobody changed since, is unchanged without a second look', async (t) => {
  const app = await build(t)
  const file = ndjson(article(1), article(2), { title: 'خبر بلا معرف ولا اسم رابط', status: 'published' })
  t.same(await importNdjson(app, file, '?dryRun=true'), { created: 3, updated: 0, unchanged: 0, failed: 0, errors: [], moreErrors: 0, dryRun: true }, 'a dry run remembers nothing')
  t.equal(await count(app, 'import_state'), 0)
  t.match(await importNdjson(app, file), { created: 3, failed: 0 })
  t.equal(await count(app, 'import_state'), 3, 'each line is remembered with its article')
  t.match(await importNdjson(app, file), { created: 0, updated: 0, unchanged: 3 }, 'the line without externalId or slug is not created twice')
  t.equal(await count(app, 'articles'), 3)

  // Changed since: an editor's PATCH bumps the version, and the line is compared in full.
  const one = await articleByExternalId(app, 'wp-1')
  await app.inject({ method: 'PATCH', url: `/v1/articles/${one.id}`, headers: bearer(app.editorKey), payload: { title: 'عنوان عدله محرر' } })
  t.match(await importNdjson(app, file), { updated: 1, unchanged: 2 }, 'the import puts its title back')
  t.equal((await articleByExternalId(app, 'wp-1')).title, article(1).title)
  t.match(await importNdjson(app, file), { updated: 0, unchanged: 3 })

  // The category the lines name changed its slug: every line is compared in full again.
  // The old slug still names the category, so nothing moves.
  const category = json(await app.inject('/v1/categories/economy'))
  const renamed = await app.inject({ method: 'PATCH', url: `/v1/categories/${category.id}`, headers: bearer(app.editorKey), payload: { slug: 'business' } })
  t.equal(renamed.statusCode, 200)
  t.match(await importNdjson(app, file), { updated: 0, unchanged: 3, failed: 0 })
  t.equal(json(await app.inject('/v1/categories/business')).articleCount, 2)
  // A tag deleted behind the lines' back: the articles get it again, as a new tag.
  const tag = json(await app.inject('/v1/tags/' + encodeURIComponent('وسم-1')))
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/tags/${tag.id}`, headers: bearer(app.editorKey) })).statusCode, 204)
  t.match(await importNdjson(app, file), { updated: 1, unchanged: 2 })
  t.same((await articleByExternalId(app, 'wp-1')).tags, ['اقتصاد', 'وسم 1'])
  t.match(await importNdjson(app, file), { updated: 0, unchanged: 3 })

  // Deleting an article forgets its line: the next import creates it again.
  const two = await articleByExternalId(app, 'wp-2')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${two.id}?permanent=true`, headers: bearer(app.adminKey) })).statusCode, 204)
  t.match(await importNdjson(app, file), { created: 1, unchanged: 2 })
})

test('a category slug nobody has, named as a top-level category is, files the line under that category', async (t) => {
  const app = await build(t)
  const existing = json(await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'world news', slug: 'world' } }))
  const parent = json(await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'أخبار' } }))
  const child = json(await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'sport', slug: 'local-sport', parentId: parent.id } }))
  const result = await importNdjson(app, ndjson(article(1, { category: 'world-news' }), article(2, { category: 'sport' })))
  t.match(result, { created: 2, failed: 0 })
  t.equal((await articleByExternalId(app, 'wp-1')).categoryId, existing.id, 'the top-level category of that name, not a second one')
  const created = (await articleByExternalId(app, 'wp-2')).categoryId
  t.not(created, child.id, 'a subcategory of that name is not the one meant: a new top-level one is made')
  t.match(json(await app.inject(`/v1/categories/${created as number}`)), { name: 'sport', slug: 'sport', parentId: null })
  t.equal(await count(app, 'categories'), 4)
})
