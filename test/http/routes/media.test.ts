import { test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { build, bearer, json, type TestApp } from '../../helper.ts'
import { assertNeedsKey, assertProblem, attachMedia, createArticle, createMedia, importNdjson, listAll, readArticle, type Call } from '../../factories.ts'

// Every media item GET /v1/media lists for a query, page after page.
const allMedia = async (app: TestApp, query = 'limit=100', headers: Record<string, string> = {}): Promise<any[]> =>
  await listAll(app, `/v1/media?${query}`, headers)

test('POST /v1/media derives provider, embedUrl and kind from the URL', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string | null, string]> = [
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'https://www.youtube.com/embed/dQw4w9WgXcQ', 'video'],
    ['https://youtu.be/aqz-KE-bpKQ?t=90', 'youtube', 'https://www.youtube.com/embed/aqz-KE-bpKQ?start=90', 'video'],
    ['https://www.youtube.com/shorts/M7lc1UVf-VE', 'youtube', 'https://www.youtube.com/embed/M7lc1UVf-VE', 'video'],
    ['https://vimeo.com/76979871', 'vimeo', 'https://player.vimeo.com/video/76979871', 'video'],
    ['https://www.dailymotion.com/video/x8abcd1', 'dailymotion', 'https://www.dailymotion.com/embed/video/x8abcd1', 'video'],
    ['https://www.facebook.com/aljazeera/videos/1234567890/', 'facebook', `https://www.facebook.com/plugins/video.php?href=${encodeURIComponent('https://www.facebook.com/aljazeera/videos/1234567890/')}`, 'video'],
    ['https://www.facebook.com/aljazeera/posts/1', 'facebook', null, 'embed'],
    ['https://x.com/AJArabic/status/1790000000000000000', 'x', 'https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000', 'embed'],
    ['https://twitter.com/AJArabic/status/1790000000000000001', 'x', 'https://platform.twitter.com/embed/Tweet.html?id=1790000000000000001', 'embed'],
    ['https://soundcloud.com/aljazeera/podcast-episode-1', 'soundcloud', `https://w.soundcloud.com/player/?url=${encodeURIComponent('https://soundcloud.com/aljazeera/podcast-episode-1')}`, 'audio'],
    ['https://cdn.example.com/photos/damascus.jpg', 'other', null, 'image'],
    ['https://cdn.example.com/audio/report.mp3', 'other', null, 'audio'],
    ['https://cdn.example.com/video/clip.mp4', 'other', null, 'video'],
    ['https://cdn.example.com/docs/report.pdf', 'other', null, 'document'],
    ['http://news.example.org/live', 'other', null, 'embed'],
    ['https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ', 'other', null, 'embed']
  ]
  for (const [url, provider, embedUrl, kind] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url } })
    t.equal(res.statusCode, 201, url)
    const item = json(res)
    t.equal(res.headers.location, `/v1/media/${item.id}`)
    t.match(item, { url, provider, embedUrl, kind }, url)
    t.same(json(await app.inject({ method: 'GET', url: `/v1/media/${item.id}` })), item, 'reads back the same')
  }
  t.equal((await allMedia(app)).length, cases.length)

  const kept = await createMedia(app, { url: 'https://www.youtube.com/watch?v=9bZkp7q19f0', kind: 'embed' })
  t.match(kept, { provider: 'youtube', kind: 'embed', embedUrl: 'https://www.youtube.com/embed/9bZkp7q19f0' }, 'a given kind is kept')
  const doc = await createMedia(app, { url: 'https://cdn.example.com/scan.png', kind: 'document' })
  t.equal(doc.kind, 'document')

  // Every writable field but the URL is stored as sent.
  const fields = {
    title: 'غزة من الجو',
    caption: 'صورة جوية',
    alt: 'مبانٍ مدمرة',
    credit: 'وكالة الأنباء',
    thumbnailUrl: 'https://cdn.example.com/photos/gaza-thumb.webp',
    durationSeconds: 0,
    width: 1920,
    height: 1080
  }
  const full = await createMedia(app, { url: '  https://CDN.Example.com/photos/gaza.webp  ', ...fields })
  t.same(full, {
    id: full.id,
    url: 'https://cdn.example.com/photos/gaza.webp',
    kind: 'image',
    provider: 'other',
    embedUrl: null,
    ...fields,
    createdAt: '2026-11-26T12:00:00.000Z',
    updatedAt: '2026-11-26T12:00:00.000Z'
  }, 'every field stored; the URL trimmed and normalised')
  const nulls = await createMedia(app, { url: 'https://cdn.example.com/n.gif', title: null, thumbnailUrl: null, width: null })
  t.match(nulls, { title: null, thumbnailUrl: null, width: null, caption: null })
  const admin = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.adminKey), payload: { url: 'https://cdn.example.com/admin.jpg' } })
  t.equal(admin.statusCode, 201, 'admins may create too')
})

test('a URL already stored is 409; unsafe URLs are 400 and create nothing', async (t) => {
  const app = await build(t)
  const first = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  for (const url of ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ', ' https://www.youtube.com/watch?v=dQw4w9WgXcQ\n']) {
    const res = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url } })
    const body = assertProblem(t, res, 409, `duplicate ${JSON.stringify(url)}`)
    t.equal(body.type, 'urn:khabar:problem:media-exists')
    t.match(body.detail, String(first.id), 'the problem names the existing item')
  }

  const bad = [
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/png;base64,iVBORw0KGgo=',
    'ftp://x',
    'file:///etc/passwd',
    'mailto:news@example.com',
    'vbscript:msgbox(1)',
    '/relative/path.jpg',
    'relative.jpg',
    '//example.com/protocol-relative.jpg',
    'https://user:pass@host/',
    'https://user@example.com/a.jpg',
    'https://',
    'https:example.com/a.jpg',
    'http://[::1',
    '   ',
    `https://example.com/${'a'.repeat(2040)}`,
    '\'; DROP TABLE media; --',
    '<script>alert(1)</script>'
  ]
  for (const url of bad) {
    const res = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url } })
    const body = assertProblem(t, res, 400, `url ${JSON.stringify(url.slice(0, 50))}`)
    t.ok(body.errors.some((e: any) => e.path === '/body/url'), 'the error points at /body/url')
    const thumb = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url: 'https://cdn.example.com/ok.jpg', thumbnailUrl: url } })
    const thumbBody = assertProblem(t, thumb, 400, `thumbnailUrl ${JSON.stringify(url.slice(0, 50))}`)
    t.ok(thumbBody.errors.some((e: any) => e.path === '/body/thumbnailUrl'), 'the error points at /body/thumbnailUrl')
  }
  t.same((await allMedia(app)).map(x => x.id), [first.id], 'nothing was created')
})

test('one item per thing shown: another form of a stored link is 409 with existingId; url is kept as given', async (t) => {
  const app = await build(t)
  const post = async (payload: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: payload as any })
  const patch = async (id: number, payload: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'PATCH', url: `/v1/media/${id}`, headers: bearer(app.editorKey), payload: payload as any })

  const video = await createMedia(app, { url: 'https://youtu.be/dQw4w9WgXcQ?si=shared' })
  t.equal(video.url, 'https://youtu.be/dQw4w9WgXcQ?si=shared', 'url is stored as given (parsed), not rewritten')
  t.notOk('canonicalUrl' in video, 'the canonical URL stays inside: url is what the client knows')
  const forms = [
    'https://youtu.be/dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://youtube.com/watch?v=dQw4w9WgXcQ',
    'https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10',
    'https://www.youtube.com/shorts/dQw4w9WgXcQ',
    'https://www.youtube.com/embed/dQw4w9WgXcQ',
    'http://www.youtube.com/watch?v=dQw4w9WgXcQ&utm_source=newsletter#t=3'
  ]
  for (const url of forms) {
    const body = assertProblem(t, await post({ url, title: 'نسخة' }), 409, url)
    t.equal(body.type, 'urn:khabar:problem:media-exists')
    t.equal(body.existingId, video.id, `${url}: existingId names the item`)
    t.match(body.detail, `Media ${video.id}`, 'and so does the detail')
    t.match(body.detail, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'with the canonical form')
  }
  const others: Array<[string, string]> = [
    ['https://vimeo.com/76979871', 'https://player.vimeo.com/video/76979871?autoplay=1'],
    ['https://www.dailymotion.com/video/x8abcd1_news', 'https://dai.ly/x8abcd1'],
    ['https://twitter.com/AJArabic/status/1790000000000000000?s=20', 'https://x.com/ajarabic/status/1790000000000000000'],
    ['https://m.facebook.com/watch/?v=1234567890', 'https://www.facebook.com/watch?v=1234567890&mibextid=x'],
    ['https://soundcloud.com/aljazeera/episode-1', 'https://m.soundcloud.com/aljazeera/episode-1/?si=1'],
    ['https://cdn.example.com/photos/a.jpg', 'https://CDN.example.com/photos/a.jpg?utm_campaign=x#top']
  ]
  for (const [first, second] of others) {
    const item = await createMedia(app, { url: first })
    t.equal(assertProblem(t, await post({ url: second }), 409, second).existingId, item.id, `${second} is ${first}`)
  }
  const distinct = ['https://youtu.be/aqz-KE-bpKQ', 'https://vimeo.com/76979871/a1b2c3d4e5', 'https://cdn.example.com/photos/a.jpg/', 'https://cdn.example.com/photos/a.jpg?size=large']
  for (const url of distinct) t.equal((await post({ url })).statusCode, 201, `${url} is another item`)

  // PATCH: onto another item's canonical URL is 409; another form of its own is a change.
  const image = await createMedia(app, { url: 'https://cdn.example.com/b.jpg' })
  const before = await allMedia(app)
  for (const url of ['https://www.youtube.com/shorts/dQw4w9WgXcQ', 'https://youtu.be/dQw4w9WgXcQ?si=shared']) {
    const clash = assertProblem(t, await patch(image.id, { url, title: 'لن يحفظ' }), 409, `PATCH onto ${url}`)
    t.equal(clash.type, 'urn:khabar:problem:media-exists')
    t.equal(clash.existingId, video.id)
  }
  t.same(await allMedia(app), before, 'the refused PATCHes changed nothing')
  const moved = await patch(video.id, { url: 'https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10' })
  t.equal(moved.statusCode, 200, 'its own item in another form')
  t.match(json(moved), { url: 'https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10', embedUrl: 'https://www.youtube.com/embed/dQw4w9WgXcQ?start=10' })
  t.equal(assertProblem(t, await post({ url: 'https://youtu.be/dQw4w9WgXcQ' }), 409, 'still one item').existingId, video.id)
  const away = await patch(video.id, { url: 'https://youtu.be/9bZkp7q19f0' })
  t.equal(away.statusCode, 200)
  t.equal((await post({ url: 'https://youtu.be/dQw4w9WgXcQ' })).statusCode, 201, 'a URL given up is free again')
  t.equal(assertProblem(t, await post({ url: 'https://www.youtube.com/watch?v=9bZkp7q19f0' }), 409, 'the new one is held').existingId, video.id)

  // An import finds an item by any of its forms, and a line naming one item twice fails.
  const line = (media: unknown[]): string => JSON.stringify({ title: 'خبر مستورد', body: '<p>نص</p>', externalId: 'canon-1', media }) + '\n'
  const imported = await importNdjson(app, line([{ url: 'https://www.youtube.com/shorts/9bZkp7q19f0' }]))
  t.equal(imported.created, 1, imported)
  const importedId = json(await app.inject({ url: '/v1/articles?limit=100', headers: bearer(app.editorKey) })).data.find((a: any) => a.title === 'خبر مستورد').id
  t.same(json(await app.inject({ url: `/v1/articles/${importedId}/media`, headers: bearer(app.editorKey) })).data.map((m: any) => m.id), [video.id], 'reused, not created')
  const twice = await importNdjson(app, line([{ url: 'https://youtu.be/aqz-KE-bpKQ' }, { url: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=5' }]))
  t.equal(twice.failed, 1)
  t.same(twice.errors[0].errors, [{ path: '/media/1/url', message: 'is listed twice' }])
})

test('thumbnailUrl: derived when not given (YouTube, Dailymotion, images), null when null, kept when given', async (t) => {
  const app = await build(t)
  const patch = async (id: number, payload: unknown): Promise<any> =>
    json(await app.inject({ method: 'PATCH', url: `/v1/media/${id}`, headers: bearer(app.editorKey), payload: payload as any }))
  const cases: Array<[Record<string, unknown>, string | null]> = [
    [{ url: 'https://youtu.be/dQw4w9WgXcQ' }, 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg'],
    [{ url: 'https://www.youtube.com/shorts/aqz-KE-bpKQ', kind: 'embed' }, 'https://i.ytimg.com/vi/aqz-KE-bpKQ/hqdefault.jpg'],
    [{ url: 'https://dai.ly/x8abcd1' }, 'https://www.dailymotion.com/thumbnail/video/x8abcd1'],
    [{ url: 'https://cdn.example.com/photos/a.webp' }, 'https://cdn.example.com/photos/a.webp'],
    [{ url: 'https://cdn.example.com/photos/page', kind: 'image' }, 'https://cdn.example.com/photos/page'],
    [{ url: 'https://cdn.example.com/scan.png', kind: 'document' }, null],
    [{ url: 'https://vimeo.com/76979871' }, null],
    [{ url: 'https://x.com/AJArabic/status/1790000000000000000' }, null],
    [{ url: 'https://soundcloud.com/aljazeera/episode-1' }, null],
    [{ url: 'https://www.youtube.com/@aljazeera' }, null],
    [{ url: 'https://cdn.example.com/clip.mp4' }, null],
    [{ url: 'https://youtu.be/9bZkp7q19f0', thumbnailUrl: null }, null],
    [{ url: 'https://youtu.be/M7lc1UVf-VE', thumbnailUrl: 'https://cdn.example.com/own.jpg' }, 'https://cdn.example.com/own.jpg']
  ]
  const items: Record<string, any> = {}
  for (const [payload, thumbnailUrl] of cases) {
    const item = await createMedia(app, payload)
    t.equal(item.thumbnailUrl, thumbnailUrl, JSON.stringify(payload))
    t.equal(json(await app.inject({ url: `/v1/media/${item.id}` })).thumbnailUrl, thumbnailUrl, 'stored')
    items[payload.url as string] = item
  }

  // A derived thumbnail follows the URL and the kind; one given or cleared stays.
  const derived = items['https://youtu.be/dQw4w9WgXcQ']
  t.equal((await patch(derived.id, { url: 'https://youtu.be/a-b_C1234_Z' })).thumbnailUrl, 'https://i.ytimg.com/vi/a-b_C1234_Z/hqdefault.jpg')
  t.equal((await patch(derived.id, { url: 'https://vimeo.com/1' })).thumbnailUrl, null, 'none for Vimeo')
  t.equal((await patch(derived.id, { url: 'https://cdn.example.com/new.jpg' })).thumbnailUrl, null, 'the kind stays video: no image')
  t.equal((await patch(derived.id, { kind: 'image' })).thumbnailUrl, 'https://cdn.example.com/new.jpg', 'an image now')
  t.equal((await patch(derived.id, { title: 'بلا تغيير' })).thumbnailUrl, 'https://cdn.example.com/new.jpg', 'other fields leave it')
  t.equal((await patch(derived.id, { kind: 'document' })).thumbnailUrl, null)
  const own = items['https://youtu.be/M7lc1UVf-VE']
  t.equal((await patch(own.id, { url: 'https://youtu.be/QH2-TGUlwu4' })).thumbnailUrl, 'https://cdn.example.com/own.jpg', 'a given one stays')
  const cleared = items['https://youtu.be/9bZkp7q19f0']
  t.equal((await patch(cleared.id, { url: 'https://youtu.be/kJQP7kiw5Fk' })).thumbnailUrl, null, 'a cleared one stays cleared')
  t.equal((await patch(cleared.id, { thumbnailUrl: 'https://cdn.example.com/t.jpg', url: 'https://youtu.be/OPf0YbXqDm0' })).thumbnailUrl, 'https://cdn.example.com/t.jpg')
  t.equal((await patch(cleared.id, { thumbnailUrl: null })).thumbnailUrl, null)

  // Bad input: a thumbnail that is not an http(s) URL is a 400 and creates nothing.
  const count = (await allMedia(app)).length
  for (const thumbnailUrl of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative.jpg']) {
    const res = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url: 'https://youtu.be/LXb3EKWsInQ', thumbnailUrl } })
    t.ok(assertProblem(t, res, 400, thumbnailUrl).errors.some((e: any) => e.path === '/body/thumbnailUrl'))
  }
  t.equal((await allMedia(app)).length, count, 'nothing created')
})

test('GET /v1/media filters by kind, provider and article, newest first, with keyset pagination', async (t) => {
  const app = await build(t)
  const yt = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  const img = await createMedia(app, { url: 'https://cdn.example.com/a.jpg' })
  const vimeo = await createMedia(app, { url: 'https://vimeo.com/76979871' })
  const yt2 = await createMedia(app, { url: 'https://youtu.be/aqz-KE-bpKQ' })
  const img2 = await createMedia(app, { url: 'https://cdn.example.com/b.png' })
  const audio = await createMedia(app, { url: 'https://soundcloud.com/a/b' })
  const all = [audio, img2, yt2, vimeo, img, yt]

  const first = await app.inject({ method: 'GET', url: '/v1/media' })
  t.equal(first.statusCode, 200)
  t.same(json(first).data.map((x: any) => x.id), all.map(x => x.id), 'newest first')
  t.same(json(first).meta, { nextCursor: null })
  t.equal(first.headers.link, undefined)

  const seen: number[] = []
  let url: string | null = '/v1/media?limit=2'
  let pages = 0
  while (url !== null) {
    const res: LightMyRequestResponse = await app.inject({ method: 'GET', url })
    const body = json(res)
    pages++
    seen.push(...body.data.map((x: any) => x.id))
    if (body.meta.nextCursor === null) {
      t.equal(res.headers.link, undefined, 'no Link on the last page')
      url = null
    } else {
      const match = /^<([^>]+)>; rel="next"$/.exec(res.headers.link as string)
      t.ok(match, 'a Link rel="next" header')
      const next = new URL((match as RegExpExecArray)[1], 'http://localhost')
      t.equal(next.searchParams.get('cursor'), body.meta.nextCursor)
      url = `${next.pathname}${next.search}`
    }
  }
  t.equal(pages, 3)
  t.same(seen, all.map(x => x.id), 'every item exactly once')

  t.same((await allMedia(app, 'kind=video&limit=1')).map(x => x.id), [yt2.id, vimeo.id, yt.id], 'kind=video, paginated')
  t.same((await allMedia(app, 'kind=image')).map(x => x.id), [img2.id, img.id])
  t.same((await allMedia(app, 'kind=document')), [])
  t.same((await allMedia(app, 'provider=youtube&limit=1')).map(x => x.id), [yt2.id, yt.id], 'provider=youtube, paginated')
  t.same((await allMedia(app, 'provider=other')).map(x => x.id), [img2.id, img.id])
  t.same((await allMedia(app, 'provider=soundcloud&kind=audio')).map(x => x.id), [audio.id], 'filters combine')
  t.same((await allMedia(app, 'provider=youtube&kind=image')), [])
  const filtered = await app.inject({ method: 'GET', url: '/v1/media?kind=video&limit=1' })
  t.match(filtered.headers.link, /kind=video/, 'the Link keeps the filters')

  const article = await createArticle(app, { title: 'خبر بالفيديو' })
  const other = await createArticle(app, { title: 'خبر آخر' })
  await attachMedia(app, article.id, [{ mediaId: img.id, role: 'featured' }, { mediaId: yt2.id, role: 'inline' }, { mediaId: audio.id, role: 'gallery' }])
  await attachMedia(app, other.id, [{ mediaId: img.id, role: 'featured' }])
  t.same((await allMedia(app, `article=${article.id}`)).map(x => x.id), [audio.id, yt2.id, img.id], 'article filter')
  t.same((await allMedia(app, `article=${article.id}&limit=1`)).map(x => x.id), [audio.id, yt2.id, img.id], 'article filter, paginated')
  t.same((await allMedia(app, `article=${article.id}&kind=video`)).map(x => x.id), [yt2.id])
  t.same((await allMedia(app, `article=${other.id}`)).map(x => x.id), [img.id])
  t.same(await allMedia(app, 'article=424242'), [], 'an article that does not exist has no media')
})

test('the article filter does not reveal drafts, scheduled or trashed articles without a key', async (t) => {
  const app = await build(t)
  const video = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  const draft = await createArticle(app, { title: 'مسودة', status: 'draft' })
  const scheduled = await createArticle(app, { title: 'مجدول', publishedAt: '2026-11-27T00:00:00.000Z' })
  const trashed = await createArticle(app, { title: 'محذوف' })
  const published = await createArticle(app, { title: 'منشور' })
  for (const a of [draft, scheduled, trashed, published]) await attachMedia(app, a.id, [{ mediaId: video.id, role: 'featured' }])
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: bearer(app.editorKey) })

  for (const a of [draft, scheduled, trashed]) {
    t.equal((await app.inject({ method: 'GET', url: `/v1/articles/${a.id}/media` })).statusCode, 404, `the article's own media list is a 404 (${a.title})`)
    t.same(await allMedia(app, `article=${a.id}`), [], `no media listed for a hidden article (${a.title})`)
    t.same((await allMedia(app, `article=${a.id}`, bearer(app.editorKey))).map(x => x.id), [video.id], `editors see them (${a.title})`)
  }
  t.same((await allMedia(app, `article=${published.id}`)).map(x => x.id), [video.id], 'a published article shows its media')
  t.same((await allMedia(app)).map(x => x.id), [video.id], 'the item itself stays listed')

  app.now.ms = Date.parse('2026-11-27T00:00:00.000Z')
  t.same((await allMedia(app, `article=${scheduled.id}`)).map(x => x.id), [video.id], 'once published, the scheduled article shows its media')
})

test('GET /v1/media/{id}', async (t) => {
  const app = await build(t)
  const item = await createMedia(app, { url: 'https://cdn.example.com/a.jpg', title: 'صورة' })
  const res = await app.inject({ method: 'GET', url: `/v1/media/${item.id}` })
  t.equal(res.statusCode, 200)
  t.same(json(res), item)
  t.equal((await app.inject({ method: 'GET', url: `/v1/media/${item.id}`, headers: bearer(app.editorKey) })).statusCode, 200)
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/media/424242' }), 404, 'missing')
  for (const id of ['0', '-1', 'abc', '1.5', '99999999999999999999', encodeURIComponent('صورة')]) {
    assertProblem(t, await app.inject({ method: 'GET', url: `/v1/media/${id}` }), 400, `GET /v1/media/${id}`)
  }
})

test('PATCH /v1/media/{id}: a new URL re-derives the provider; kind changes reach the articles', async (t) => {
  const app = await build(t)
  const item = await createMedia(app, { url: 'https://cdn.example.com/a.jpg', title: 'صورة', width: 10 })
  const other = await createMedia(app, { url: 'https://cdn.example.com/b.jpg' })
  const patch = async (id: number, payload: unknown): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'PATCH', url: `/v1/media/${id}`, headers: bearer(app.editorKey), payload: payload as any })

  app.now.ms += 1000
  const moved = await patch(item.id, { url: 'https://vimeo.com/76979871' })
  t.equal(moved.statusCode, 200)
  t.match(json(moved), {
    id: item.id,
    url: 'https://vimeo.com/76979871',
    provider: 'vimeo',
    embedUrl: 'https://player.vimeo.com/video/76979871',
    kind: 'image',
    title: 'صورة',
    width: 10,
    createdAt: item.createdAt,
    updatedAt: '2026-11-26T12:00:01.000Z'
  }, 'provider and embedUrl re-derived; other fields kept')
  const back = await patch(item.id, { url: 'https://cdn.example.com/c.jpg', title: null, thumbnailUrl: 'https://cdn.example.com/c-small.jpg', width: null, height: 5, durationSeconds: 12, caption: 'تعليق', alt: 'نص', credit: 'مصور' })
  t.match(json(back), { provider: 'other', embedUrl: null, title: null, thumbnailUrl: 'https://cdn.example.com/c-small.jpg', width: null, height: 5, durationSeconds: 12, caption: 'تعليق', alt: 'نص', credit: 'مصور' })
  const noThumb = await patch(item.id, { thumbnailUrl: null })
  t.equal(json(noThumb).thumbnailUrl, null, 'thumbnailUrl can be cleared')
  t.equal(json(await patch(item.id, { url: 'https://cdn.example.com/c.jpg' })).url, 'https://cdn.example.com/c.jpg', 'its own URL again is fine')
  t.same(json(await app.inject({ method: 'GET', url: `/v1/media/${item.id}` })), json(await patch(item.id, { alt: 'نص' })), 'the change persisted')

  const before = await allMedia(app)
  const clash = await patch(item.id, { url: other.url })
  t.equal(assertProblem(t, clash, 409, 'a URL another item has').type, 'urn:khabar:problem:media-exists')
  for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'https://u:p@cdn.example.com/x.jpg', '/x.jpg']) {
    const res = await patch(item.id, { url, title: 'لن يحفظ' })
    t.ok(assertProblem(t, res, 400, `PATCH url ${url}`).errors.some((e: any) => e.path === '/body/url'))
    const thumb = await patch(item.id, { thumbnailUrl: url })
    t.ok(assertProblem(t, thumb, 400, `PATCH thumbnailUrl ${url}`).errors.some((e: any) => e.path === '/body/thumbnailUrl'))
  }
  assertProblem(t, await patch(424242, { title: 'x' }), 404, 'PATCH a missing item')
  t.same(await allMedia(app), before, 'refused changes changed nothing')

  // Attached to an article: the article follows the item.
  const article = await createArticle(app, { title: 'خبر' })
  await attachMedia(app, article.id, [{ mediaId: item.id, role: 'featured' }])
  const attached = await readArticle(app, article.id)
  t.equal(attached.hasVideo, false, 'an image is not a video')
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/articles?hasVideo=true' })).data.length, 0)

  const toVideo = await patch(item.id, { kind: 'video' })
  t.equal(json(toVideo).kind, 'video')
  const after = await readArticle(app, article.id)
  t.equal(after.hasVideo, true, 'the article now has a video')
  t.equal(after.version, attached.version + 1, 'and a new version')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/articles?hasVideo=true' })).data.map((a: any) => a.id), [article.id], 'the hasVideo filter agrees')
  const media = json(await app.inject({ method: 'GET', url: `/v1/articles/${article.id}/media` })).data
  t.match(media, [{ id: item.id, kind: 'video', role: 'featured' }], 'the article media list shows the change')

  const unrelated = await readArticle(app, (await createArticle(app, { title: 'بلا وسائط' })).id)
  await patch(item.id, { kind: 'image' })
  t.equal((await readArticle(app, article.id)).hasVideo, false, 'back to an image: no video')
  t.equal((await readArticle(app, unrelated.id)).version, unrelated.version, 'articles without the item are not touched')
})

test('DELETE /v1/media/{id} detaches it from every article', async (t) => {
  const app = await build(t)
  const video = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  const image = await createMedia(app, { url: 'https://cdn.example.com/a.jpg' })
  const one = await createArticle(app, { title: 'أول' })
  const two = await createArticle(app, { title: 'ثان', status: 'draft' })
  await attachMedia(app, one.id, [{ mediaId: video.id, role: 'featured' }, { mediaId: image.id, role: 'inline' }])
  await attachMedia(app, two.id, [{ mediaId: video.id, role: 'inline' }])
  const oneBefore = await readArticle(app, one.id)
  const twoBefore = await readArticle(app, two.id)
  t.equal(oneBefore.hasVideo, true)
  t.equal(twoBefore.hasVideo, true)

  const del = await app.inject({ method: 'DELETE', url: `/v1/media/${video.id}`, headers: bearer(app.editorKey) })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/media/${video.id}` }), 404, 'gone')
  const oneAfter = await readArticle(app, one.id)
  t.equal(oneAfter.hasVideo, false, 'hasVideo back to false')
  t.equal(oneAfter.version, oneBefore.version + 1, 'a new version')
  t.same(json(await app.inject({ method: 'GET', url: `/v1/articles/${one.id}/media` })).data.map((m: any) => m.id), [image.id], 'only the image is left')
  t.equal((await readArticle(app, two.id)).hasVideo, false, 'every article that had it')
  t.same(json(await app.inject({ method: 'GET', url: `/v1/articles/${two.id}/media`, headers: bearer(app.editorKey) })).data, [])
  t.same(await allMedia(app, `article=${one.id}`), [image], 'the article filter agrees')

  const lonely = await app.inject({ method: 'DELETE', url: `/v1/media/${image.id}`, headers: bearer(app.adminKey) })
  t.equal(lonely.statusCode, 204)
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/media/${image.id}`, headers: bearer(app.editorKey) }), 404, 'deleting twice')
  t.same(await allMedia(app), [])
  const again = await createMedia(app, { url: video.url })
  t.equal(again.url, video.url, 'a deleted URL can be added again')
})

test('keys: writes need a valid key, reads do not', async (t) => {
  const app = await build(t)
  const item = await createMedia(app, { url: 'https://cdn.example.com/a.jpg' })
  const calls: Call[] = [
    { method: 'POST', url: '/v1/media', payload: { url: 'https://cdn.example.com/b.jpg' } },
    { method: 'PATCH', url: `/v1/media/${item.id}`, payload: { title: 'x' } },
    { method: 'DELETE', url: `/v1/media/${item.id}` }
  ]
  for (const call of calls) await assertNeedsKey(t, app, call)
  t.same(await allMedia(app), [item], 'nothing changed')
  t.equal((await app.inject({ method: 'GET', url: '/v1/media' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: `/v1/media/${item.id}` })).statusCode, 200)
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/media', headers: bearer('khb_wrong-key-1111111111111111') }), 401, 'a read with a wrong key')
})

test('bad input to the media endpoints is a problem and changes nothing', async (t) => {
  const app = await build(t)
  const item = await createMedia(app, { url: 'https://cdn.example.com/a.jpg', title: 'ثابت' })
  const snapshot = await allMedia(app)
  const send = async (method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json'): Promise<LightMyRequestResponse> =>
    await app.inject({ method, url, headers: { ...bearer(app.editorKey), 'content-type': contentType }, payload })

  const ok = 'https://cdn.example.com/new.jpg'
  const creates: Array<[string, unknown, string?]> = [
    ['missing url', { title: 'x' }, '/body/url'],
    ['url a number', { url: 5 }, '/body/url'],
    ['url null', { url: null }, '/body/url'],
    ['url an array', { url: [ok] }, '/body/url'],
    ['empty url', { url: '' }, '/body/url'],
    ['url over 2048', { url: `https://e.com/${'a'.repeat(2048)}` }, '/body/url'],
    ['unknown kind', { url: ok, kind: 'gif' }, '/body/kind'],
    ['provider is derived', { url: ok, provider: 'youtube' }, '/body/provider'],
    ['embedUrl is derived', { url: ok, embedUrl: 'https://evil.example/' }, '/body/embedUrl'],
    ['id not writable', { url: ok, id: 9 }, '/body/id'],
    ['width negative', { url: ok, width: -1 }, '/body/width'],
    ['width a string', { url: ok, width: '100' }, '/body/width'],
    ['height a float', { url: ok, height: 1.5 }, '/body/height'],
    ['duration too big', { url: ok, durationSeconds: 1_000_001 }, '/body/durationSeconds'],
    ['title a number', { url: ok, title: 1 }, '/body/title'],
    ['title too long', { url: ok, title: 'ع'.repeat(501) }, '/body/title'],
    ['caption too long', { url: ok, caption: 'x'.repeat(2001) }, '/body/caption'],
    ['thumbnailUrl empty', { url: ok, thumbnailUrl: '' }, '/body/thumbnailUrl'],
    ['array body', [{ url: ok }]],
    ['null body', null],
    ['string body', ok]
  ]
  for (const [what, payload, path] of creates) {
    const body = assertProblem(t, await send('POST', '/v1/media', JSON.stringify(payload)), 400, `POST ${what}`)
    if (path !== undefined) t.ok(body.errors.some((e: any) => e.path === path), `${what}: an error at ${path} (${JSON.stringify(body.errors)})`)
  }
  const patches: Array<[string, unknown, string?]> = [
    ['empty body {}', {}],
    ['unknown field', { name: 'x' }, '/body/name'],
    ['url null', { url: null }, '/body/url'],
    ['kind null', { kind: null }, '/body/kind'],
    ['kind unknown', { kind: 'podcast' }, '/body/kind'],
    ['provider', { provider: 'x' }, '/body/provider'],
    ['durationSeconds a string', { durationSeconds: '60' }, '/body/durationSeconds'],
    ['width too big', { width: 100_001 }, '/body/width']
  ]
  for (const [what, payload, path] of patches) {
    const body = assertProblem(t, await send('PATCH', `/v1/media/${item.id}`, JSON.stringify(payload)), 400, `PATCH ${what}`)
    if (path !== undefined) t.ok(body.errors.some((e: any) => e.path === path), `${what}: an error at ${path}`)
  }
  for (const [method, url] of [['POST', '/v1/media'], ['PATCH', `/v1/media/${item.id}`]] as const) {
    assertProblem(t, await send(method, url, `{"url": "${ok}"`), 400, `${method} malformed JSON`)
    assertProblem(t, await send(method, url, 'undefined'), 400, `${method} not JSON at all`)
    assertProblem(t, await send(method, url, ''), 400, `${method} empty JSON body`)
    assertProblem(t, await send(method, url, `url=${ok}`, 'application/x-www-form-urlencoded'), 415, `${method} form`)
    const text = await send(method, url, JSON.stringify({ url: ok }), 'text/plain')
    t.ok(text.statusCode >= 400 && text.statusCode < 500, `${method} text/plain is refused`)
    t.equal(text.statusCode, 415, `${method} text/plain is a 415`)
    assertProblem(t, await send(method, url, JSON.stringify({ url: ok, caption: 'x'.repeat(1024 * 1024) })), 413, `${method} over 1 MiB`)
    assertProblem(t, await send(method, `${url}?fetch=true`, JSON.stringify({ url: ok })), 400, `${method} unknown query`)
  }

  for (const id of ['0', '-1', 'abc', '2.5', '99999999999999999999', '9007199254740992']) {
    assertProblem(t, await send('PATCH', `/v1/media/${id}`, JSON.stringify({ title: 'x' })), 400, `PATCH /v1/media/${id}`)
    assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/media/${id}`, headers: bearer(app.editorKey) }), 400, `DELETE /v1/media/${id}`)
  }
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/media/${item.id}?force=1`, headers: bearer(app.editorKey) }), 400, 'DELETE unknown query')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/media/${item.id}?include=articles` }), 400, 'GET one with an unknown query')

  const tagCursor = Buffer.from(JSON.stringify(['name', 'x', 1])).toString('base64url')
  const lists = ['kind=gif', 'kind=', 'provider=tiktok', 'provider=YouTube', 'article=0', 'article=-1', 'article=abc', 'article=99999999999999999999',
    'limit=0', 'limit=101', 'limit=x', 'cursor=', 'cursor=nope', `cursor=${tagCursor}`, `cursor=${Buffer.from('["-id",1,0]').toString('base64url')}`,
    'cursor=%27%20OR%201%3D1%20--', 'sort=-id', 'q=x', 'tag=1']
  for (const query of lists) {
    assertProblem(t, await app.inject({ method: 'GET', url: `/v1/media?${query}` }), 400, `GET /v1/media?${query.slice(0, 40)}`)
  }

  t.same(await allMedia(app), snapshot, 'nothing changed')
})

test('hostile but valid strings in text fields are stored as text', async (t) => {
  const app = await build(t)
  const strings = ['\'; DROP TABLE media; --', '"><script>alert(1)</script>', '\u202Eevil\u202C']
  for (const [i, s] of strings.entries()) {
    const item = await createMedia(app, { url: `https://cdn.example.com/${i}.jpg?q=${encodeURIComponent(s)}`, title: s, caption: s, alt: s, credit: s })
    t.match(item, { title: s, caption: s, alt: s, credit: s }, JSON.stringify(s))
    t.same(json(await app.inject({ method: 'GET', url: `/v1/media/${item.id}` })), item)
  }
  const tricky = await createMedia(app, { url: 'https://cdn.example.com/a.jpg?x=\'%22<script>' })
  t.equal(tricky.url, 'https://cdn.example.com/a.jpg?x=%27%22%3Cscript%3E', 'the URL is stored normalised (percent-encoded)')
  t.equal((await allMedia(app)).length, strings.length + 1, 'the table is intact')
  const nul = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url: 'https://cdn.example.com/n.jpg', title: 'a\u0000b' } })
  t.same(assertProblem(t, nul, 400, 'U+0000 is refused').errors, [{ path: '/body/title', message: 'must not contain U+0000 (NUL)' }])
  t.equal((await allMedia(app)).length, strings.length + 1, 'and nothing was stored')
})
