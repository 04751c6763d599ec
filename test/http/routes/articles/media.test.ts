import { test } from 'tap'
import { build, bearer, json, type TestApp } from '../../../helper.ts'
import { assertProblem, createArticle, createMedia, readArticle, snapshot } from '../../../factories.ts'

const put = async (app: TestApp, id: number | string, payload: unknown, headers: Record<string, string> = bearer(app.editorKey)) =>
  await app.inject({ method: 'PUT', url: `/v1/articles/${id}/media`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) })

test('PUT attaches media in order with roles; GET lists them the same way', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const image = await createMedia(app, { title: 'صورة من دمشق', alt: 'ساحة الأمويين' })
  const second = await createMedia(app)
  const third = await createMedia(app)
  const res = await put(app, a.id, [
    { mediaId: third.id, role: 'gallery', position: 2 },
    { mediaId: image.id, role: 'featured', position: 0 },
    { mediaId: second.id, role: 'inline', position: 1 }
  ])
  t.equal(res.statusCode, 200)
  const attached = json(res).data
  t.same(attached.map((m: { id: number }) => m.id), [image.id, second.id, third.id], 'by position')
  t.same(attached.map((m: { role: string }) => m.role), ['featured', 'inline', 'gallery'])
  t.same(attached.map((m: { position: number }) => m.position), [0, 1, 2])
  t.match(attached[0], { ...image, role: 'featured', position: 0 })

  for (const segment of [String(a.id), encodeURIComponent(a.slug), a.slug]) {
    const get = await app.inject({ url: `/v1/articles/${segment}/media` })
    t.equal(get.statusCode, 200)
    t.same(json(get).data, attached, `GET .../${segment.slice(0, 12)}/media`)
  }
  t.equal((await readArticle(app, a.id)).version, 2, 'attaching is a change')
})

test('without positions the list order is kept', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const m = [await createMedia(app), await createMedia(app), await createMedia(app)]
  const res = await put(app, a.id, [{ mediaId: m[2].id, role: 'inline' }, { mediaId: m[0].id, role: 'inline' }, { mediaId: m[1].id, role: 'gallery' }])
  t.same(json(res).data.map((x: { id: number }) => x.id), [m[2].id, m[0].id, m[1].id])
  t.same(json(res).data.map((x: { position: number }) => x.position), [0, 1, 2])
})

test('PUT replaces the list; an empty list detaches everything', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const one = await createMedia(app)
  const two = await createMedia(app)
  await put(app, a.id, [{ mediaId: one.id, role: 'featured' }])
  const replaced = json(await put(app, a.id, [{ mediaId: two.id, role: 'gallery' }])).data
  t.same(replaced.map((x: { id: number }) => x.id), [two.id])
  const emptied = await put(app, a.id, [])
  t.equal(emptied.statusCode, 200)
  t.same(json(emptied).data, [])
  t.same(json(await app.inject({ url: `/v1/articles/${a.id}/media` })).data, [])
  t.equal((await app.inject({ url: `/v1/media/${one.id}` })).statusCode, 200, 'detaching does not delete the media item')
})

test('hasVideo is true while a video (a YouTube link) is attached, false once it is detached', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const video = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  t.equal(video.kind, 'video')
  const image = await createMedia(app)
  t.equal(a.hasVideo, false)
  await put(app, a.id, [{ mediaId: image.id, role: 'featured' }])
  t.equal((await readArticle(app, a.id)).hasVideo, false, 'an image is not a video')
  await put(app, a.id, [{ mediaId: image.id, role: 'featured' }, { mediaId: video.id, role: 'inline' }])
  t.equal((await readArticle(app, a.id)).hasVideo, true)
  t.equal(json(await app.inject({ url: `/v1/articles/${a.id}` })).hasVideo, true, 'readers see it too')
  t.same(json(await app.inject({ url: '/v1/articles?hasVideo=true' })).data.map((x: { id: number }) => x.id), [a.id])
  await put(app, a.id, [{ mediaId: image.id, role: 'featured' }])
  t.equal((await readArticle(app, a.id)).hasVideo, false)
  t.same(json(await app.inject({ url: '/v1/articles?hasVideo=true' })).data, [])
  await put(app, a.id, [{ mediaId: video.id, role: 'featured' }])
  await put(app, a.id, [])
  t.equal((await readArticle(app, a.id)).hasVideo, false)
})

test('include=media on reads and lists matches GET .../media', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const one = await createMedia(app)
  await put(app, a.id, [{ mediaId: one.id, role: 'featured' }])
  const listed = json(await app.inject({ url: `/v1/articles/${a.id}/media` })).data
  t.same(json(await app.inject({ url: `/v1/articles/${a.id}?include=media` })).media, listed)
  t.same(json(await app.inject({ url: '/v1/articles?include=media' })).data[0].media, listed)
})

test('duplicate, unknown and two featured items are 400s that attach nothing', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const one = await createMedia(app)
  const two = await createMedia(app)
  await put(app, a.id, [{ mediaId: one.id, role: 'inline' }])
  const before = await snapshot(app)

  const dup = assertProblem(t, await put(app, a.id, [{ mediaId: two.id, role: 'inline' }, { mediaId: two.id, role: 'gallery' }]), 400)
  t.same(dup.errors.map((e: { path: string }) => e.path), ['/body/1/mediaId'])
  const unknown = assertProblem(t, await put(app, a.id, [{ mediaId: two.id, role: 'inline' }, { mediaId: 4242, role: 'inline' }]), 400)
  t.same(unknown.errors.map((e: { path: string }) => e.path), ['/body/1/mediaId'])
  t.match(unknown.errors[0].message, /4242/)
  const featured = assertProblem(t, await put(app, a.id, [{ mediaId: one.id, role: 'featured' }, { mediaId: two.id, role: 'featured' }]), 400)
  t.same(featured.errors.map((e: { path: string }) => e.path), ['/body'])
  const all = assertProblem(t, await put(app, a.id, [
    { mediaId: one.id, role: 'featured' }, { mediaId: one.id, role: 'featured' }, { mediaId: 999, role: 'gallery' }
  ]), 400)
  t.equal(all.errors.length, 3, 'every problem is listed')
  t.same(await snapshot(app), before, 'nothing attached, version unchanged')
})

test('bad media bodies are 400s naming the field', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const one = await createMedia(app)
  const before = await snapshot(app)
  const cases: Array<[unknown, string]> = [
    [{}, '/body'],
    [{ mediaId: one.id, role: 'featured' }, '/body'],
    ['x', '/body'],
    [[{ mediaId: String(one.id), role: 'featured' }], '/body/0/mediaId'],
    [[{ mediaId: 0, role: 'featured' }], '/body/0/mediaId'],
    [[{ mediaId: -1, role: 'featured' }], '/body/0/mediaId'],
    [[{ mediaId: 1.5, role: 'featured' }], '/body/0/mediaId'],
    [[{ role: 'featured' }], '/body/0/mediaId'],
    [[{ mediaId: one.id }], '/body/0/role'],
    [[{ mediaId: one.id, role: 'cover' }], '/body/0/role'],
    [[{ mediaId: one.id, role: 'featured', position: -1 }], '/body/0/position'],
    [[{ mediaId: one.id, role: 'featured', position: 'first' }], '/body/0/position'],
    [[{ mediaId: one.id, role: 'featured', caption: 'x' }], '/body/0/caption'],
    [[null], '/body/0'],
    [Array.from({ length: 201 }, (_, i) => ({ mediaId: i + 1, role: 'gallery' })), '/body']
  ]
  for (const [payload, path] of cases) {
    const res = await put(app, a.id, payload)
    const problem = assertProblem(t, res, 400, JSON.stringify(payload).slice(0, 60))
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${path} in ${JSON.stringify(problem.errors).slice(0, 200)}`)
  }
  t.same(await snapshot(app), before)
})

test('media of a missing article: PUT 404, GET 404; bad ids 400 or 404', async (t) => {
  const app = await build(t)
  const one = await createMedia(app)
  assertProblem(t, await put(app, 999, [{ mediaId: one.id, role: 'featured' }]), 404)
  assertProblem(t, await put(app, 999, [{ mediaId: 12345, role: 'featured' }]), 404)
  assertProblem(t, await app.inject({ url: '/v1/articles/999/media' }), 404)
  assertProblem(t, await app.inject({ url: '/v1/articles/no-such-slug/media' }), 404)
  for (const id of ['0', '-1', '99999999999999999999', 'abc']) {
    const res = await put(app, id, [{ mediaId: one.id, role: 'featured' }])
    t.ok(res.statusCode < 500, `PUT ${id}: ${res.statusCode}`)
    assertProblem(t, res, 400)
    const get = await app.inject({ url: `/v1/articles/${id}/media` })
    t.ok(get.statusCode < 500, `GET ${id}: ${get.statusCode}`)
    assertProblem(t, get, 404)
  }
})

test('the media of drafts, scheduled and trashed articles are hidden from readers', async (t) => {
  const app = await build(t)
  const one = await createMedia(app)
  const draft = await createArticle(app, { status: 'draft' })
  const scheduled = await createArticle(app, { publishedAt: '2026-12-01T00:00:00.000Z' })
  const trashed = await createArticle(app)
  for (const a of [draft, scheduled, trashed]) await put(app, a.id, [{ mediaId: one.id, role: 'featured' }])
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })
  for (const a of [draft, scheduled, trashed]) {
    assertProblem(t, await app.inject({ url: `/v1/articles/${a.id}/media` }), 404)
    assertProblem(t, await app.inject({ url: `/v1/articles/${encodeURIComponent(a.slug)}/media` }), 404)
    const editor = await app.inject({ url: `/v1/articles/${a.id}/media`, headers: bearer(app.editorKey) })
    t.equal(editor.statusCode, 200)
    t.equal(json(editor).data[0].id, one.id)
  }
})

test('deleting a media item detaches it and refreshes hasVideo', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const video = await createMedia(app, { url: 'https://youtu.be/dQw4w9WgXcQ' })
  await put(app, a.id, [{ mediaId: video.id, role: 'featured' }])
  t.equal((await readArticle(app, a.id)).hasVideo, true)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/media/${video.id}`, headers: bearer(app.editorKey) })).statusCode, 204)
  t.equal((await readArticle(app, a.id)).hasVideo, false)
  t.same(json(await app.inject({ url: `/v1/articles/${a.id}/media` })).data, [])
})

test('PUT media answers the article\'s new ETag: it is the next If-Match, the ETag read before is stale', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const image = await createMedia(app)
  const read = await app.inject({ url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey) })
  const readEtag = read.headers.etag as string
  t.match(readEtag, new RegExp(`^"${a.version}-`), 'a read ETag starts with the version')

  const res = await put(app, a.id, [{ mediaId: image.id, role: 'featured' }])
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, `"${a.version + 1}"`, 'the new version, as PATCH sends it')
  const patch = async (ifMatch: string) => await app.inject({
    method: 'PATCH', url: `/v1/articles/${a.id}`, headers: { ...bearer(app.editorKey), 'if-match': ifMatch }, payload: { breaking: true }
  })
  t.equal(assertProblem(t, await patch(readEtag), 412, 'the ETag from before the PUT').type, 'urn:khabar:problem:precondition-failed')
  const ok = await patch(res.headers.etag as string)
  t.equal(ok.statusCode, 200, 'the PUT\'s ETag')
  t.equal(json(ok).version, a.version + 2)
  t.equal(ok.headers.etag, `"${a.version + 2}"`)

  const again = await put(app, a.id, [])
  t.equal(again.headers.etag, `"${a.version + 3}"`, 'every PUT is a new version with its ETag')
  t.equal((await readArticle(app, a.id)).version, a.version + 3)
  const refused = await put(app, a.id, [{ mediaId: 424242, role: 'inline' }])
  assertProblem(t, refused, 400, 'a refused PUT')
  t.equal(refused.headers.etag, undefined, 'carries no ETag')
  const missing = await put(app, 424242, [])
  assertProblem(t, missing, 404, 'no such article')
  t.equal(missing.headers.etag, undefined)
})
