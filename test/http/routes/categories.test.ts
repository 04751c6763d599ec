import { test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { build, bearer, json, type TestApp } from '../../helper.ts'
import { assertNeedsKey, assertProblem, createArticle, createCategory, listAll, readArticle, type Call } from '../../factories.ts'

// The categories as GET /v1/categories lists them (all on one page).
const listCategories = async (app: TestApp, query = ''): Promise<any[]> => await listAll(app, `/v1/categories${query}`)

test('POST /v1/categories creates a category with an Arabic slug and a Location', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'سياسة' } })
  t.equal(res.statusCode, 201)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = json(res)
  t.equal(res.headers.location, `/v1/categories/${body.id}`)
  t.match(body, {
    id: Number,
    slug: 'سياسة',
    name: 'سياسة',
    description: null,
    parentId: null,
    position: 0,
    articleCount: 0,
    createdAt: '2026-11-26T12:00:00.000Z',
    updatedAt: '2026-11-26T12:00:00.000Z'
  })
  t.notOk('children' in body, 'no children outside ?tree=true')

  const back = await app.inject({ method: 'GET', url: res.headers.location as string })
  t.equal(back.statusCode, 200)
  t.same(json(back), body, 'the Location reads back the same category')

  const titled = await createCategory(app, { name: 'أخبار العالم (عاجل)', description: 'وصف', position: 3 })
  t.equal(titled.slug, 'أخبار-العالم-عاجل', 'Arabic letters kept, punctuation turned into dashes')
  t.equal(titled.description, 'وصف')
  t.equal(titled.position, 3)

  const admin = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.adminKey), payload: { name: 'رياضة' } })
  t.equal(admin.statusCode, 201, 'an admin key may create too')
})

test('slugs: explicit, cleaned, generated collisions get -2, explicit collisions are 409', async (t) => {
  const app = await build(t)
  const sport = await createCategory(app, { name: 'رياضة', slug: 'sports' })
  t.equal(sport.slug, 'sports', 'an explicit slug is kept')
  const cleaned = await createCategory(app, { name: 'Tech', slug: 'Science & Tech!' })
  t.equal(cleaned.slug, 'science-tech', 'an explicit slug is cleaned like a title')
  const encoded = await createCategory(app, { name: 'ثقافة', slug: encodeURIComponent('ثقافة-وفن') })
  t.equal(encoded.slug, 'ثقافة-وفن', 'a percent-encoded slug is stored decoded')

  // One name under different parents: slugs are unique over all categories.
  const first = await createCategory(app, { name: 'اقتصاد' })
  const second = await createCategory(app, { name: 'اقتصاد', parentId: sport.id })
  const third = await createCategory(app, { name: 'اقتصاد', parentId: cleaned.id })
  t.equal(first.slug, 'اقتصاد')
  t.equal(second.slug, 'اقتصاد-2')
  t.equal(third.slug, 'اقتصاد-3')

  const fallback = await createCategory(app, { name: '!!!' })
  t.equal(fallback.slug, 'category', 'a name without letters falls back to "category"')

  // A path segment of digits is an id, so a slug never is digits only.
  const year = await createCategory(app, { name: '٢٠٢٦' })
  t.notMatch(year.slug, /^[0-9]+$/, `a digits-only name gets a slug that is not (${year.slug})`)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/categories/${encodeURIComponent(year.slug)}` })).id, year.id, 'and is found by it')

  const before = await listCategories(app)
  const taken = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'أخرى', slug: 'sports' } })
  t.equal(assertProblem(t, taken, 409, 'explicit taken slug').type, 'urn:khabar:problem:slug-taken')
  const takenArabic = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'أخرى', slug: 'اقتصاد' } })
  assertProblem(t, takenArabic, 409, 'explicit taken Arabic slug')
  const noLetters = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'أخرى', slug: '---' } })
  t.equal(assertProblem(t, noLetters, 400, 'slug without letters').errors[0].path, '/body/slug')
  const digits = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'أخرى', slug: '٢٠٢٦' } })
  t.equal(assertProblem(t, digits, 400, 'a digits-only slug').errors[0].path, '/body/slug')
  t.same(await listCategories(app), before, 'refused creations changed nothing')
})

test('a name is unique among siblings: POST, rename and move onto a taken name are 409 with existingId', async (t) => {
  const app = await build(t)
  const post = async (payload: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: payload as any })
  const patch = async (id: number, payload: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'PATCH', url: `/v1/categories/${id}`, headers: bearer(app.editorKey), payload: payload as any })

  const news = await createCategory(app, { name: 'أخبار' })
  const sport = await createCategory(app, { name: 'رياضة' })
  const local = await createCategory(app, { name: 'محليات', parentId: news.id })
  const spaced = await createCategory(app, { name: '  آمنة   café \n' })
  t.equal(spaced.name, 'آمنة café', 'names are cleaned as tag names are: trimmed, spaces collapsed')

  const before = await listCategories(app)
  const duplicates: Array<[unknown, number, string]> = [
    [{ name: 'أخبار' }, news.id, 'at the top level'],
    [{ name: ' أخبار\t', parentId: null }, news.id, 'spaced, parentId null is the top level'],
    [{ name: 'آمنة café'.normalize('NFD') }, spaced.id, 'another Unicode spelling'],
    [{ name: 'محليات', parentId: news.id }, local.id, 'under one parent'],
    [{ name: 'محليات', parentId: news.id, slug: 'local-again' }, local.id, 'whatever the slug']
  ]
  for (const [payload, existingId, what] of duplicates) {
    const body = assertProblem(t, await post(payload), 409, what)
    t.equal(body.type, 'urn:khabar:problem:category-exists', what)
    t.equal(body.existingId, existingId, `${what}: existingId`)
    t.match(body.detail, `category ${existingId}`, `${what}: the detail names it`)
  }
  t.match(json(await post({ name: 'أخبار' })).detail, 'at the top level')
  t.match(json(await post({ name: 'محليات', parentId: news.id })).detail, `under category ${news.id}`)
  t.same(await listCategories(app), before, 'refused creations created nothing')

  // The same name elsewhere is another category.
  const sportLocal = await createCategory(app, { name: 'محليات', parentId: sport.id })
  t.equal(sportLocal.slug, 'محليات-2', 'a slug taken elsewhere gets -2')
  const topLocal = await createCategory(app, { name: 'محليات' })
  t.equal(topLocal.parentId, null)
  t.ok((await createCategory(app, { name: 'اخبار' })).id > 0, 'names are not folded further: اخبار is not أخبار')

  const renamed = assertProblem(t, await patch(sport.id, { name: ' أخبار ' }), 409, 'rename onto a sibling\'s name')
  t.same([renamed.type, renamed.existingId], ['urn:khabar:problem:category-exists', news.id])
  const moved = assertProblem(t, await patch(topLocal.id, { parentId: news.id }), 409, 'move under a parent that has the name')
  t.equal(moved.existingId, local.id)
  const both = assertProblem(t, await patch(sport.id, { name: 'محليات', parentId: news.id }), 409, 'rename and move at once')
  t.equal(both.existingId, local.id)
  const toTop = assertProblem(t, await patch(local.id, { parentId: null }), 409, 'move to the top level, which has the name')
  t.equal(toTop.existingId, topLocal.id)
  const unchanged = await listCategories(app)

  t.equal((await patch(local.id, { name: 'محليات' })).statusCode, 200, 'its own name again')
  t.equal((await patch(local.id, { name: ' محليات ', description: 'أخبار المدن' })).statusCode, 200, 'its own name, spaced')
  t.equal(json(await patch(local.id, { name: 'محليات', parentId: news.id })).parentId, news.id, 'its own parent again')
  t.equal(json(await patch(topLocal.id, { parentId: sport.id, name: 'محليات الرياضة' })).parentId, sport.id, 'moved with a new name')
  t.equal(json(await patch(sport.id, { name: 'محليات' })).name, 'محليات', 'the name the top level gave up is free')
  t.equal((await listCategories(app)).length, unchanged.length)
})

test('GET /v1/categories lists by position then id; ?tree=true nests children', async (t) => {
  const app = await build(t)
  t.same(await listCategories(app), [], 'empty at first')
  const c = await createCategory(app, { name: 'ج', position: 5 })
  const d = await createCategory(app, { name: 'د', position: 1 })
  const e = await createCategory(app, { name: 'ه', position: 1 })
  const f = await createCategory(app, { name: 'و', position: -3 })
  const list = await app.inject({ method: 'GET', url: '/v1/categories' })
  t.equal(list.statusCode, 200)
  t.same(json(list).meta, { nextCursor: null })
  t.same(json(list).data.map((x: any) => x.id), [f.id, d.id, e.id, c.id])

  const a = await createCategory(app, { name: 'أ', position: 0 })
  const b = await createCategory(app, { name: 'ب', parentId: a.id, position: 2 })
  const b2 = await createCategory(app, { name: 'ب٢', parentId: a.id, position: 1 })
  const g = await createCategory(app, { name: 'ز', parentId: b.id })
  t.equal(b.parentId, a.id)

  const flat = await listCategories(app)
  t.equal(flat.length, 8, 'the flat list holds every category')
  t.ok(flat.every(x => !('children' in x)), 'without tree, no children')

  const explicitFlat = await listCategories(app, '?tree=false')
  t.same(explicitFlat, flat)

  const tree = await listCategories(app, '?tree=true')
  t.same(tree.map(x => x.id), [f.id, a.id, d.id, e.id, c.id], 'only top-level categories at the root, by position')
  const top = tree.find(x => x.id === a.id)
  t.same(top.children.map((x: any) => x.id), [b2.id, b.id], 'children ordered by position')
  const mid = top.children.find((x: any) => x.id === b.id)
  t.same(mid.children.map((x: any) => x.id), [g.id], 'grandchildren nest under their parent')
  t.same(mid.children[0].children, [])
  t.same(tree.find(x => x.id === c.id).children, [])
})

test('GET /v1/categories/{idOrSlug} by id, raw slug and percent-encoded slug', async (t) => {
  const app = await build(t)
  const cat = await createCategory(app, { name: 'الشرق الأوسط' })
  t.equal(cat.slug, 'الشرق-الأوسط')
  const latin = await createCategory(app, { name: 'World News' })

  const byId = await app.inject({ method: 'GET', url: `/v1/categories/${cat.id}` })
  t.equal(byId.statusCode, 200)
  t.same(json(byId), cat)

  const encoded = await app.inject({ method: 'GET', url: `/v1/categories/${encodeURIComponent(cat.slug)}` })
  t.equal(encoded.statusCode, 200)
  t.equal(json(encoded).id, cat.id, 'percent-encoded slug')

  const raw = await app.inject({ method: 'GET', url: `/v1/categories/${cat.slug}` })
  t.equal(raw.statusCode, 200)
  t.equal(json(raw).id, cat.id, 'raw Arabic slug')

  const nfd = await app.inject({ method: 'GET', url: `/v1/categories/${encodeURIComponent('world-news')}` })
  t.equal(json(nfd).id, latin.id)

  const withKey = await app.inject({ method: 'GET', url: `/v1/categories/${cat.id}`, headers: bearer(app.editorKey) })
  t.equal(withKey.statusCode, 200, 'reads work with a key too')

  // Digits only is an id (0 and 20-digit numbers find nothing); anything else is a slug.
  for (const missing of ['999', 'no-such-slug', encodeURIComponent('غير-موجود'), '0', '-1', 'abc', '99999999999999999999', '%25', '%27%3B%20DROP%20TABLE%20categories%3B%20--']) {
    const res = await app.inject({ method: 'GET', url: `/v1/categories/${missing}` })
    t.equal(assertProblem(t, res, 404, `GET /v1/categories/${missing}`).type, 'urn:khabar:problem:not-found')
  }
  t.equal((await listCategories(app)).length, 2, 'the table survived')
})

// Fastify's router answers these itself (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH), past
// the app's error handler: they are 4xx but not problem+json. See the report.
test('malformed URLs are client errors', async (t) => {
  const app = await build(t)
  const cat = await createCategory(app, { name: 'x' })
  const calls = [
    { method: 'GET' as const, url: '/v1/categories/%' },
    { method: 'GET' as const, url: '/v1/categories/%E0%A4%A' },
    { method: 'GET' as const, url: `/v1/categories/${'a'.repeat(601)}` },
    { method: 'PATCH' as const, url: '/v1/categories/%', payload: { name: 'y' } },
    { method: 'DELETE' as const, url: '/v1/categories/%' }
  ]
  for (const call of calls) {
    const res = await app.inject({ ...call, headers: bearer(app.editorKey) })
    const what = `${call.method} ${call.url.slice(0, 30)}`
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: a 4xx (${res.statusCode})`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${what} is problem+json`)
  }
  t.same(await listCategories(app), [cat], 'nothing changed')
})

test('PATCH /v1/categories/{id}: rename, slug, move, parent checks and cycles', async (t) => {
  const app = await build(t)
  const a = await createCategory(app, { name: 'أخبار' })
  const b = await createCategory(app, { name: 'محلية', parentId: a.id })
  const c = await createCategory(app, { name: 'بلديات', parentId: b.id })
  const other = await createCategory(app, { name: 'رياضة' })
  const patch = async (id: number, body: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'PATCH', url: `/v1/categories/${id}`, headers: bearer(app.editorKey), payload: body as any })

  app.now.ms += 60_000
  const renamed = await patch(other.id, { name: 'الرياضة العربية' })
  t.equal(renamed.statusCode, 200)
  t.match(json(renamed), { id: other.id, name: 'الرياضة العربية', slug: 'رياضة', createdAt: other.createdAt, updatedAt: '2026-11-26T12:01:00.000Z' })
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/categories/${other.id}` })).name, 'الرياضة العربية', 'rename persisted')

  const sameSlug = await patch(other.id, { slug: 'رياضة', description: 'كل الرياضة', position: 7 })
  t.match(json(sameSlug), { slug: 'رياضة', description: 'كل الرياضة', position: 7 })
  const reslug = await patch(other.id, { slug: 'Sport News' })
  t.equal(json(reslug).slug, 'sport-news')
  t.equal((await app.inject({ method: 'GET', url: '/v1/categories/sport-news' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: `/v1/categories/${encodeURIComponent('رياضة')}` })).statusCode, 301, 'the old slug leads to the new one')
  const cleared = await patch(other.id, { description: null })
  t.equal(json(cleared).description, null, 'description can be cleared')
  t.equal(json(cleared).position, 7, 'fields not sent stay')

  const slugTaken = await patch(other.id, { slug: a.slug })
  t.equal(assertProblem(t, slugTaken, 409, 'slug taken by another').type, 'urn:khabar:problem:slug-taken')

  const moved = await patch(other.id, { parentId: c.id })
  t.equal(json(moved).parentId, c.id, 'moved under a grandchild of another tree')
  const tree = await listCategories(app, '?tree=true')
  t.same(tree.map(x => x.id), [a.id])
  t.same(tree[0].children[0].children[0].children.map((x: any) => x.id), [other.id])
  const toTop = await patch(other.id, { parentId: null })
  t.equal(json(toTop).parentId, null, 'parentId null moves it to the top')

  const before = await listCategories(app)
  const missingParent = await patch(b.id, { parentId: 9999 })
  t.equal(assertProblem(t, missingParent, 400, 'missing parent').errors[0].path, '/body/parentId')
  const self = await patch(a.id, { parentId: a.id })
  t.equal(assertProblem(t, self, 409, 'parent is itself').type, 'urn:khabar:problem:category-cycle')
  const child = await patch(a.id, { parentId: b.id })
  t.equal(assertProblem(t, child, 409, 'parent is its child').type, 'urn:khabar:problem:category-cycle')
  const grandchild = await patch(a.id, { parentId: c.id, name: 'اسم جديد' })
  assertProblem(t, grandchild, 409, 'parent is its grandchild')
  const missingCreate = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name: 'يتيم', parentId: 12345 } })
  t.equal(assertProblem(t, missingCreate, 400, 'create under a missing parent').errors[0].path, '/body/parentId')
  t.same(await listCategories(app), before, 'refused changes changed nothing')

  const notThere = await patch(9999, { name: 'x' })
  assertProblem(t, notThere, 404, 'PATCH a missing category')
})

test('DELETE /v1/categories/{id}: empty, with articles, reassignTo, subcategories', async (t) => {
  const app = await build(t)
  const empty = await createCategory(app, { name: 'فارغ' })
  const del = await app.inject({ method: 'DELETE', url: `/v1/categories/${empty.id}`, headers: bearer(app.editorKey) })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  t.equal((await app.inject({ method: 'GET', url: `/v1/categories/${empty.id}` })).statusCode, 404, 'gone')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/categories/${empty.id}`, headers: bearer(app.editorKey) }), 404, 'deleting twice')

  const from = await createCategory(app, { name: 'قديم' })
  const to = await createCategory(app, { name: 'جديد' })
  const published = await createArticle(app, { title: 'خبر منشور', categoryId: from.id })
  const draft = await createArticle(app, { title: 'مسودة', status: 'draft', categoryId: from.id })
  const elsewhere = await createArticle(app, { title: 'خبر آخر', categoryId: to.id })

  const refused = await app.inject({ method: 'DELETE', url: `/v1/categories/${from.id}`, headers: bearer(app.editorKey) })
  t.equal(assertProblem(t, refused, 409, 'delete with articles').type, 'urn:khabar:problem:category-not-empty')
  t.equal((await app.inject({ method: 'GET', url: `/v1/categories/${from.id}` })).statusCode, 200, 'still there')
  t.equal((await readArticle(app, published.id)).categoryId, from.id, 'article untouched')

  const toSelf = await app.inject({ method: 'DELETE', url: `/v1/categories/${from.id}?reassignTo=${from.id}`, headers: bearer(app.editorKey) })
  t.equal(assertProblem(t, toSelf, 400, 'reassignTo itself').errors[0].path, '/querystring/reassignTo')
  const toMissing = await app.inject({ method: 'DELETE', url: `/v1/categories/${from.id}?reassignTo=4242`, headers: bearer(app.editorKey) })
  t.equal(assertProblem(t, toMissing, 400, 'reassignTo a missing category').errors[0].path, '/querystring/reassignTo')
  t.equal((await readArticle(app, published.id)).version, published.version, 'refused deletes did not touch articles')

  app.now.ms += 5_000
  const moved = await app.inject({ method: 'DELETE', url: `/v1/categories/${from.id}?reassignTo=${to.id}`, headers: bearer(app.editorKey) })
  t.equal(moved.statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: `/v1/categories/${from.id}` })).statusCode, 404)
  for (const original of [published, draft]) {
    const now = await readArticle(app, original.id)
    t.equal(now.categoryId, to.id, `article ${original.id} moved`)
    t.equal(now.version, original.version + 1, `article ${original.id} version went up`)
    t.equal(now.updatedAt, '2026-11-26T12:00:05.000Z')
  }
  const untouched = await readArticle(app, elsewhere.id)
  t.equal(untouched.version, elsewhere.version, 'articles already in the target are not touched')
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/categories/${to.id}` })).articleCount, 2, 'the target now counts the moved published article')

  const parent = await createCategory(app, { name: 'أب' })
  const kid = await createCategory(app, { name: 'ابن', parentId: parent.id })
  const withKids = await app.inject({ method: 'DELETE', url: `/v1/categories/${parent.id}`, headers: bearer(app.editorKey) })
  t.equal(assertProblem(t, withKids, 409, 'delete with subcategories').type, 'urn:khabar:problem:category-has-children')
  const withKidsReassign = await app.inject({ method: 'DELETE', url: `/v1/categories/${parent.id}?reassignTo=${to.id}`, headers: bearer(app.editorKey) })
  assertProblem(t, withKidsReassign, 409, 'delete with subcategories even with reassignTo')
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/categories/${kid.id}` })).parentId, parent.id, 'the child still points at its parent')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/categories/${kid.id}`, headers: bearer(app.editorKey) })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/categories/${parent.id}`, headers: bearer(app.editorKey) })).statusCode, 204, 'deletable once the child is gone')

  // A trashed article still holds its category: it could be restored into it.
  const holder = await createCategory(app, { name: 'سلة' })
  const trashed = await createArticle(app, { title: 'في السلة', categoryId: holder.id })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })).statusCode, 204)
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/categories/${holder.id}`, headers: bearer(app.editorKey) }), 409, 'trashed articles keep the category')
})

test('articleCount counts published, visible articles only', async (t) => {
  const app = await build(t)
  const cat = await createCategory(app, { name: 'عدّاد' })
  const sub = await createCategory(app, { name: 'فرعي', parentId: cat.id })
  const count = async (id: number): Promise<number> => json(await app.inject({ method: 'GET', url: `/v1/categories/${id}` })).articleCount

  await createArticle(app, { title: 'منشور ١', categoryId: cat.id })
  await createArticle(app, { title: 'منشور ٢', categoryId: cat.id })
  await createArticle(app, { title: 'مسودة', status: 'draft', categoryId: cat.id })
  await createArticle(app, { title: 'مجدول', publishedAt: '2026-11-27T12:00:00.000Z', categoryId: cat.id })
  await createArticle(app, { title: 'مؤرشف', status: 'archived', categoryId: cat.id })
  const trashed = await createArticle(app, { title: 'محذوف', categoryId: cat.id })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })
  await createArticle(app, { title: 'في الفرع', categoryId: sub.id })

  t.equal(await count(cat.id), 2, 'only the two published, visible articles')
  t.equal(await count(sub.id), 1, 'a subcategory counts its own')
  const listed = await listCategories(app)
  t.equal(listed.find(x => x.id === cat.id).articleCount, 2, 'the list agrees')
  const tree = await listCategories(app, '?tree=true')
  t.equal(tree[0].articleCount, 2)
  t.equal(tree[0].children[0].articleCount, 1)
  const withKey = await app.inject({ method: 'GET', url: `/v1/categories/${cat.id}`, headers: bearer(app.editorKey) })
  t.equal(json(withKey).articleCount, 2, 'editors see the same public count')
  const patched = await app.inject({ method: 'PATCH', url: `/v1/categories/${cat.id}`, headers: bearer(app.editorKey), payload: { position: 2 } })
  t.equal(json(patched).articleCount, 2, 'PATCH answers the count too')

  app.now.ms = Date.parse('2026-11-27T12:00:00.000Z')
  t.equal(await count(cat.id), 3, 'the scheduled article counts once its time comes')

  await app.inject({ method: 'POST', url: `/v1/articles/${trashed.id}/restore`, headers: bearer(app.editorKey) })
  t.equal(await count(cat.id), 4, 'a restored article counts again')
})

test('keys: writes need a valid key, reads do not', async (t) => {
  const app = await build(t)
  const cat = await createCategory(app, { name: 'محمي' })
  const calls: Call[] = [
    { method: 'POST', url: '/v1/categories', payload: { name: 'جديد' } },
    { method: 'PATCH', url: `/v1/categories/${cat.id}`, payload: { name: 'جديد' } },
    { method: 'DELETE', url: `/v1/categories/${cat.id}` }
  ]
  for (const call of calls) await assertNeedsKey(t, app, call)
  t.same(await listCategories(app), [cat], 'nothing changed')
  t.equal((await app.inject({ method: 'GET', url: '/v1/categories' })).statusCode, 200, 'list without a key')
  t.equal((await app.inject({ method: 'GET', url: `/v1/categories/${cat.id}` })).statusCode, 200, 'one without a key')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/categories', headers: bearer('khb_wrong-key-0000000000000000') }), 401, 'a read with a wrong key')
})

test('bad input to POST /v1/categories is a problem and creates nothing', async (t) => {
  const app = await build(t)
  const existing = await createCategory(app, { name: 'موجود' })
  const post = async (payload: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'POST', url: '/v1/categories', headers: { ...bearer(app.editorKey), ...headers }, payload: payload as any })

  const cases: Array<[string, unknown, string?]> = [
    ['missing name', {}, '/body/name'],
    ['name is a number', { name: 5 }, '/body/name'],
    ['name is null', { name: null }, '/body/name'],
    ['name is an array', { name: ['a'] }, '/body/name'],
    ['empty name', { name: '' }, '/body/name'],
    ['blank name', { name: '   ' }, '/body/name'],
    ['name too long', { name: 'ا'.repeat(201) }, '/body/name'],
    ['RLO in name', { name: 'أخبار\u202Eعاجلة' }, '/body/name'],
    ['LRE in name', { name: '\u202Aname' }, '/body/name'],
    ['isolate in name', { name: 'a\u2066b' }, '/body/name'],
    ['unknown field', { name: 'x', color: 'red' }, '/body/color'],
    ['id is not writable', { name: 'x', id: 5 }, '/body/id'],
    ['articleCount is not writable', { name: 'x', articleCount: 5 }, '/body/articleCount'],
    ['parentId as a string', { name: 'x', parentId: String(existing.id) }, '/body/parentId'],
    ['parentId 0', { name: 'x', parentId: 0 }, '/body/parentId'],
    ['parentId -1', { name: 'x', parentId: -1 }, '/body/parentId'],
    ['parentId 1.5', { name: 'x', parentId: 1.5 }, '/body/parentId'],
    ['parentId huge', { name: 'x', parentId: 1e20 }, '/body/parentId'],
    ['position as a string', { name: 'x', position: '1' }, '/body/position'],
    ['position out of range', { name: 'x', position: 10_000_000 }, '/body/position'],
    ['position a float', { name: 'x', position: 0.5 }, '/body/position'],
    ['description a number', { name: 'x', description: 1 }, '/body/description'],
    ['description too long', { name: 'x', description: 'x'.repeat(5001) }, '/body/description'],
    ['slug empty', { name: 'x', slug: '' }, '/body/slug'],
    ['slug a number', { name: 'x', slug: 12 }, '/body/slug'],
    ['body is an array', [{ name: 'x' }]],
    ['body is a string', 'name'],
    ['body is null', null],
    ['body is a number', 42]
  ]
  for (const [what, payload, path] of cases) {
    const res = await post(typeof payload === 'string' || typeof payload === 'number' || payload === null ? JSON.stringify(payload) : payload, { 'content-type': 'application/json' })
    const body = assertProblem(t, res, 400, what)
    if (path !== undefined) t.ok(body.errors.some((e: any) => e.path === path), `${what}: an error at ${path} (${JSON.stringify(body.errors)})`)
  }

  assertProblem(t, await post('{"name": "x"', { 'content-type': 'application/json' }), 400, 'malformed JSON')
  assertProblem(t, await post('{"name": \'x\'}', { 'content-type': 'application/json' }), 400, 'single-quoted JSON')
  assertProblem(t, await post('', { 'content-type': 'application/json' }), 400, 'empty JSON body')
  const noBody = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey) })
  assertProblem(t, noBody, 400, 'no body at all')
  const text = await post('{"name":"x"}', { 'content-type': 'text/plain' })
  t.ok(text.statusCode >= 400 && text.statusCode < 500, 'text/plain is refused')
  t.match(text.headers['content-type'], /^application\/problem\+json/)
  t.equal(text.statusCode, 415, 'text/plain is a 415')
  t.equal(assertProblem(t, await post('<name>x</name>', { 'content-type': 'application/xml' }), 415, 'XML').type, 'urn:khabar:problem:unsupported-media-type')
  assertProblem(t, await post('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'a form')
  const big = await post(JSON.stringify({ name: 'x', description: 'x'.repeat(1024 * 1024) }), { 'content-type': 'application/json' })
  t.equal(assertProblem(t, big, 413, 'body over 1 MiB').type, 'urn:khabar:problem:body-too-large')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/categories?x=1', headers: bearer(app.editorKey), payload: { name: 'x' } }), 400, 'unknown query on POST')

  t.same(await listCategories(app), [existing], 'nothing was created')
})

test('hostile but valid strings are stored as text', async (t) => {
  const app = await build(t)
  const names = [
    '\'; DROP TABLE categories; --',
    '"quoted" \'single\' `back`',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'Robert\'); DELETE FROM articles WHERE (\'1\'=\'1',
    '%00%27 OR 1=1',
    '\u200Fعنوان مع علامة اتجاه'
  ]
  for (const name of names) {
    const res = await app.inject({ method: 'POST', url: '/v1/categories', headers: bearer(app.editorKey), payload: { name, description: name } })
    t.equal(res.statusCode, 201, JSON.stringify(name))
    const body = json(res)
    t.equal(body.name, name, 'stored verbatim')
    t.equal(body.description, name)
    const back = await app.inject({ method: 'GET', url: `/v1/categories/${encodeURIComponent(body.slug)}` })
    t.equal(back.statusCode, 200, `found by slug ${body.slug}`)
    t.equal(json(back).id, body.id)
  }
  const list = await listCategories(app)
  t.same(list.map(x => x.name), names, 'the table is intact and holds every name')
  t.equal(list[0].slug, 'drop-table-categories')
})

test('bad input to PATCH and DELETE /v1/categories/{id} changes nothing', async (t) => {
  const app = await build(t)
  const a = await createCategory(app, { name: 'أ', description: 'وصف' })
  const b = await createCategory(app, { name: 'ب', parentId: a.id })
  await createArticle(app, { title: 'خبر', categoryId: b.id })
  const snapshot = await listCategories(app)
  const patch = async (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'PATCH', url, headers: { ...bearer(app.editorKey), 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })

  const bodies: Array<[string, unknown, string?]> = [
    ['empty body {}', {}],
    ['unknown field', { nam: 'x' }, '/body/nam'],
    ['name a number', { name: 1 }, '/body/name'],
    ['name null', { name: null }, '/body/name'],
    ['blank name', { name: ' \t ' }, '/body/name'],
    ['RLO name', { name: '\u202Eevil' }, '/body/name'],
    ['parentId a string', { parentId: 'a' }, '/body/parentId'],
    ['parentId 0', { parentId: 0 }, '/body/parentId'],
    ['position null', { position: null }, '/body/position'],
    ['slug null', { slug: null }, '/body/slug'],
    ['slug of dashes', { slug: '- - -' }, '/body/slug'],
    ['array body', [{ name: 'x' }]]
  ]
  for (const [what, payload, path] of bodies) {
    const body = assertProblem(t, await patch(`/v1/categories/${a.id}`, payload), 400, `PATCH ${what}`)
    if (path !== undefined) t.ok(body.errors.some((e: any) => e.path === path), `${what}: an error at ${path}`)
  }
  assertProblem(t, await patch(`/v1/categories/${a.id}`, '{"name":'), 400, 'PATCH malformed JSON')
  const text = await patch(`/v1/categories/${a.id}`, '{"name":"x"}', { 'content-type': 'text/plain' })
  t.ok(text.statusCode >= 400 && text.statusCode < 500, 'PATCH text/plain is refused')
  t.equal(text.statusCode, 415, 'PATCH text/plain is a 415')
  assertProblem(t, await patch(`/v1/categories/${a.id}`, 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'PATCH form')
  assertProblem(t, await patch(`/v1/categories/${a.id}`, JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) })), 413, 'PATCH over 1 MiB')
  assertProblem(t, await patch(`/v1/categories/${a.id}?force=1`, { name: 'x' }), 400, 'PATCH unknown query')

  for (const id of ['0', '-1', 'abc', '1.5', '99999999999999999999', '9007199254740992', '%20']) {
    const p = await patch(`/v1/categories/${id}`, { name: 'x' })
    t.ok(p.statusCode < 500, `PATCH id ${id}: not a 5xx`)
    assertProblem(t, p, p.statusCode === 404 ? 404 : 400, `PATCH id ${id}`)
    const d = await app.inject({ method: 'DELETE', url: `/v1/categories/${id}`, headers: bearer(app.editorKey) })
    t.ok(d.statusCode < 500, `DELETE id ${id}: not a 5xx`)
    assertProblem(t, d, d.statusCode === 404 ? 404 : 400, `DELETE id ${id}`)
  }
  assertProblem(t, await patch('/v1/categories/0', { name: 'x' }), 400, 'PATCH id 0 is a 400')
  assertProblem(t, await patch('/v1/categories/abc', { name: 'x' }), 400, 'PATCH id abc is a 400')
  assertProblem(t, await patch('/v1/categories/99999999999999999999', { name: 'x' }), 400, 'PATCH a 20-digit id is a 400')

  for (const query of ['reassignTo=abc', 'reassignTo=0', 'reassignTo=-1', 'reassignTo=99999999999999999999', 'reassignTo=', 'force=true', `reassignTo=${a.id}&x=1`]) {
    const d = await app.inject({ method: 'DELETE', url: `/v1/categories/${b.id}?${query}`, headers: bearer(app.editorKey) })
    assertProblem(t, d, 400, `DELETE ?${query}`)
  }
  for (const query of ['tree=maybe', 'tree=', 'limit=5', 'foo=bar', 'tree=true&tree=false']) {
    assertProblem(t, await app.inject({ method: 'GET', url: `/v1/categories?${query}` }), 400, `GET ?${query}`)
  }
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/categories/${a.id}?foo=bar` }), 400, 'GET one with an unknown query')

  t.same(await listCategories(app), snapshot, 'nothing changed')
})
