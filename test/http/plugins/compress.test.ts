import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { test } from 'tap'
import { bearer, build } from '../../helper.ts'
import { createArticle } from '../../factories.ts'
import { chooseEncoding, compressors } from '../../../src/http/plugins/compress.ts'

const decode = { br: brotliDecompressSync, gzip: gunzipSync }

test('the encoding follows Accept-Encoding, q-values included', async (t) => {
  t.equal(chooseEncoding(undefined), undefined)
  t.equal(chooseEncoding(''), undefined)
  t.equal(chooseEncoding('identity'), undefined)
  t.equal(chooseEncoding('gzip, deflate, br'), 'br')
  t.equal(chooseEncoding('gzip'), 'gzip')
  t.equal(chooseEncoding('br;q=0, gzip'), 'gzip')
  t.equal(chooseEncoding('gzip;q=0.5, br;q=0.4'), 'gzip')
  t.equal(chooseEncoding('*'), 'br')
  t.equal(chooseEncoding('deflate'), undefined)
  t.equal(chooseEncoding('"; DROP TABLE articles; --'), undefined)
})

test('lists, the OpenAPI document and Swagger UI go out compressed, each as the client asks', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 12; i++) await createArticle(app, { title: `خبر رقم ${i} عن الاقتصاد والسياسة في المنطقة`, body: '<p>نص طويل بما يكفي</p>'.repeat(5), status: 'published' })
  for (const url of ['/v1/articles?limit=12', '/openapi.json', '/docs/static/swagger-ui-bundle.js']) {
    const plain = await app.inject({ method: 'GET', url })
    t.equal(plain.statusCode, 200, url)
    t.equal(plain.headers['content-encoding'], undefined, `${url}: nothing asked, nothing compressed`)
    for (const encoding of ['br', 'gzip'] as const) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': encoding } })
      t.equal(res.headers['content-encoding'], encoding, `${url}: ${encoding}`)
      t.match(String(res.headers.vary), /accept-encoding/i, `${url}: Vary: Accept-Encoding`)
      t.ok(res.rawPayload.length < plain.rawPayload.length / 2, `${url}: ${encoding} is less than half (${res.rawPayload.length} of ${plain.rawPayload.length})`)
      t.equal(decode[encoding](res.rawPayload).toString(), plain.body, `${url}: ${encoding} decodes to the same body`)
      if (plain.headers.etag !== undefined) t.equal(res.headers.etag, plain.headers.etag, `${url}: one ETag for the content, whatever the encoding`)
    }
  }
  const small = await app.inject({ method: 'GET', url: '/health', headers: { 'accept-encoding': 'br' } })
  t.equal(small.headers['content-encoding'], undefined, 'a body under the threshold goes as it is')
  const problem = await app.inject({ method: 'GET', url: '/v1/articles?limit=nope', headers: { 'accept-encoding': 'gzip' } })
  t.equal(problem.statusCode, 400)
  t.equal(problem.headers['content-encoding'], undefined, 'a short problem is not compressed')
})

test('a cached answer is compressed once per encoding, not per request', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 10; i++) await createArticle(app, { title: `مقال ${i} عن الطقس في الرياض والقاهرة`, status: 'published' })
  const calls = { br: 0, gzip: 0 }
  for (const encoding of ['br', 'gzip'] as const) {
    const original = compressors[encoding]
    compressors[encoding] = (body) => { calls[encoding]++; return original(body) }
    t.teardown(() => { compressors[encoding] = original })
  }
  const bodies = new Set<string>()
  for (let i = 0; i < 5; i++) {
    for (const encoding of ['br', 'gzip'] as const) {
      const res = await app.inject({ method: 'GET', url: '/v1/articles?limit=10', headers: { 'accept-encoding': encoding } })
      t.equal(res.headers['content-encoding'], encoding)
      bodies.add(decode[encoding](res.rawPayload).toString())
    }
  }
  t.same(calls, { br: 1, gzip: 1 }, 'ten answers, two compressions')
  t.equal(bodies.size, 1)
  // A 304 sends nothing to compress; a key-holder's answer is never cached, so it is
  // compressed on its way out by the plugin instead.
  const etag = (await app.inject({ method: 'GET', url: '/v1/articles?limit=10' })).headers.etag as string
  const notModified = await app.inject({ method: 'GET', url: '/v1/articles?limit=10', headers: { 'accept-encoding': 'br', 'if-none-match': etag } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.rawPayload.length, 0)
  const editor = await app.inject({ method: 'GET', url: '/v1/articles?limit=10', headers: { ...bearer(app.editorKey), 'accept-encoding': 'br' } })
  t.equal(editor.headers['content-encoding'], 'br')
  t.equal(JSON.parse(decode.br(editor.rawPayload).toString()).data.length, 10)
  t.same(calls, { br: 1, gzip: 1 }, 'the cache was not asked for the key-holder')
})
