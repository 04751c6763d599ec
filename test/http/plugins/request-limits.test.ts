import { test } from 'tap'
import { build, json } from '../../helper.ts'
import { createArticle } from '../../factories.ts'
import { MAX_QUERY_LENGTH } from '../../../src/http/plugins/request-limits.ts'

test('a query string over 4 KiB is a 414 problem, before anything reads it', async (t) => {
  const app = await build(t)
  t.equal(MAX_QUERY_LENGTH, 4096)
  const prefix = 'author='
  const fits = await app.inject(`/v1/articles?${prefix}${'a'.repeat(MAX_QUERY_LENGTH - prefix.length)}`)
  t.equal(fits.statusCode, 400, 'exactly 4096 characters reach validation (author is at most 200)')
  for (const url of [`/v1/articles?${prefix}${'a'.repeat(MAX_QUERY_LENGTH - prefix.length + 1)}`, `/v1/search?q=${'%D8%AE'.repeat(2000)}`, `/nothing?${'x'.repeat(10_000)}`]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 414, `${url.slice(0, 30)}...: 414`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(json(res), { type: 'urn:khabar:problem:uri-too-long', title: 'URI Too Long', status: 414 })
  }
})

test('a path segment over 600 characters is a 414 problem', async (t) => {
  const app = await build(t)
  t.equal((await app.inject(`/v1/articles/${'a'.repeat(600)}`)).statusCode, 404, '600 is a slug that does not exist')
  const res = await app.inject(`/v1/articles/${'a'.repeat(601)}`)
  t.equal(res.statusCode, 414)
  t.match(json(res), { type: 'urn:khabar:problem:uri-too-long', status: 414 })
})

test('include and fields lists are bounded: known names only, and short', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const cases: Array<[string, number]> = [
    ['include=category,media', 200],
    ['include=category,category', 200],
    ['include=author', 400],
    ['include=category,', 400],
    [`include=${Array(20).fill('category').join(',')}`, 400],
    ['fields=id,title,body', 200],
    ['fields=password', 400],
    ['fields=title,,body', 400],
    ['fields=__proto__', 400],
    [`fields=${Array(100).fill('title').join(',')}`, 400],
    ['fields=title&fields=body', 400]
  ]
  for (const [query, status] of cases) {
    for (const url of [`/v1/articles?${query}`, `/v1/articles/${a.id}?${query}`]) {
      const res = await app.inject(url)
      t.equal(res.statusCode, status, `${url.slice(0, 60)}: ${status}`)
      if (status === 400) t.match(json(res).errors[0].path, /^\/querystring\/(include|fields)/)
    }
  }
})
