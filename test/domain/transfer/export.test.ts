import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'tap'
import { build, bearer, dbValue, json, type TestApp } from '../../helper.ts'
import { assertProblem, attachMedia, createArticle, createCategory, createMedia, snapshot } from '../../factories.ts'

const ndjsonHeaders = (app: TestApp): Record<string, string> => ({ ...bearer(app.editorKey), 'content-type': 'application/x-ndjson' })

async function exportAll (app: TestApp, query = ''): Promise<string> {
  const res = await app.inject({ url: `/v1/export${query}`, headers: bearer(app.editorKey) })
  if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}: ${res.body}`)
  return res.body
}

const count = async (app: TestApp): Promise<number> => await dbValue(app, 'SELECT count(*) FROM articles')

test('export streams every article not in the trash, by id, in the shape import takes', async (t) => {
  const app = await build(t)
  const category = await createCategory(app, { slug: 'politics' })
  const a = await createArticle(app, { categoryId: category.id, tags: ['سوريا', 'دمشق'], source: { name: 'وكالات' }, externalId: 'ext-a', subtitle: 'عنوان فرعي' })
  const video = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', title: 'فيديو', width: 640, height: 360 })
  await attachMedia(app, a.id, [{ mediaId: video.id, role: 'featured' }])
  const draft = await createArticle(app, { status: 'draft', breaking: true, commentCount: 4 })
  const trashed = await createArticle(app)
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })

  const res = await app.inject({ url: '/v1/export', headers: bearer(app.editorKey) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/x-ndjson/)
  const lines = res.body.trimEnd().split('\n').map(l => JSON.parse(l))
  t.same(lines.map(l => l.slug), [a.slug, draft.slug], 'by id, trash left out')
  t.same(lines[0], {
    title: a.title,
    slug: a.slug,
    subtitle: 'عنوان فرعي',
    excerpt: null,
    body: a.body,
    lang: 'ar',
    status: 'published',
    publishedAt: a.publishedAt,
    category: 'politics',
    tags: ['سوريا', 'دمشق'],
    author: null,
    source: { name: 'وكالات', url: null },
    breaking: false,
    commentCount: 0,
    externalId: 'ext-a',
    media: [{
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      kind: 'video',
      title: 'فيديو',
      caption: null,
      alt: null,
      credit: null,
      thumbnailUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
      durationSeconds: null,
      width: 640,
      height: 360,
      role: 'featured',
      position: 0
    }]
  })
  t.match(lines[1], { status: 'draft', publishedAt: null, category: null, breaking: true, commentCount: 4, media: [] })
})

test('export, then import the export: every line is unchanged', async (t) => {
  const app = await build(t)
  const category = await createCategory(app)
  for (let i = 0; i < 5; i++) {
    const a = await createArticle(app, { categoryId: category.id, tags: [`وسم ${i}`], excerpt: `ملخص ${i}`, author: 'مريم سعيد', body: `<p>فقرة <strong>مهمة</strong> ${i}</p><p><a href="https://example.com/${i}">رابط</a></p>` })
    const media = await createMedia(app)
    await attachMedia(app, a.id, [{ mediaId: media.id, role: 'gallery', position: 2 }])
  }
  await createArticle(app, { status: 'archived', externalId: 'old-1', source: { name: 'خاص', url: 'https://example.com/s' } })
  await createArticle(app, { status: 'published', publishedAt: '2027-01-01T00:00:00.000Z' })
  const exported = await exportAll(app)
  const before = await snapshot(app)
  const res = await app.inject({ method: 'POST', url: '/v1/import', headers: ndjsonHeaders(app), payload: exported })
  t.same(json(res), { created: 0, updated: 0, unchanged: 7, failed: 0, errors: [], moreErrors: 0, dryRun: false })
  t.same(await snapshot(app), before)

  // Into an empty database the same file makes the same articles.
  const copy = await build(t)
  const into = json(await copy.inject({ method: 'POST', url: '/v1/import', headers: ndjsonHeaders(copy), payload: exported }))
  t.equal(into.created, 7)
  t.equal(await exportAll(copy), exported, 'and exports the same lines')
})

test('since= exports the articles changed at or after a time', async (t) => {
  const app = await build(t)
  await createArticle(app)
  app.now.ms += 60_000
  const later = await createArticle(app)
  const lines = (await exportAll(app, `?since=${encodeURIComponent(later.updatedAt)}`)).trimEnd().split('\n')
  t.same(lines.map(l => JSON.parse(l).slug), [later.slug])
  t.equal(await exportAll(app, '?since=2099-01-01T00:00:00Z'), '')
  assertProblem(t, await app.inject({ url: '/v1/export?since=yesterday', headers: bearer(app.editorKey) }), 400)
  assertProblem(t, await app.inject({ url: '/v1/export?since=2026-06-30T23:59:60Z', headers: bearer(app.editorKey) }), 400)
  assertProblem(t, await app.inject({ url: '/v1/export' }), 401)
})

test('export pages through a large archive', async (t) => {
  const app = await build(t)
  const lines = Array.from({ length: 450 }, (_, i) => JSON.stringify({ title: `خبر ${i + 1}`, slug: `k-${i + 1}`, status: 'published' })).join('\n')
  await app.inject({ method: 'POST', url: '/v1/import', headers: ndjsonHeaders(app), payload: lines })
  const out = (await exportAll(app)).trimEnd().split('\n')
  t.equal(out.length, 450)
  t.equal(JSON.parse(out[449]).slug, 'k-450')
})

// A real server and a real socket: the body arrives in pieces, and the client goes away.
test('a client that disconnects midway leaves the committed batches and no partial article; a rerun completes', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const line = (i: number): string => JSON.stringify({ externalId: `cut-${i}`, title: `خبر مقطوع ${i}`, body: `<p>${'نص '.repeat(20)}</p>`, status: 'published', tags: ['مقطوع'] }) + '\n'
  const all = Array.from({ length: 600 }, (_, i) => line(i + 1))

  await new Promise<void>((resolve, reject) => {
    const req = request({ port, method: 'POST', path: '/v1/import', headers: ndjsonHeaders(app) })
    req.on('error', () => { resolve() })
    req.on('response', () => { reject(new Error('the server answered a body that never ended')) })
    req.write(all.slice(0, 550).join(''))
    const half = line(551)
    req.write(half.slice(0, half.length >> 1))
    // Five batches of 100 lines are committed while the body is still coming; the 50
    // lines after them wait for a sixth that never fills.
    const poll = setInterval(() => {
      count(app).then(n => {
        if (n < 500) return
        clearInterval(poll)
        setTimeout(() => { req.destroy() }, 100)
      }, () => {})
    }, 20)
  })
  // Time for the server to see the disconnect.
  await new Promise(resolve => setTimeout(resolve, 200))
  t.equal(await count(app), 500, 'the committed batches stay; the lines after them were not committed')
  const tagged = await dbValue(app, "SELECT count(*) FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = 'مقطوع'")
  t.equal(tagged, 500, 'every article that is there has its tags')

  const rerun = await fetch(`http://127.0.0.1:${port}/v1/import`, { method: 'POST', headers: ndjsonHeaders(app), body: all.join('') })
  t.same(await rerun.json(), { created: 100, updated: 0, unchanged: 500, failed: 0, errors: [], moreErrors: 0, dryRun: false })
  t.equal(await count(app), 600)
})
