import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { assertProblem, attachMedia, createArticle, createCategory, createMedia, listAll } from '../../../factories.ts'

const HOUR = 3_600_000
const at = (hoursAgo: number): string => new Date(Date.parse('2026-11-26T12:00:00.000Z') - hoursAgo * HOUR).toISOString()

async function ids (app: TestApp, url: string, headers: Record<string, string> = {}): Promise<number[]> {
  const res = await app.inject({ url, headers })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return json(res).data.map((a: { id: number }) => a.id)
}

test('the list shape: data, meta.nextCursor, newest first, summaries without body', async (t) => {
  const app = await build(t)
  const old = await createArticle(app, { publishedAt: at(5) })
  const mid = await createArticle(app, { publishedAt: at(3) })
  const recent = await createArticle(app, { publishedAt: at(1) })
  const res = await app.inject({ url: '/v1/articles' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = json(res)
  t.same(Object.keys(body).sort(), ['data', 'meta'])
  t.same(body.meta, { nextCursor: null }, 'no total unless count=true')
  t.same(body.data.map((a: { id: number }) => a.id), [recent.id, mid.id, old.id])
  t.notOk('body' in body.data[0], 'lists carry no body')
  t.notOk('trashedAt' in body.data[0])
  t.equal(res.headers.link, undefined, 'one page: no Link')
  const { body: _b, ...summary } = recent
  const { trashedAt: _t, ...publicSummary } = summary
  t.same(body.data[0], publicSummary)
})

test('an empty list', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/articles?count=true' })
  t.same(json(res), { data: [], meta: { nextCursor: null, total: 0 } })
})

test('sorts: -publishedAt (default), publishedAt, -updatedAt, -views', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { publishedAt: at(10) })
  app.now.ms += 1000
  const b = await createArticle(app, { publishedAt: at(30) })
  app.now.ms += 1000
  const c = await createArticle(app, { publishedAt: at(20) })
  t.same(await ids(app, '/v1/articles'), [a.id, c.id, b.id])
  t.same(await ids(app, '/v1/articles?sort=-publishedAt'), [a.id, c.id, b.id])
  t.same(await ids(app, '/v1/articles?sort=publishedAt'), [b.id, c.id, a.id])
  t.same(await ids(app, '/v1/articles?sort=-updatedAt'), [c.id, b.id, a.id])
  app.now.ms += 1000
  const patch = await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey), payload: { subtitle: 'محدث' } })
  t.equal(patch.statusCode, 200)
  t.same(await ids(app, '/v1/articles?sort=-updatedAt'), [a.id, c.id, b.id], 'a change moves it to the top')

  // Views: b is read by three clients, c by two, a by one.
  for (const [article, readers] of [[b, 3], [c, 2], [a, 1]] as const) {
    for (let i = 0; i < readers; i++) {
      const res = await app.inject({ method: 'POST', url: `/v1/articles/${article.id}/views`, headers: { 'user-agent': `reader ${i}` }, remoteAddress: `10.0.0.${i + 1}` })
      t.equal(res.statusCode, 202)
    }
  }
  await app.services.views.flush()
  const byViews = json(await app.inject({ url: '/v1/articles?sort=-views' })).data
  t.same(byViews.map((x: { id: number }) => x.id), [b.id, c.id, a.id])
  t.same(byViews.map((x: { views: number }) => x.views), [3, 2, 1])
})

test('ties are broken by id, the same way in every sort direction', async (t) => {
  const app = await build(t)
  const same = at(2)
  const made = []
  for (let i = 0; i < 4; i++) made.push((await createArticle(app, { publishedAt: same })).id)
  t.same(await ids(app, '/v1/articles'), [...made].reverse())
  t.same(await ids(app, '/v1/articles?sort=publishedAt'), made)
  t.same(await ids(app, '/v1/articles?sort=-views'), [...made].reverse())
  t.same(await ids(app, '/v1/articles?sort=-updatedAt'), [...made].reverse())
})

test('count=true gives meta.total over every page, ignoring the cursor', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 5; i++) await createArticle(app, { publishedAt: at(i + 1) })
  await createArticle(app, { status: 'draft' })
  const first = json(await app.inject({ url: '/v1/articles?count=true&limit=2' }))
  t.equal(first.meta.total, 5)
  t.equal(first.data.length, 2)
  const second = json(await app.inject({ url: `/v1/articles?count=true&limit=2&cursor=${first.meta.nextCursor}` }))
  t.equal(second.meta.total, 5, 'the same total on the next page')
  const editor = json(await app.inject({ url: '/v1/articles?count=true&limit=2', headers: bearer(app.editorKey) }))
  t.equal(editor.meta.total, 6, 'editors count drafts too')
  const no = json(await app.inject({ url: '/v1/articles?count=false' }))
  t.notOk('total' in no.meta)
})

test('category filter: by id or slug (raw or encoded), subcategories included', async (t) => {
  const app = await build(t)
  const news = await createCategory(app, { name: 'أخبار عربية' })
  const syria = await createCategory(app, { name: 'سوريا', parentId: news.id })
  const damascus = await createCategory(app, { name: 'دمشق', parentId: syria.id })
  const sport = await createCategory(app, { name: 'رياضة' })
  const inNews = await createArticle(app, { categoryId: news.id, publishedAt: at(4) })
  const inSyria = await createArticle(app, { categoryId: syria.id, publishedAt: at(3) })
  const inDamascus = await createArticle(app, { categoryId: damascus.id, publishedAt: at(2) })
  const inSport = await createArticle(app, { categoryId: sport.id, publishedAt: at(1) })
  await createArticle(app)

  t.same(await ids(app, `/v1/articles?category=${news.id}`), [inDamascus.id, inSyria.id, inNews.id])
  t.same(await ids(app, `/v1/articles?category=${encodeURIComponent(news.slug)}`), [inDamascus.id, inSyria.id, inNews.id])
  t.same(await ids(app, `/v1/articles?category=${syria.slug}`), [inDamascus.id, inSyria.id], 'a raw Arabic slug')
  t.same(await ids(app, `/v1/articles?category=${damascus.id}`), [inDamascus.id])
  t.same(await ids(app, `/v1/articles?category=${sport.id}`), [inSport.id])
  t.equal(json(await app.inject({ url: `/v1/articles?category=${news.id}&count=true` })).meta.total, 3)
  t.same(json(await app.inject({ url: '/v1/articles?category=999&count=true' })), { data: [], meta: { nextCursor: null, total: 0 } })
  t.same(json(await app.inject({ url: '/v1/articles?category=no-such-category' })), { data: [], meta: { nextCursor: null } })

  // Pages through a filtered list keep the filter.
  const paged = await listAll(app, `/v1/articles?category=${news.id}&limit=1`)
  t.same(paged.map(a => a.id), [inDamascus.id, inSyria.id, inNews.id])
})

test('tag filter: by slug or id', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { tags: ['دمشق', 'سوريا'], publishedAt: at(2) })
  const b = await createArticle(app, { tags: ['دمشق'], publishedAt: at(1) })
  await createArticle(app, { tags: ['حلب'] })
  await createArticle(app)
  const tags = await listAll(app, '/v1/tags')
  const damascus = tags.find(x => x.name === 'دمشق')
  t.same(await ids(app, `/v1/articles?tag=${encodeURIComponent(damascus.slug)}`), [b.id, a.id])
  t.same(await ids(app, `/v1/articles?tag=${damascus.id}`), [b.id, a.id])
  t.same(await ids(app, `/v1/articles?tag=${encodeURIComponent('سوريا')}`), [a.id])
  t.same(json(await app.inject({ url: '/v1/articles?tag=unknown&count=true' })), { data: [], meta: { nextCursor: null, total: 0 } })
  t.same(json(await app.inject({ url: '/v1/articles?tag=unknown' })), { data: [], meta: { nextCursor: null } })
})

test('lang, author, breaking and hasVideo filters', async (t) => {
  const app = await build(t)
  const en = await createArticle(app, { lang: 'en', title: 'Damascus offensive', author: 'Reporter A', publishedAt: at(4) })
  const ar = await createArticle(app, { author: 'مراسل خبر', breaking: true, publishedAt: at(3) })
  const video = await createArticle(app, { author: 'مراسل خبر', publishedAt: at(2) })
  const image = await createArticle(app, { publishedAt: at(1) })
  const yt = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  const jpg = await createMedia(app)
  await attachMedia(app, video.id, [{ mediaId: yt.id, role: 'featured' }])
  await attachMedia(app, image.id, [{ mediaId: jpg.id, role: 'featured' }])

  t.same(await ids(app, '/v1/articles?lang=en'), [en.id])
  t.same(await ids(app, '/v1/articles?lang=ar'), [image.id, video.id, ar.id])
  t.same(await ids(app, '/v1/articles?lang=fr'), [])
  t.same(await ids(app, `/v1/articles?author=${encodeURIComponent('مراسل خبر')}`), [video.id, ar.id])
  t.same(await ids(app, '/v1/articles?author=Reporter%20A'), [en.id])
  t.same(await ids(app, '/v1/articles?breaking=true'), [ar.id])
  t.same(await ids(app, '/v1/articles?breaking=false'), [image.id, video.id, en.id])
  t.same(await ids(app, '/v1/articles?hasVideo=true'), [video.id])
  t.same(await ids(app, '/v1/articles?hasVideo=false'), [image.id, ar.id, en.id])
  t.same(await ids(app, `/v1/articles?hasVideo=true&author=${encodeURIComponent('مراسل خبر')}&lang=ar`), [video.id], 'filters combine')
  t.same(await ids(app, '/v1/articles?hasVideo=true&breaking=true'), [])
})

test('from/to: a publishedAt range, from inclusive, to exclusive', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { publishedAt: '2026-11-20T00:00:00.000Z' })
  const b = await createArticle(app, { publishedAt: '2026-11-21T00:00:00.000Z' })
  const c = await createArticle(app, { publishedAt: '2026-11-22T00:00:00.000Z' })
  t.same(await ids(app, '/v1/articles?from=2026-11-21T00:00:00.000Z'), [c.id, b.id])
  t.same(await ids(app, '/v1/articles?to=2026-11-21T00:00:00.000Z'), [a.id])
  t.same(await ids(app, '/v1/articles?from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z'), [b.id, a.id])
  t.same(await ids(app, `/v1/articles?from=${encodeURIComponent('2026-11-21T02:00:00+03:00')}`), [c.id, b.id], 'offsets are honoured')
  t.same(await ids(app, '/v1/articles?from=2026-11-23T00:00:00Z'), [])
  t.same(await ids(app, '/v1/articles?from=2026-11-22T00:00:00Z&to=2026-11-20T00:00:00Z'), [], 'an empty range is empty, not an error')
})

test('a from/to that passes the date-time format but is no representable moment is a 400', async (t) => {
  const app = await build(t)
  await createArticle(app, { publishedAt: '2026-06-30T12:00:00Z' })
  for (const q of ['from=2026-06-30T23:59:60Z', 'to=2026-06-30T23:59:60Z']) {
    const res = await app.inject({ url: `/v1/articles?${q}` })
    t.equal(assertProblem(t, res, 400, q).errors[0].path, `/querystring/${q.slice(0, q.indexOf('='))}`)
  }
})

test('status filter for editors; without a key only status=published', async (t) => {
  const app = await build(t)
  const published = await createArticle(app, { publishedAt: at(1) })
  const draft = await createArticle(app, { status: 'draft' })
  const scheduled = await createArticle(app, { publishedAt: '2026-12-01T00:00:00.000Z' })
  const archived = await createArticle(app, { status: 'archived', publishedAt: at(2) })
  const trashed = await createArticle(app, { publishedAt: at(3) })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })).statusCode, 204)
  const editor = bearer(app.editorKey)

  const sorted = (xs: number[]): number[] => [...xs].sort((x, y) => x - y)
  t.same(sorted(await ids(app, '/v1/articles', editor)), sorted([published.id, draft.id, scheduled.id, archived.id]), 'default: all but the trash')
  t.same(await ids(app, '/v1/articles?status=draft', editor), [draft.id])
  t.same(await ids(app, '/v1/articles?status=published', editor), [published.id])
  t.same(await ids(app, '/v1/articles?status=scheduled', editor), [scheduled.id])
  t.same(await ids(app, '/v1/articles?status=archived', editor), [archived.id])
  t.same(await ids(app, '/v1/articles?status=trashed', editor), [trashed.id])
  t.same(sorted(await ids(app, '/v1/articles?status=all', editor)), sorted([published.id, draft.id, scheduled.id, archived.id, trashed.id]))
  t.equal(json(await app.inject({ url: '/v1/articles?status=all&count=true', headers: editor })).meta.total, 5)
  t.equal(json(await app.inject({ url: '/v1/articles?status=draft&count=true', headers: editor })).meta.total, 1)

  // Editors see drafts last when newest first (no publication time), first when oldest first.
  const newest = await ids(app, '/v1/articles', editor)
  t.equal(newest[0], scheduled.id)
  t.equal(newest[newest.length - 1], draft.id)
  t.equal((await ids(app, '/v1/articles?sort=publishedAt', editor))[0], draft.id)

  t.same(await ids(app, '/v1/articles?status=published'), [published.id], 'readers may ask for published')
  for (const status of ['draft', 'scheduled', 'archived', 'trashed', 'all']) {
    const res = await app.inject({ url: `/v1/articles?status=${status}` })
    assertProblem(t, res, 401, `status=${status} without a key`)
    t.match(res.headers['www-authenticate'], /^Bearer/)
  }
  assertProblem(t, await app.inject({ url: '/v1/articles?status=deleted', headers: editor }), 400)
})

test('editor status lists page through correctly, drafts included', async (t) => {
  const app = await build(t)
  const made: number[] = []
  for (let i = 0; i < 7; i++) {
    made.push((await createArticle(app, i % 2 === 0 ? { status: 'draft' } : { publishedAt: at(1) })).id)
  }
  for (const sort of ['-publishedAt', 'publishedAt', '-updatedAt', '-views']) {
    const all = await listAll(app, `/v1/articles?limit=2&sort=${sort}`, bearer(app.editorKey))
    t.same(all.map(a => a.id).sort((x, y) => x - y), made, `sort=${sort}: each article once`)
  }
})

test('include and fields on lists', async (t) => {
  const app = await build(t)
  const category = await createCategory(app, { name: 'اقتصاد' })
  const a = await createArticle(app, { categoryId: category.id, body: '<p>نص طويل</p>', publishedAt: at(1) })
  const b = await createArticle(app, { categoryId: category.id, publishedAt: at(2) })
  const image = await createMedia(app)
  await attachMedia(app, a.id, [{ mediaId: image.id, role: 'featured' }])

  const withIncludes = json(await app.inject({ url: '/v1/articles?include=category,media' })).data
  t.same(withIncludes.map((x: { category: { id: number } }) => x.category.id), [category.id, category.id])
  t.equal(withIncludes[0].media[0].id, image.id)
  t.same(withIncludes[1].media, [])

  const projected = json(await app.inject({ url: '/v1/articles?fields=title,slug' }))
  t.same(projected.data, [{ id: a.id, title: a.title, slug: a.slug }, { id: b.id, title: b.title, slug: b.slug }])
  t.same(projected.meta, { nextCursor: null })
  const withBody = json(await app.inject({ url: '/v1/articles?fields=body' })).data
  t.same(withBody[0], { id: a.id, body: '<p>نص طويل</p>' }, 'fields=body reads the body')
})

test('bad query parameters are 400 problems naming the parameter', async (t) => {
  const app = await build(t)
  await createArticle(app)
  const cases: Array<[string, string]> = [
    ['limit=0', '/querystring/limit'],
    ['limit=101', '/querystring/limit'],
    ['limit=-5', '/querystring/limit'],
    ['limit=abc', '/querystring/limit'],
    ['limit=1.5', '/querystring/limit'],
    ['limit=1e400', '/querystring/limit'],
    ['limit=Infinity', '/querystring/limit'],
    ['limit=-1e400', '/querystring/limit'],
    ['sort=title', '/querystring/sort'],
    ['sort=-publishedAt;DROP', '/querystring/sort'],
    ['hasVideo=maybe', '/querystring/hasVideo'],
    ['breaking=yes', '/querystring/breaking'],
    ['count=1x', '/querystring/count'],
    ['from=yesterday', '/querystring/from'],
    ['to=2026-13-01T00:00:00Z', '/querystring/to'],
    ['lang=arabic%20please', '/querystring/lang'],
    ['category=', '/querystring/category'],
    ['tag=', '/querystring/tag'],
    ['author=', '/querystring/author'],
    ['cursor=', '/querystring/cursor'],
    [`cursor=${'a'.repeat(513)}`, '/querystring/cursor'],
    [`category=${'x'.repeat(601)}`, '/querystring/category'],
    ['page=2', '/querystring/page'],
    ['offset=20', '/querystring/offset']
  ]
  for (const [query, path] of cases) {
    const res = await app.inject({ url: `/v1/articles?${query}` })
    t.ok(res.statusCode < 500, query)
    const problem = assertProblem(t, res, 400, query)
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${query}: ${JSON.stringify(problem.errors)}`)
  }
})

test('hostile query strings are data, never SQL or FTS syntax, never a 500', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { author: "O'Brien \"the\" reporter", tags: ['"a" OR b*'] })
  const hostile = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    '"a" OR b*',
    'NEAR(a b)',
    '*',
    '%',
    '_',
    '\\',
    '<script>alert(1)</script>',
    '\u202Eevil',
    '\u0000',
    'ق'.repeat(200),
    '1; SELECT * FROM api_keys'
  ]
  for (const value of hostile) {
    for (const name of ['author', 'tag', 'category', 'lang', 'fields', 'include', 'sort', 'cursor', 'from', 'status']) {
      const res = await app.inject({ url: `/v1/articles?${name}=${encodeURIComponent(value)}` })
      t.ok(res.statusCode < 500, `${name}=${value.slice(0, 20)}: ${res.statusCode}`)
      if (res.statusCode === 200) {
        t.same(json(res).data, [], `${name}=${value.slice(0, 20)} matches nothing`)
      } else {
        assertProblem(t, res, res.statusCode)
      }
    }
  }
  t.same(await ids(app, `/v1/articles?author=${encodeURIComponent("O'Brien \"the\" reporter")}`), [a.id], 'quotes are plain text')
  const tag = (await listAll(app, '/v1/tags'))[0]
  t.same(await ids(app, `/v1/articles?tag=${encodeURIComponent(tag.slug)}`), [a.id])
  t.equal(json(await app.inject({ url: '/v1/articles?count=true' })).meta.total, 1, 'the table is still there')
  const key = await app.inject({ url: '/v1/articles', headers: bearer(app.editorKey) })
  t.equal(key.statusCode, 200, 'the keys table is still there')
})
