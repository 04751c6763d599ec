import { test } from 'tap'
import { bearer, build, json } from './helper.ts'
import { attachMedia, createArticle, createCategory, createMedia, createTag } from './factories.ts'
import { nonConformance } from './support/conformance.ts'

// Good and bad requests across the API, the way a frontend and an editor make them. Every
// answer is checked against the document by build()'s inject (test/support/conformance.ts):
// a status, a body or a header the document does not promise fails the test it came from.
// Here the statuses are asserted too, so each case is the answer it should be.

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' }

test('the checker finds what does not match (so the suite\'s checks can fail)', async (t) => {
  const answer = (method: string, url: string, statusCode: number, body: string, headers: Record<string, string> = JSON_TYPE): string[] =>
    nonConformance({ method, url, statusCode, headers, rawPayload: Buffer.from(body) })
  t.match(answer('GET', '/v1/articles/5', 418, '{}'), [/status not documented/])
  t.match(answer('GET', '/v1/tags', 200, '{"data":[{"x":1}],"meta":{"nextCursor":null}}'), [/does not match the document/])
  t.match(answer('GET', '/v1/tags', 200, '<html>', { 'content-type': 'text/html' }), [/content type "text\/html"/])
  t.match(answer('GET', '/v1/tags', 304, '{}'), [/a body where the document has none/])
  t.match(answer('GET', '/v1/articles/x', 301, ''), [], 'a 301 without a body conforms')
  t.match(answer('GET', '/v1/articles/x', 301, '{"status":301}', {}), [/a body where the document has none/], 'the 301 of a slug is not a problem body')
  t.match(answer('GET', '/v1/tags', 200, '{"data":[],"meta":{"nextCursor":null}}', { ...JSON_TYPE, 'x-ratelimit-remaining': 'many' }), [/header X-RateLimit-Remaining/])
  t.same(answer('GET', '/docs/static/x.js', 200, 'x', {}), [], 'paths the document does not name are not checked')
  t.same(answer('GET', '/v1/articles?fields=id,title', 200, '{"data":[{"id":1,"title":"x"}],"meta":{"nextCursor":null}}'), [], 'fields= answers are ArticleFields')
})

test('good and bad requests, each answered as the document says', async (t) => {
  const app = await build(t)
  const editor = bearer(app.editorKey)
  const admin = bearer(app.adminKey)
  const category = await createCategory(app, { name: 'سياسة' })
  const tag = await createTag(app, { name: 'دمشق' })
  const article = await createArticle(app, { title: 'خبر عن الاقتصاد', categoryId: category.id, tags: ['دمشق'], status: 'published' })
  const draft = await createArticle(app, { title: 'مسودة', status: 'draft' })
  const media = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  await attachMedia(app, article.id, [{ mediaId: media.id, role: 'featured' }])
  const renamed = await app.inject({ method: 'PATCH', url: `/v1/articles/${article.id}`, headers: editor, payload: { slug: 'khabar-jadid' } })
  t.equal(renamed.statusCode, 200)

  const cases: Array<[string, string, number, Record<string, string>?, unknown?]> = [
    // A frontend reading.
    ['GET', '/v1/articles', 200],
    ['GET', '/v1/articles?limit=1', 200],
    ['GET', '/v1/articles?fields=id,title', 200],
    ['GET', '/v1/articles?fields=id,title,body&include=category,media', 200],
    ['GET', `/v1/articles/${article.id}`, 200],
    ['GET', `/v1/articles/${article.id}?fields=title`, 200],
    ['GET', `/v1/articles/${article.id}?include=category,media&fields=slug`, 200],
    ['GET', '/v1/articles/khabar-jadid', 200],
    ['GET', `/v1/articles/${encodeURIComponent(article.slug)}`, 301],
    ['GET', `/v1/articles/${draft.id}`, 404],
    ['GET', `/v1/articles/${article.id}/media`, 200],
    ['GET', `/v1/articles/${article.id}/related`, 200],
    ['GET', `/v1/articles/${article.id}/views`, 200],
    ['POST', `/v1/articles/${article.id}/views`, 202],
    ['GET', '/v1/categories', 200],
    ['GET', '/v1/categories?tree=true', 200],
    ['GET', `/v1/categories/${category.id}`, 200],
    ['GET', `/v1/categories/${encodeURIComponent(category.slug)}`, 200],
    ['GET', '/v1/tags', 200],
    ['GET', '/v1/tags?sort=-articleCount', 200],
    ['GET', `/v1/tags/${tag.id}`, 200],
    ['GET', '/v1/media', 200],
    ['GET', `/v1/media/${media.id}`, 200],
    ['GET', `/v1/search?q=${encodeURIComponent('الاقتصاد')}`, 200],
    ['GET', `/v1/search/suggest?q=${encodeURIComponent('اقت')}`, 200],
    ['GET', '/v1/rankings/articles?window=7d', 200],
    ['GET', '/v1/rankings/tags', 200],
    ['GET', '/v1/rankings/categories', 200],
    ['GET', '/health', 200],
    ['GET', '/ready', 200],
    // A frontend getting it wrong.
    ['GET', '/v1/articles?limit=0', 400],
    ['GET', '/v1/articles?limit=abc', 400],
    ['GET', '/v1/articles?fields=password', 400],
    ['GET', '/v1/articles?unknown=1', 400],
    ['GET', '/v1/articles?sort=%27%3B%20DROP%20TABLE', 400],
    ['GET', `/v1/articles?q=${'x'.repeat(5000)}`, 414],
    ['GET', `/v1/articles/${'ب'.repeat(700)}`, 414],
    ['GET', '/v1/articles/999999', 404],
    ['GET', '/v1/search?q=%22', 400],
    ['GET', '/v1/search', 400],
    ['GET', '/v1/rankings/articles?window=1y', 400],
    ['GET', '/v1/categories/999999', 404],
    ['GET', '/v1/tags/no-such-tag', 404],
    ['GET', '/v1/media/0', 400],
    ['GET', '/v1/articles', 401, { authorization: 'Bearer khb_wrong-key-0000000000000000000000' }],
    ['GET', '/health', 200, { authorization: 'Bearer khb_wrong-key-0000000000000000000000' }],
    // An editor working.
    ['GET', '/v1/articles?status=draft', 200, editor],
    ['GET', `/v1/articles/${draft.id}`, 200, editor],
    ['POST', '/v1/articles', 201, editor, { title: 'عاجل', status: 'draft' }],
    ['POST', '/v1/articles', 400, editor, { title: '' }],
    ['POST', '/v1/articles', 400, editor, { title: 'x', nope: true }],
    ['POST', '/v1/articles', 400, editor, { title: 42 }],
    ['POST', '/v1/articles', 401, {}, { title: 'x' }],
    ['POST', '/v1/articles', 415, { ...editor, 'content-type': 'text/plain' }, 'title'],
    ['PATCH', `/v1/articles/${draft.id}`, 200, editor, { subtitle: 'فرعي' }],
    ['PATCH', `/v1/articles/${draft.id}`, 412, { ...editor, 'if-match': '"1"' }, { subtitle: 'x' }],
    ['PATCH', '/v1/articles/999999', 404, editor, { subtitle: 'x' }],
    ['PATCH', '/v1/articles/not-an-id', 400, editor, { subtitle: 'x' }],
    ['PUT', `/v1/articles/${draft.id}/media`, 200, editor, [{ mediaId: media.id, role: 'inline', position: 0 }]],
    ['PUT', `/v1/articles/${draft.id}/media`, 400, editor, [{ mediaId: media.id, role: 'hero' }]],
    ['GET', `/v1/articles/${article.id}/revisions`, 200, editor],
    ['GET', `/v1/articles/${article.id}/revisions/1`, 200, editor],
    ['GET', `/v1/articles/${article.id}/revisions/99`, 404, editor],
    ['GET', `/v1/articles/${article.id}/slugs`, 200, editor],
    ['DELETE', `/v1/articles/${draft.id}`, 204, editor],
    ['POST', `/v1/articles/${draft.id}/restore`, 200, editor],
    ['POST', `/v1/articles/${draft.id}/restore`, 409, editor],
    ['DELETE', `/v1/articles/${draft.id}?permanent=true`, 403, editor],
    ['POST', '/v1/categories', 201, editor, { name: 'اقتصاد' }],
    ['POST', '/v1/categories', 409, editor, { name: 'اقتصاد' }],
    ['POST', '/v1/categories', 400, editor, { name: 'فرع', parentId: 999999 }],
    ['PATCH', `/v1/categories/${category.id}`, 200, editor, { description: 'أخبار السياسة' }],
    ['DELETE', `/v1/categories/${category.id}`, 409, editor],
    ['POST', '/v1/tags', 201, editor, { name: 'حلب' }],
    ['POST', '/v1/tags', 409, editor, { name: 'حلب' }],
    ['PATCH', `/v1/tags/${tag.id}`, 200, editor, { name: 'دمشق القديمة' }],
    ['POST', '/v1/media', 201, editor, { url: 'https://vimeo.com/76979871' }],
    ['POST', '/v1/media', 409, editor, { url: 'https://youtu.be/dQw4w9WgXcQ' }],
    ['POST', '/v1/media', 400, editor, { url: 'javascript:alert(1)' }],
    ['PATCH', `/v1/media/${media.id}`, 200, editor, { title: 'فيديو' }],
    ['GET', '/v1/keys', 403, editor],
    ['GET', '/v1/keys', 200, admin],
    ['POST', '/v1/keys', 201, admin, { name: 'ci', role: 'editor' }],
    ['POST', '/v1/keys', 400, admin, { name: 'ci', role: 'root' }],
    ['GET', '/v1/export', 200, editor],
    ['POST', '/v1/import', 200, { ...editor, 'content-type': 'application/x-ndjson' }, '{"title":"مستورد","status":"draft"}\n']
  ]
  for (const [method, url, status, headers = {}, body] of cases) {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: payload === undefined || headers['content-type'] !== undefined ? headers : { ...headers, 'content-type': 'application/json' },
      payload
    })
    t.equal(res.statusCode, status, `${method} ${url.slice(0, 80)}: ${res.body.slice(0, 160)}`)
  }
})

test('every GET that sends an ETag answers 304 to it, with no body, as documented', async (t) => {
  const app = await build(t)
  const article = await createArticle(app)
  const category = await createCategory(app)
  const tag = await createTag(app)
  const media = await createMedia(app)
  const urls = ['/v1/articles', `/v1/articles/${article.id}`, `/v1/articles/${article.id}/media`, `/v1/articles/${article.id}/related`,
    `/v1/articles/${article.id}/views`, '/v1/categories', `/v1/categories/${category.id}`, '/v1/tags', `/v1/tags/${tag.id}`,
    '/v1/media', `/v1/media/${media.id}`, '/v1/rankings/articles', '/v1/search?q=خبر', '/health']
  for (const url of urls) {
    for (const headers of [{}, bearer(app.editorKey)]) {
      const first = await app.inject({ url, headers })
      t.equal(first.statusCode, 200, url)
      const etag = first.headers.etag as string
      t.ok(etag, `${url}: ETag`)
      const again = await app.inject({ url, headers: { ...headers, 'if-none-match': etag } })
      t.equal(again.statusCode, 304, `${url}: 304`)
      t.equal(again.body, '', `${url}: no body`)
    }
  }
  const list = await app.inject('/v1/articles?limit=1')
  t.ok(json(list).data.length <= 1)
})
