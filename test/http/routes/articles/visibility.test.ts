import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { assertProblem, createArticle, createCategory, listAll } from '../../../factories.ts'

const FUTURE = '2026-11-26T15:00:00.000Z'

// One published, one draft, one scheduled, one trashed article, all in one category
// (under a parent) and with one tag (the published one has a second).
async function world (app: TestApp) {
  const parent = await createCategory(app, { name: 'أخبار' })
  const category = await createCategory(app, { name: 'سوريا', parentId: parent.id })
  const common = { categoryId: category.id, tags: ['دمشق'], breaking: true, lang: 'ar', author: 'مراسل' }
  const published = await createArticle(app, { ...common, tags: ['دمشق', 'حصري'], title: 'منشور', publishedAt: '2026-11-26T10:00:00.000Z' })
  const draft = await createArticle(app, { ...common, title: 'مسودة', status: 'draft' })
  const scheduled = await createArticle(app, { ...common, title: 'مجدول', publishedAt: FUTURE })
  const trashed = await createArticle(app, { ...common, title: 'محذوف', publishedAt: '2026-11-26T09:00:00.000Z' })
  const del = await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })
  if (del.statusCode !== 204) throw new Error(del.body)
  return { parent, category, published, draft, scheduled, trashed }
}

async function publicIds (app: TestApp, query = ''): Promise<number[]> {
  return (await listAll(app, `/v1/articles?limit=1${query}`)).map(a => a.id)
}

async function total (app: TestApp, query = '', headers: Record<string, string> = {}): Promise<number> {
  const res = await app.inject({ url: `/v1/articles?count=true${query}`, headers })
  return json(res).meta.total
}

async function categoryCount (app: TestApp, id: number): Promise<number> {
  const list = json(await app.inject({ url: '/v1/categories' })).data
  const fromList = list.find((c: { id: number }) => c.id === id).articleCount
  const one = json(await app.inject({ url: `/v1/categories/${id}` })).articleCount
  if (one !== fromList) throw new Error(`category ${id}: ${one} alone, ${fromList} in the list`)
  return fromList
}

async function tagCount (app: TestApp, name: string): Promise<number> {
  // Through every page of both tag sorts, so cursors of both kinds are followed.
  const byName = (await listAll(app, '/v1/tags?limit=1')).find(x => x.name === name)
  const byCount = (await listAll(app, '/v1/tags?limit=1&sort=-articleCount')).find(x => x.name === name)
  const one = json(await app.inject({ url: `/v1/tags/${encodeURIComponent(byName.slug)}` }))
  if (byName.articleCount !== byCount.articleCount || one.articleCount !== byName.articleCount) {
    throw new Error(`tag ${name}: counts disagree`)
  }
  return one.articleCount
}

test('without a key, drafts, scheduled and trashed articles are 404 by id and by slug', async (t) => {
  const app = await build(t)
  const w = await world(app)
  t.equal((await app.inject({ url: `/v1/articles/${w.published.id}` })).statusCode, 200)
  for (const a of [w.draft, w.scheduled, w.trashed]) {
    for (const segment of [String(a.id), a.slug, encodeURIComponent(a.slug)]) {
      const res = await app.inject({ url: `/v1/articles/${segment}` })
      const problem = assertProblem(t, res, 404, `${a.title} by ${segment.slice(0, 10)}`)
      if (segment === String(a.id)) t.notMatch(res.body, a.title, 'the problem does not leak the title')
      t.equal(problem.type, 'urn:khabar:problem:not-found')
    }
  }
  // Indistinguishable from an article that never existed.
  const never = json(await app.inject({ url: '/v1/articles/9999' }))
  const draft = json(await app.inject({ url: `/v1/articles/${w.draft.id}` }))
  t.same(Object.keys(draft).sort(), Object.keys(never).sort())
  t.equal(draft.title, never.title)
})

test('without a key, they are absent from every list, filter and count', async (t) => {
  const app = await build(t)
  const w = await world(app)
  const only = [w.published.id]
  t.same(await publicIds(app), only)
  for (const query of [
    `&category=${w.category.id}`,
    `&category=${w.parent.id}`,
    `&category=${encodeURIComponent(w.category.slug)}`,
    `&tag=${encodeURIComponent('دمشق')}`,
    '&breaking=true',
    '&lang=ar',
    `&author=${encodeURIComponent('مراسل')}`,
    '&hasVideo=false',
    '&from=2026-01-01T00:00:00Z',
    '&to=2027-01-01T00:00:00Z',
    '&status=published',
    '&sort=publishedAt',
    '&sort=-updatedAt',
    '&sort=-views'
  ]) {
    t.same(await publicIds(app, query), only, query)
    t.equal(await total(app, query), 1, `total${query}`)
  }
  t.equal(await categoryCount(app, w.category.id), 1, 'category articleCount')
  t.equal(await categoryCount(app, w.parent.id), 0, 'articleCount counts direct articles only')
  t.equal(await tagCount(app, 'دمشق'), 1, 'tag articleCount')
})

test('with a key they are visible: by id, by slug, and in the lists for their status', async (t) => {
  const app = await build(t)
  const w = await world(app)
  for (const key of [app.editorKey, app.adminKey]) {
    for (const a of [w.published, w.draft, w.scheduled, w.trashed]) {
      for (const segment of [String(a.id), encodeURIComponent(a.slug)]) {
        const res = await app.inject({ url: `/v1/articles/${segment}`, headers: bearer(key) })
        t.equal(res.statusCode, 200, `${a.title} by ${segment.slice(0, 10)}`)
        t.equal(json(res).id, a.id)
      }
    }
  }
  const editor = bearer(app.editorKey)
  t.equal(json(await app.inject({ url: `/v1/articles/${w.trashed.id}`, headers: editor })).trashedAt !== null, true)
  t.equal(await total(app, '', editor), 3, 'published, draft and scheduled; the trash apart')
  t.equal(await total(app, `&category=${w.parent.id}`, editor), 3)
  t.equal(await total(app, '&status=all', editor), 4)
  t.equal(await total(app, '&status=trashed', editor), 1)
  // Counts on categories and tags stay what readers see, whoever asks.
  const cats = json(await app.inject({ url: '/v1/categories', headers: editor })).data
  t.equal(cats.find((c: { id: number }) => c.id === w.category.id).articleCount, 1)
})

test('status=draft (or any status but published) without a key is 401', async (t) => {
  const app = await build(t)
  await world(app)
  for (const status of ['draft', 'scheduled', 'trashed', 'archived', 'all']) {
    assertProblem(t, await app.inject({ url: `/v1/articles?status=${status}` }), 401)
  }
})

test('a scheduled article appears when its time comes: no sleeping, the clock moves', async (t) => {
  const app = await build(t)
  const w = await world(app)
  // Read everything once, so any cached answer would be stale afterwards.
  t.same(await publicIds(app), [w.published.id])
  t.equal(await total(app), 1)
  t.equal((await app.inject({ url: `/v1/articles/${w.scheduled.id}` })).statusCode, 404)
  t.equal(await categoryCount(app, w.category.id), 1)
  t.equal(await tagCount(app, 'دمشق'), 1)

  app.now.ms = Date.parse(FUTURE) - 1
  t.equal((await app.inject({ url: `/v1/articles/${w.scheduled.id}` })).statusCode, 404, 'one millisecond early: still hidden')
  t.equal(await total(app), 1)

  app.now.ms = Date.parse(FUTURE)
  const res = await app.inject({ url: `/v1/articles/${w.scheduled.id}` })
  t.equal(res.statusCode, 200, 'at its time it is published')
  t.equal(json(res).publishedAt, FUTURE)
  t.equal((await app.inject({ url: `/v1/articles/${encodeURIComponent(w.scheduled.slug)}` })).statusCode, 200)
  t.same(await publicIds(app), [w.scheduled.id, w.published.id], 'newest first')
  t.equal(await total(app), 2)
  t.equal(await total(app, `&category=${w.parent.id}`), 2)
  t.equal(await categoryCount(app, w.category.id), 2)
  t.equal(await tagCount(app, 'دمشق'), 2)
  t.same(await publicIds(app, '&status=published'), [w.scheduled.id, w.published.id])

  // Editors no longer list it as scheduled.
  const scheduled = json(await app.inject({ url: '/v1/articles?status=scheduled', headers: bearer(app.editorKey) })).data
  t.same(scheduled, [])
})

test('unpublishing, trashing and restoring move an article out of and back into public view', async (t) => {
  const app = await build(t)
  const w = await world(app)
  const editor = bearer(app.editorKey)
  t.equal(await total(app), 1)
  t.equal(await tagCount(app, 'دمشق'), 1)

  await app.inject({ method: 'PATCH', url: `/v1/articles/${w.published.id}`, headers: editor, payload: { status: 'draft' } })
  t.equal(await total(app), 0)
  t.equal(await categoryCount(app, w.category.id), 0)
  t.equal(await tagCount(app, 'دمشق'), 0)
  t.equal((await app.inject({ url: `/v1/articles/${w.published.id}` })).statusCode, 404)

  await app.inject({ method: 'POST', url: `/v1/articles/${w.trashed.id}/restore`, headers: editor })
  t.same(await publicIds(app), [w.trashed.id], 'restored: public again')
  t.equal(await categoryCount(app, w.category.id), 1)
  t.equal(await tagCount(app, 'دمشق'), 1)

  await app.inject({ method: 'DELETE', url: `/v1/articles/${w.trashed.id}`, headers: editor })
  t.same(await publicIds(app), [])
  t.equal(await tagCount(app, 'دمشق'), 0)

  // Publishing a draft makes it visible at once.
  await app.inject({ method: 'PATCH', url: `/v1/articles/${w.draft.id}`, headers: editor, payload: { status: 'published' } })
  t.same(await publicIds(app), [w.draft.id])
})

test('archived articles stay readable at their URL but leave lists and counts', async (t) => {
  const app = await build(t)
  const category = await createCategory(app)
  const a = await createArticle(app, { status: 'archived', categoryId: category.id, tags: ['أرشيف'] })
  t.equal((await app.inject({ url: `/v1/articles/${a.id}` })).statusCode, 200)
  t.same(await publicIds(app), [])
  t.equal(await total(app), 0)
  t.equal(await categoryCount(app, category.id), 0)
  t.equal(await tagCount(app, 'أرشيف'), 0)
  t.same((await listAll(app, '/v1/articles?status=archived', bearer(app.editorKey))).map(x => x.id), [a.id])
})
