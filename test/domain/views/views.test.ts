import { test } from 'tap'
import { build, bearer, dbValue, ENGINE, json, queryElsewhere } from '../../helper.ts'
import { createArticle, createCategory } from '../../factories.ts'

const view = async (app: Awaited<ReturnType<typeof build>>, idOrSlug: string | number, ua = 'reader', ip = '203.0.113.7'): Promise<{ statusCode: number, body: any }> => {
  const res = await app.inject({ method: 'POST', url: `/v1/articles/${idOrSlug}/views`, headers: { 'user-agent': ua }, remoteAddress: ip })
  return { statusCode: res.statusCode, body: res.statusCode === 202 ? json(res) : res.body }
}

test('a view is acknowledged with 202, counted once per client per article per 30 minutes', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const first = await view(app, a.id)
  t.equal(first.statusCode, 202)
  t.same(first.body, { counted: true })
  t.same((await view(app, a.id)).body, { counted: false }, 'same address and user agent: not counted again')
  t.same((await view(app, a.id, 'other browser')).body, { counted: true }, 'another user agent counts')
  t.same((await view(app, a.id, 'reader', '198.51.100.1')).body, { counted: true }, 'another address counts')
  t.same((await view(app, encodeURIComponent(a.slug), 'by slug')).body, { counted: true }, 'by percent-encoded slug')
  t.equal(app.services.views.pending, 4, 'nothing is written yet')
  t.equal(json((await app.inject(`/v1/articles/${a.id}`))).views, 0)
  await app.services.views.flush()
  t.equal(app.services.views.pending, 0)
  const stats = json(await app.inject(`/v1/articles/${a.id}/views`))
  t.equal(stats.total, 4)
  t.equal(stats.last24h, 4)
  t.equal(stats.last7d, 4)
  t.equal(stats.last30d, 4)
  t.equal(stats.daily.length, 30)
  t.same(stats.daily.at(-1), { date: '2026-11-26', views: 4 })
  t.equal(json((await app.inject(`/v1/articles/${a.id}`))).views, 4, 'the article shows the new total on the next read')

  app.now.ms += 31 * 60_000
  t.same((await view(app, a.id)).body, { counted: true }, 'after 30 minutes the same client counts again')
})

test('only published, visible articles can be viewed', async (t) => {
  const app = await build(t)
  const draft = await createArticle(app, { status: 'draft' })
  const scheduled = await createArticle(app, { publishedAt: '2026-12-01T00:00:00.000Z' })
  const trashed = await createArticle(app)
  const archived = await createArticle(app, { status: 'archived' })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })
  for (const a of [draft, scheduled, trashed, archived]) {
    const res = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/views` })
    t.equal(res.statusCode, 404, `${a.status} ${a.id}`)
    t.match(res.headers['content-type'], /application\/problem\+json/)
  }
  for (const bad of ['0', '99999999999999999999', 'no-such-slug', '%E0%A4%A', "'; DROP TABLE articles; --"]) {
    const res = await app.inject({ method: 'POST', url: `/v1/articles/${encodeURIComponent(bad)}/views` })
    t.ok(res.statusCode === 404 || res.statusCode === 400, `${bad}: ${res.statusCode}`)
  }
  const unknownField = await app.inject({ method: 'POST', url: '/v1/articles/1/views', payload: { x: 1 } })
  t.ok(unknownField.statusCode < 500)
  t.equal((await app.inject({ method: 'POST', url: `/v1/articles/${draft.id}/views`, headers: bearer('khb_wrong-key-000000000000000000000') })).statusCode, 401)
  await app.services.views.flush()
  t.equal(app.services.views.pending, 0)
  t.equal(await dbValue(app, 'SELECT count(*) FROM article_views_daily'), 0, 'nothing was counted')
  app.now.ms = Date.parse('2026-12-01T00:00:01.000Z')
  t.equal((await view(app, scheduled.id)).statusCode, 202, 'a scheduled article counts once its time has come')
})

test('view counts reach the database within a second, written by the timer', async (t) => {
  const app = await build(t, {}, { views: { flushIntervalMs: 100 } })
  const a = await createArticle(app)
  await view(app, a.id)
  const read = async (): Promise<number> => await dbValue(app, 'SELECT views FROM articles WHERE id = ?', a.id)
  const deadline = Date.now() + 5000
  while (await read() === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(await read(), 1)
  t.equal(app.services.views.pending, 0)
})

test('a big flush is written in slices, and nothing is lost when the app closes mid-flush', async (t) => {
  const app = await build(t, { RATE_LIMIT_VIEWS: '100000' }, { views: { flushIntervalMs: 20, sliceRows: 3 } })
  const ids: number[] = []
  for (let i = 0; i < 12; i++) ids.push((await createArticle(app)).id)
  let acknowledged = 0
  for (let i = 0; i < 1200; i++) {
    if ((await view(app, ids[i % ids.length], `ua-${i}`)).statusCode === 202) acknowledged++
    // Let the timer run now and then, as it does between requests on a real server.
    if (i % 100 === 99 && i < 1100) await new Promise(resolve => setTimeout(resolve, 30))
  }
  t.equal(acknowledged, 1200)
  t.ok(app.services.views.flushes > 0, 'the timer flushed while views came in')
  await app.close()
  t.same(await queryElsewhere(app, 'SELECT sum(views) AS n FROM articles'), [{ n: 1200 }], 'every acknowledged view is in articles.views')
  t.same(await queryElsewhere(app, 'SELECT sum(views) AS n FROM article_views_daily'), [{ n: 1200 }], 'and in the daily buckets')
})

// On SQLite a slice's write is synchronous, so what is in flight can be counted between two
// calls; on PostgreSQL it is a round trip, and the other view tests cover its flushes.
test('the timer flush writes one slice per event-loop turn; close writes the rest', { skip: ENGINE === 'postgres' && 'SQLite only: there a slice is written synchronously' }, async (t) => {
  const app = await build(t, {}, { views: { flushIntervalMs: 60_000, sliceRows: 3 } })
  const ids: number[] = []
  for (let i = 0; i < 12; i++) ids.push((await createArticle(app)).id)
  for (const id of ids) await view(app, id)
  const views = app.services.views
  views.flushSoon()
  t.equal(views.pending, 9, 'one slice of 3 articles written at once, 9 views still in flight')
  t.equal(await views.record(String(ids[0]), '198.51.100.9', 'a late reader'), true)
  views.flushSoon()
  t.equal(views.pending, 10, 'a view buffered meanwhile joins the slices in flight')
  await views.close()
  t.equal(views.pending, 0)
  t.equal(await dbValue(app, 'SELECT sum(views) FROM articles'), 13, 'each view written exactly once')
  views.flushSoon()
  t.equal(views.pending, 0, 'an empty buffer writes nothing')
})

test('the dedupe memory is bounded by an LRU of fixed size', async (t) => {
  const app = await build(t, {}, { views: { dedupeEntries: 100 } })
  const a = await createArticle(app)
  for (let i = 0; i < 500; i++) await view(app, a.id, `bot-${i}`)
  t.equal(app.services.views.rememberedClients, 100)
  t.equal(app.services.views.pending, 500)
  t.same((await view(app, a.id, 'bot-0')).body, { counted: true }, 'the oldest clients are forgotten first')
  t.same((await view(app, a.id, 'bot-499')).body, { counted: false }, 'recent ones are remembered')
})

test('the view route is rate limited per address, with problem+json 429', async (t) => {
  const app = await build(t, { RATE_LIMIT_VIEWS: '3' })
  const a = await createArticle(app)
  for (let i = 0; i < 3; i++) t.equal((await view(app, a.id, `ua-${i}`)).statusCode, 202)
  const res = await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/views`, remoteAddress: '203.0.113.7' })
  t.equal(res.statusCode, 429)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.match(json(res), { status: 429, type: 'urn:khabar:problem:rate-limited' })
  t.ok(res.headers['retry-after'] !== undefined)
  t.equal((await view(app, a.id, 'x', '198.51.100.9')).statusCode, 202, 'another address is not limited')
})

test('X-Forwarded-For is trusted only with TRUST_PROXY', async (t) => {
  const off = await build(t)
  const a = await createArticle(off)
  const post = async (app: typeof off, id: number, forwarded: string): Promise<any> => json(await app.inject({
    method: 'POST', url: `/v1/articles/${id}/views`, headers: { 'x-forwarded-for': forwarded, 'user-agent': 'same' }
  }))
  t.same(await post(off, a.id, '198.51.100.1'), { counted: true })
  t.same(await post(off, a.id, '198.51.100.2'), { counted: false }, 'without TRUST_PROXY the header is ignored')
  const on = await build(t, { TRUST_PROXY: 'true' })
  const b = await createArticle(on)
  t.same(await post(on, b.id, '198.51.100.1'), { counted: true })
  t.same(await post(on, b.id, '198.51.100.2'), { counted: true }, 'with TRUST_PROXY each forwarded address is a client')
})

test('daily buckets: 24h, 7d and 30d windows in the stats', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { publishedAt: '2026-10-01T00:00:00.000Z' })
  const at = async (iso: string, n: number): Promise<void> => {
    app.now.ms = Date.parse(iso)
    for (let i = 0; i < n; i++) await view(app, a.id, `${iso}-${i}`)
    await app.services.views.flush()
  }
  await at('2026-11-06T10:00:00.000Z', 5) // 20 days before
  await at('2026-11-22T10:00:00.000Z', 4) // 4 days before
  await at('2026-11-25T10:00:00.000Z', 10) // yesterday
  await at('2026-11-26T06:00:00.000Z', 3) // today, a quarter of the day gone
  const stats = json(await app.inject(`/v1/articles/${a.id}/views`))
  t.equal(stats.total, 22)
  t.equal(stats.last30d, 22)
  t.equal(stats.last7d, 17)
  t.equal(stats.last24h, 3 + Math.round(10 * 0.75), 'yesterday counts for the part of it still inside the last 24 hours')
  t.same(stats.daily.filter((d: any) => d.views > 0), [
    { date: '2026-11-06', views: 5 }, { date: '2026-11-22', views: 4 }, { date: '2026-11-25', views: 10 }, { date: '2026-11-26', views: 3 }
  ])
  const draft = await createArticle(app, { status: 'draft' })
  t.equal((await app.inject(`/v1/articles/${draft.id}/views`)).statusCode, 404, 'a draft has no public stats')
  t.equal((await app.inject({ url: `/v1/articles/${draft.id}/views`, headers: bearer(app.editorKey) })).statusCode, 200, 'editors see them')
})

test('rankings per window and category; hidden articles never ranked nor lifting their tags or category', async (t) => {
  const app = await build(t)
  const politics = await createCategory(app, { name: 'سياسة' })
  const local = await createCategory(app, { name: 'محليات', parentId: politics.id })
  const sport = await createCategory(app, { name: 'رياضة' })
  const a = await createArticle(app, { categoryId: politics.id, tags: ['سوريا'], publishedAt: '2026-10-01T00:00:00.000Z' })
  const b = await createArticle(app, { categoryId: local.id, tags: ['دمشق'], publishedAt: '2026-10-01T00:00:00.000Z' })
  const c = await createArticle(app, { categoryId: sport.id, tags: ['كرة القدم'], publishedAt: '2026-10-01T00:00:00.000Z' })
  const hidden = await createArticle(app, { categoryId: sport.id, tags: ['كرة القدم', 'سر'], publishedAt: '2026-10-01T00:00:00.000Z' })
  const hit = async (id: number, n: number): Promise<void> => { for (let i = 0; i < n; i++) await view(app, id, `${app.now.ms}-${id}-${i}`) }
  app.now.ms = Date.parse('2026-11-10T12:00:00.000Z')
  await hit(c.id, 50)
  await app.services.views.flush()
  app.now.ms = Date.parse('2026-11-23T12:00:00.000Z')
  await hit(a.id, 5)
  await app.services.views.flush()
  app.now.ms = Date.parse('2026-11-26T12:00:00.000Z')
  await hit(b.id, 3)
  await hit(a.id, 1)
  await hit(hidden.id, 500)
  await app.services.views.flush()
  await app.inject({ method: 'PATCH', url: `/v1/articles/${hidden.id}`, headers: bearer(app.editorKey), payload: { status: 'draft' } })

  const rank = async (path: string): Promise<any> => json(await app.inject(path))
  const ids = (r: any): number[] => r.data.map((x: any) => x.article.id)
  t.same(ids(await rank('/v1/rankings/articles?window=24h')), [b.id, a.id])
  const top = (await rank('/v1/rankings/articles?window=24h')).data[0]
  t.match(top, { rank: 1, views: 3, article: { id: b.id, title: b.title, tags: ['دمشق'] } })
  t.notOk('body' in top.article, 'ranked articles are summaries')
  t.same(ids(await rank('/v1/rankings/articles?window=7d')), [a.id, b.id])
  t.same(ids(await rank('/v1/rankings/articles?window=30d')), [c.id, a.id, b.id])
  t.same(ids(await rank('/v1/rankings/articles?window=all')), [c.id, a.id, b.id])
  t.same(ids(await rank('/v1/rankings/articles?window=30d&limit=1')), [c.id])
  t.same(ids(await rank(`/v1/rankings/articles?window=30d&category=${encodeURIComponent('سياسة')}`)), [a.id, b.id], 'a category includes its subcategories')
  t.same(ids(await rank(`/v1/rankings/articles?window=30d&category=${local.id}`)), [b.id])
  t.same((await rank('/v1/rankings/articles?category=no-such')).data, [])
  t.equal((await rank('/v1/rankings/articles')).meta.window, '24h', '24h is the default window')

  const tags = await rank('/v1/rankings/tags?window=30d')
  t.same(tags.data.map((x: any) => [x.tag.name, x.views]), [['كرة القدم', 50], ['سوريا', 6], ['دمشق', 3]], 'the draft lifts no tag, and its own tag is absent')
  t.same((await rank(`/v1/rankings/tags?window=all&category=${politics.id}`)).data.map((x: any) => x.tag.name), ['سوريا', 'دمشق'])
  const cats = await rank('/v1/rankings/categories?window=30d')
  t.same(cats.data.map((x: any) => [x.category.slug, x.views]), [['رياضة', 50], ['سياسة', 6], ['محليات', 3]])
  t.same((await rank('/v1/rankings/categories?window=24h')).data.map((x: any) => x.category.id), [local.id, politics.id])

  await app.inject({ method: 'DELETE', url: `/v1/articles/${c.id}`, headers: bearer(app.editorKey) })
  t.same(ids(await rank('/v1/rankings/articles?window=30d')), [a.id, b.id], 'a trashed article leaves the ranking at once')
  t.same((await rank('/v1/rankings/categories?window=30d')).data.map((x: any) => x.category.slug), ['سياسة', 'محليات'])
  const sorted = await rank('/v1/articles?sort=-views&fields=id,views')
  t.same(sorted.data.map((x: any) => x.id), [a.id, b.id], 'sort=-views lists visible articles by total views')

  for (const bad of ['window=1h', 'limit=0', 'limit=101', 'limit=abc', 'bogus=1', `category=${'x'.repeat(700)}`]) {
    const res = await app.inject(`/v1/rankings/articles?${bad}`)
    t.equal(res.statusCode, 400, bad)
    t.match(res.headers['content-type'], /application\/problem\+json/)
  }
})
