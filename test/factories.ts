// Small factories for tests: each goes through HTTP (app.inject) with the editor key,
// fails loudly when the server refuses, and returns the parsed body. Every test
// builds its own data; there is no shared seed.
import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import type { Article } from '../src/domain/shapes/articles.ts'
import type { Category, Tag } from '../src/domain/shapes/taxonomy.ts'
import type { Media } from '../src/domain/shapes/media.ts'
import { ADMIN_KEY, bearer, json, type TestApp } from './helper.ts'

let counter = 0
const next = (): number => ++counter

async function send<T> (app: TestApp, method: 'POST' | 'PUT', url: string, payload: unknown, expected: number): Promise<T> {
  const res = await app.inject({ method, url, headers: bearer(app.editorKey), payload: payload as any })
  if (res.statusCode !== expected) {
    throw new Error(`${method} ${url} answered ${res.statusCode}, not ${expected}: ${res.body}`)
  }
  return json<T>(res)
}

// A published article with a unique Arabic title unless overrides say otherwise.
export async function createArticle (app: TestApp, overrides: Record<string, unknown> = {}): Promise<Article> {
  const n = next()
  return await send<Article>(app, 'POST', '/v1/articles', {
    title: `خبر رقم ${n} من دمشق`,
    body: `<p>نص الخبر رقم ${n}.</p>`,
    status: 'published',
    ...overrides
  }, 201)
}

export async function createCategory (app: TestApp, overrides: Record<string, unknown> = {}): Promise<Category> {
  return await send<Category>(app, 'POST', '/v1/categories', { name: `قسم ${next()}`, ...overrides }, 201)
}

export async function createTag (app: TestApp, overrides: Record<string, unknown> = {}): Promise<Tag> {
  return await send<Tag>(app, 'POST', '/v1/tags', { name: `وسم ${next()}`, ...overrides }, 201)
}

export async function createMedia (app: TestApp, overrides: Record<string, unknown> = {}): Promise<Media> {
  return await send<Media>(app, 'POST', '/v1/media', { url: `https://example.com/images/${next()}.jpg`, ...overrides }, 201)
}

export async function attachMedia (app: TestApp, articleId: number, items: Array<{ mediaId: number, role: string, position?: number }>): Promise<unknown[]> {
  return (await send<{ data: unknown[] }>(app, 'PUT', `/v1/articles/${articleId}/media`, items, 200)).data
}

// POST /v1/import with an NDJSON body as an editor; the parsed answer (anything but 200 throws).
export async function importNdjson (app: TestApp, body: string | Buffer, query = ''): Promise<any> {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/import${query}`,
    headers: { ...bearer(app.editorKey), 'content-type': 'application/x-ndjson' },
    payload: body
  })
  if (res.statusCode !== 200) throw new Error(`import answered ${res.statusCode}: ${res.body}`)
  return json(res)
}

// One article as an editor sees it (drafts, scheduled and trashed included).
export async function readArticle (app: TestApp, id: number): Promise<Article> {
  const res = await app.inject({ url: `/v1/articles/${id}`, headers: bearer(app.editorKey) })
  if (res.statusCode !== 200) throw new Error(`GET /v1/articles/${id} answered ${res.statusCode}: ${res.body}`)
  return json<Article>(res)
}

// Every page of a list, following meta.nextCursor.
export async function listAll<T = any> (app: TestApp, url: string, headers: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  for (let page = 0; page < 1000; page++) {
    const sep = url.includes('?') ? '&' : '?'
    const res: LightMyRequestResponse = await app.inject({ url: cursor === null ? url : `${url}${sep}cursor=${encodeURIComponent(cursor)}`, headers })
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body}`)
    const body: { data: T[], meta: { nextCursor: string | null } } = json(res)
    out.push(...body.data)
    cursor = body.meta.nextCursor
    if (cursor === null) return out
  }
  throw new Error(`GET ${url} never reached its last page`)
}

// Everything the article endpoints can change, as an editor reads it: every article in
// any state with its body and media, and the tags and categories. Compare two of these
// to show that a refused request changed nothing.
export async function snapshot (app: TestApp): Promise<unknown> {
  const editor = bearer(app.editorKey)
  const articles = await listAll<Article>(app, '/v1/articles?status=all&fields=id,slug,title,subtitle,excerpt,body,lang,status,publishedAt,updatedAt,categoryId,tags,author,source,breaking,hasVideo,commentCount,views,readingTimeMinutes,externalId,version,trashedAt&limit=100', editor)
  const media: Record<number, unknown> = {}
  for (const a of articles) media[a.id] = json((await app.inject({ url: `/v1/articles/${a.id}/media`, headers: editor })))
  return {
    articles,
    media,
    tags: await listAll<Tag>(app, '/v1/tags?limit=100'),
    categories: json((await app.inject({ url: '/v1/categories' })))
  }
}

// An RFC 9457 answer with the given status; validation problems list their errors, each
// with a path and a message. `what` names the request in every assertion's message.
export function assertProblem (t: Test, res: LightMyRequestResponse, status: number, what = `${res.statusCode} is a ${status} problem`): any {
  t.equal(res.statusCode, status, what)
  if (status < 500) t.ok(res.statusCode < 500, `${what}: not a 5xx`)
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: problem+json`)
  const body = json(res)
  t.type(body.type, 'string', `${what}: problem type`)
  t.type(body.title, 'string', `${what}: problem title`)
  t.equal(body.status, status, `${what}: problem status`)
  if (status === 400 && body.type === 'urn:khabar:problem:validation') {
    t.ok(Array.isArray(body.errors) && body.errors.length > 0, `${what}: validation errors listed`)
    for (const e of Array.isArray(body.errors) ? body.errors : []) {
      t.type(e.path, 'string', `${what}: an error's path`)
      t.type(e.message, 'string', `${what}: an error's message`)
    }
  }
  t.notMatch(res.body, /\bat .+\.(ts|js):\d+/, `${what}: no stack trace`)
  return body
}

// Authorization headers that must never pass: none, an unknown key, other schemes (with a
// valid key too), malformed or hostile tokens.
export const BAD_AUTH: Array<[string, Record<string, string>]> = [
  ['no key', {}],
  ['a wrong key', { authorization: 'Bearer khb_wrong-key-0000000000000000' }],
  ['Basic', { authorization: 'Basic dXNlcjpwYXNz' }],
  ['Basic and a valid key', { authorization: `Basic ${ADMIN_KEY}` }],
  ['Bearer and nothing', { authorization: 'Bearer' }],
  ['Bearer and a space', { authorization: 'Bearer ' }],
  ['Bearer and spaces', { authorization: 'Bearer    ' }],
  ['two tokens', { authorization: 'Bearer a b' }],
  ['the key alone', { authorization: ADMIN_KEY }],
  ['an empty header', { authorization: '' }],
  ['a non-ASCII key', { authorization: 'Bearer مفتاح' }],
  ['a very long key', { authorization: `Bearer ${'k'.repeat(5000)}` }],
  ['SQL', { authorization: "Bearer ' OR 1=1 --" }]
]

export interface Call { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown }

// A write sent with each of BAD_AUTH: every time a 401 unauthorized problem that asks for a
// Bearer key. Whether it changed anything is the caller's to check.
export async function assertNeedsKey (t: Test, app: TestApp, call: Call): Promise<void> {
  for (const [label, headers] of BAD_AUTH) {
    const res = await app.inject({ method: call.method, url: call.url, headers, payload: call.payload as any })
    const what = `${call.method} ${call.url} with ${label}`
    t.equal(assertProblem(t, res, 401, what).type, 'urn:khabar:problem:unauthorized', `${what}: unauthorized`)
    t.match(res.headers['www-authenticate'], /^Bearer/, `${what}: WWW-Authenticate`)
  }
}
