import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { assertProblem, createArticle } from '../../../factories.ts'

const SAME_TIME = '2026-11-25T08:00:00.000Z'

// Follows the Link header (not meta.nextCursor) from the first page to the last.
async function walk (t: any, app: TestApp, first: string, headers: Record<string, string> = {}): Promise<{ ids: number[], pages: number }> {
  const seen: number[] = []
  let url: string | null = first
  let pages = 0
  while (url !== null) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, 200, url)
    const body = json(res)
    seen.push(...body.data.map((a: { id: number }) => a.id))
    pages++
    const link = res.headers.link as string | undefined
    if (body.meta.nextCursor === null) {
      t.equal(link, undefined, 'no Link on the last page')
      url = null
    } else {
      t.ok(link, 'a Link while there is a next page')
      const match = /^<([^>]+)>; rel="next"$/.exec(link as string)
      t.ok(match, `Link is <...>; rel="next": ${link}`)
      const next = new URL((match as RegExpExecArray)[1], 'http://localhost')
      t.equal(next.searchParams.get('cursor'), body.meta.nextCursor, 'the Link carries meta.nextCursor')
      url = next.pathname + next.search
    }
    if (pages > 100) throw new Error('too many pages')
  }
  return { ids: seen, pages }
}

test('keyset pages over many articles sharing one publishedAt: each exactly once, no gaps', async (t) => {
  const app = await build(t)
  const made = new Set<number>()
  for (let i = 0; i < 47; i++) made.add((await createArticle(app, { publishedAt: SAME_TIME })).id)
  // Some around the tie, so the boundary is crossed too.
  for (const time of ['2026-11-25T09:00:00.000Z', '2026-11-25T07:00:00.000Z', '2026-11-24T00:00:00.000Z']) {
    made.add((await createArticle(app, { publishedAt: time })).id)
  }
  const expectedDesc = [...made].sort((a, b) => b - a)
  for (const limit of [1, 7, 10, 49, 50]) {
    for (const sort of ['-publishedAt', 'publishedAt', '-updatedAt', '-views']) {
      const { ids, pages } = await walk(t, app, `/v1/articles?limit=${limit}&sort=${sort}`)
      t.equal(ids.length, made.size, `limit=${limit} sort=${sort}: ${made.size} rows`)
      t.equal(new Set(ids).size, ids.length, 'no duplicates')
      t.same(new Set(ids), made, 'no gaps')
      t.equal(pages, Math.ceil(made.size / limit), 'no empty last page')
    }
  }
  // Within the tie the order is by id.
  const { ids } = await walk(t, app, '/v1/articles?limit=7')
  t.same(ids.slice(1, 48), expectedDesc.filter(id => id <= 47), 'the tied block newest id first')
  const asc = (await walk(t, app, '/v1/articles?limit=7&sort=publishedAt')).ids
  t.same(asc.slice(2, 49), [...expectedDesc.filter(id => id <= 47)].reverse())
})

test('key holders page the same way, drafts and scheduled included', async (t) => {
  const app = await build(t)
  const made = new Set<number>()
  for (let i = 0; i < 25; i++) {
    const overrides = i % 3 === 0 ? { status: 'draft' } : i % 3 === 1 ? { publishedAt: SAME_TIME } : { publishedAt: '2027-01-01T00:00:00.000Z' }
    made.add((await createArticle(app, overrides)).id)
  }
  for (const sort of ['-publishedAt', 'publishedAt', '-updatedAt', '-views']) {
    const { ids } = await walk(t, app, `/v1/articles?limit=4&sort=${sort}`, bearer(app.editorKey))
    t.equal(ids.length, 25, sort)
    t.same(new Set(ids), made, sort)
  }
  const anon = await walk(t, app, '/v1/articles?limit=4')
  t.equal(anon.ids.length, 8, 'readers page through the published ones only')
})

test('the Link keeps the other query parameters, and is absolute with SITE_URL', async (t) => {
  const app = await build(t, { SITE_URL: 'https://news.example.com/' })
  for (let i = 0; i < 3; i++) await createArticle(app, { tags: ['دمشق'], lang: 'ar' })
  const res = await app.inject({ url: `/v1/articles?limit=2&tag=${encodeURIComponent('دمشق')}&lang=ar&count=true` })
  const link = res.headers.link as string
  t.match(link, /^<https:\/\/news\.example\.com\/v1\/articles\?[^>]+>; rel="next"$/)
  const next = new URL(link.slice(1, link.indexOf('>')))
  t.equal(next.searchParams.get('tag'), 'دمشق')
  t.equal(next.searchParams.get('lang'), 'ar')
  t.equal(next.searchParams.get('limit'), '2')
  t.equal(next.searchParams.get('count'), 'true')
  const second = await app.inject({ url: next.pathname + next.search })
  t.equal(json(second).data.length, 1)
  t.equal(json(second).meta.total, 3)
  t.equal(second.headers.link, undefined)
})

test('the default page is 20; limit=100 is the most', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 21; i++) await createArticle(app, { publishedAt: SAME_TIME })
  const first = json(await app.inject({ url: '/v1/articles' }))
  t.equal(first.data.length, 20)
  t.type(first.meta.nextCursor, 'string')
  const all = json(await app.inject({ url: '/v1/articles?limit=100' }))
  t.equal(all.data.length, 21)
  t.equal(all.meta.nextCursor, null)
})

test('an exact multiple of the page size ends without an empty page', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 4; i++) await createArticle(app)
  const first = json(await app.inject({ url: '/v1/articles?limit=2' }))
  const second = await app.inject({ url: `/v1/articles?limit=2&cursor=${first.meta.nextCursor}` })
  t.equal(json(second).data.length, 2)
  t.equal(json(second).meta.nextCursor, null)
  t.equal(second.headers.link, undefined)
})

test('tampered cursors are 400 problems, never 500', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 3; i++) await createArticle(app)
  const real = json(await app.inject({ url: '/v1/articles?limit=1' })).meta.nextCursor as string
  const viewsCursor = json(await app.inject({ url: '/v1/articles?limit=1&sort=-views' })).meta.nextCursor as string
  const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
  const decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8'))
  const tampered = [
    'not-a-cursor',
    'AAAA',
    '!!!!',
    '%%%',
    Buffer.from('random bytes \u0000\u00ff').toString('base64'),
    b64('{"a":1}'),
    b64('null'),
    b64('[]'),
    b64('"-publishedAt"'),
    b64(['-publishedAt']),
    b64(['-publishedAt', 1]),
    b64(['-publishedAt', 1, 1, 1]),
    b64(['-publishedAt', '1', 1]),
    b64(['-publishedAt', 1.5, 1]),
    b64(['-publishedAt', 1e300, 1]),
    b64(['-publishedAt', null, 1]),
    b64(['-publishedAt', 1, 0]),
    b64(['-publishedAt', 1, -1]),
    b64(['-publishedAt', 1, '1']),
    b64(['-publishedAt', 1, 2 ** 60]),
    b64(['-publishedAt', { $gt: 0 }, 1]),
    b64(["-publishedAt'; DROP TABLE articles; --", 1, 1]),
    b64(['title', 1, 1]),
    b64([decoded[0], decoded[1], decoded[2], 'extra']),
    real.slice(0, -3),
    real + 'x'.repeat(5),
    viewsCursor
  ]
  for (const cursor of tampered) {
    const res = await app.inject({ url: `/v1/articles?limit=1&cursor=${encodeURIComponent(cursor)}` })
    t.ok(res.statusCode < 500, `${cursor}: ${res.statusCode}`)
    if (res.statusCode === 200) {
      // A truncated base64 string can still decode to the same JSON: then it is that cursor.
      t.same(json(res), json(await app.inject({ url: `/v1/articles?limit=1&cursor=${real}` })), `${cursor} read as the real cursor`)
    } else {
      const problem = assertProblem(t, res, 400, cursor)
      t.equal(problem.errors[0].path, '/querystring/cursor')
    }
  }
  // A cursor from one sort is refused by another.
  const other = await app.inject({ url: `/v1/articles?limit=1&sort=publishedAt&cursor=${real}` })
  t.equal(assertProblem(t, other, 400).errors[0].path, '/querystring/cursor')
  const views = await app.inject({ url: `/v1/articles?limit=1&cursor=${viewsCursor}` })
  assertProblem(t, views, 400)
  // The real one still works.
  t.equal((await app.inject({ url: `/v1/articles?limit=1&cursor=${real}` })).statusCode, 200)
})

test('a cursor past the end gives an empty last page', async (t) => {
  const app = await build(t)
  await createArticle(app)
  const cursor = Buffer.from(JSON.stringify(['-publishedAt', 0, 1])).toString('base64url')
  const res = await app.inject({ url: `/v1/articles?cursor=${cursor}` })
  t.equal(res.statusCode, 200)
  t.same(json(res), { data: [], meta: { nextCursor: null } })
})
