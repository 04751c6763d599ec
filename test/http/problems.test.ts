import type { FastifyInstance } from 'fastify'
import { test, type Test } from 'tap'
import { build } from '../helper.ts'
import {
  Conflict, DomainError, Invalid, Moved, NotFound, PreconditionFailed, Unauthorized, invalid, nestedIn
} from '../../src/domain/errors.ts'
import { HttpProblem, forbidden, problemBody, problemType } from '../../src/http/problems.ts'

const PROBLEM = /^application\/problem\+json/
const SECRET = 'SELECT * FROM api_keys -- secret internal detail'

// The app as the server builds it, plus test-only routes added before ready; `logs`
// collects what it logs at error level.
async function buildWithRoutes (t: Test, routes: (app: FastifyInstance) => void): Promise<{ server: FastifyInstance, logs: string[] }> {
  const logs: string[] = []
  const server = await build(t, { LOG_LEVEL: 'error' }, { setup: routes, log: line => logs.push(line) })
  return { server, logs }
}

function assertNoLeak (t: Test, body: string, what: string): void {
  t.notMatch(body, SECRET, `${what}: no message`)
  t.notMatch(body, /\bat .+:\d+:\d+/, `${what}: no stack frame`)
  t.notMatch(body, /stack|node_modules|\/work\/|\.ts\b/, `${what}: no stack, no paths`)
}

test('a thrown error is a 500 problem without stack or message, and is logged', async (t) => {
  const { server, logs } = await buildWithRoutes(t, (app) => {
    app.get('/test/throw', async () => { throw new Error(SECRET) })
    app.get('/test/type-error', async () => {
      const rows: any = undefined
      return rows.length
    })
    app.get('/test/reject', async () => await Promise.reject(new RangeError(SECRET)))
    app.get('/test/sync', () => { throw new Error(SECRET) })
    // A library that throws a string: still a plain 500.
    // eslint-disable-next-line no-throw-literal
    app.get('/test/string', async () => { throw SECRET as unknown as Error })
    app.get('/test/status-5xx', async () => { throw Object.assign(new Error(SECRET), { statusCode: 503 }) })
    app.get('/test/serialize', {
      schema: {
        response: {
          200: { type: 'object', required: ['must'], properties: { must: { type: 'string' } } }
        }
      }
    }, async () => ({ other: SECRET }))
    app.post('/test/body', async () => { throw new Error(SECRET) })
  })
  for (const [method, url] of [
    ['GET', '/test/throw'], ['GET', '/test/type-error'], ['GET', '/test/reject'], ['GET', '/test/sync'],
    ['GET', '/test/string'], ['GET', '/test/status-5xx'], ['GET', '/test/serialize?x=1'], ['POST', '/test/body']
  ] as const) {
    const res = await server.inject({ method, url, ...(method === 'POST' ? { payload: { a: 1 } } : {}) })
    t.equal(res.statusCode, 500, url)
    t.match(res.headers['content-type'], PROBLEM, url)
    t.same(JSON.parse(res.body), {
      type: 'urn:khabar:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The server failed to answer this request; the details are in its log',
      instance: url
    }, url)
    assertNoLeak(t, res.body, url)
  }
  const log = logs.join('')
  t.match(log, /request failed/, 'the failure is logged')
  t.match(log, SECRET, 'with its message, in the log only')
})

test('domain errors and HttpProblems become problems with their status, type, detail, errors and headers', async (t) => {
  const problems: Record<string, DomainError | HttpProblem> = {
    'not-found': new NotFound('Article 7'),
    'bad-request': new Invalid([{ field: 'a', message: 'is wrong' }, { field: 'b', message: 'too' }], 'Two things are wrong'),
    'invalid-field': invalid('slug', 'is taken'),
    conflict: new Conflict('slug-taken', 'The slug is taken'),
    duplicate: new Conflict('media-exists', 'Media 7 already links to this item', { existingId: 7 }),
    unauthorized: new Unauthorized('Who are you?'),
    forbidden: forbidden('Not you'),
    'precondition-failed': new PreconditionFailed('Changed by someone else'),
    teapot: new HttpProblem(418, 'teapot', 'Short and stout')
  }
  const { server } = await buildWithRoutes(t, (app) => {
    for (const [name, problem] of Object.entries(problems)) {
      app.get(`/test/${name}`, async () => { throw problem })
    }
  })
  const expected: Record<string, object> = {
    'not-found': { type: problemType('not-found'), title: 'Not Found', status: 404, detail: 'Article 7 was not found' },
    'bad-request': {
      type: problemType('validation'),
      title: 'Bad Request',
      status: 400,
      detail: 'Two things are wrong',
      errors: [{ path: '/body/a', message: 'is wrong' }, { path: '/body/b', message: 'too' }]
    },
    'invalid-field': {
      type: problemType('validation'), title: 'Bad Request', status: 400, detail: '/body/slug: is taken', errors: [{ path: '/body/slug', message: 'is taken' }]
    },
    conflict: { type: problemType('slug-taken'), title: 'Conflict', status: 409, detail: 'The slug is taken' },
    duplicate: { type: problemType('media-exists'), title: 'Conflict', status: 409, detail: 'Media 7 already links to this item', existingId: 7 },
    unauthorized: { type: problemType('unauthorized'), title: 'Unauthorized', status: 401, detail: 'Who are you?' },
    forbidden: { type: problemType('forbidden'), title: 'Forbidden', status: 403, detail: 'Not you' },
    'precondition-failed': { type: problemType('precondition-failed'), title: 'Precondition Failed', status: 412, detail: 'Changed by someone else' },
    teapot: { type: problemType('teapot'), title: 'I\'m a Teapot', status: 418, detail: 'Short and stout' }
  }
  for (const [name, body] of Object.entries(expected)) {
    const res = await server.inject({ method: 'GET', url: `/test/${name}?q=1` })
    t.equal(res.statusCode, (body as { status: number }).status, name)
    t.match(res.headers['content-type'], PROBLEM, name)
    t.same(JSON.parse(res.body), { ...body, instance: `/test/${name}?q=1` }, name)
    t.equal(res.headers['www-authenticate'], name === 'unauthorized' ? 'Bearer realm="khabar"' : undefined, `${name}: WWW-Authenticate`)
  }
  t.equal((problems.conflict as Conflict).code, 'slug-taken')
  t.ok(problems.conflict instanceof Error)
})

test('a field the route\'s query declares is named in the query, any other in the body', async (t) => {
  const { server } = await buildWithRoutes(t, (app) => {
    app.post('/test/fields', {
      schema: { querystring: { type: 'object', properties: { from: { type: 'string' } } } }
    }, async () => { throw new Invalid([{ field: 'from', message: 'is too early' }, { field: 'tags/2', message: 'is blank' }, { field: '', message: 'is empty' }]) })
    app.get('/test/nested', async () => { throw invalid('url', 'is not a URL').within('media/0') })
  })
  const res = await server.inject({ method: 'POST', url: '/test/fields?from=x', payload: {} })
  t.equal(res.statusCode, 400)
  t.same(JSON.parse(res.body).errors, [
    { path: '/querystring/from', message: 'is too early' }, { path: '/body/tags/2', message: 'is blank' }, { path: '/body', message: 'is empty' }
  ])
  t.equal(JSON.parse(res.body).detail, '/querystring/from: is too early; /body/tags/2: is blank; /body: is empty')
  const nested = JSON.parse((await server.inject('/test/nested')).body)
  t.same(nested.errors, [{ path: '/body/media/0/url', message: 'is not a URL' }])
  t.equal(new Invalid([{ field: 'a', message: 'x' }], 'Explained').within('b').message, 'Explained', 'an explained refusal keeps its words')
  t.equal(invalid('', 'is empty').within('media/1').fields[0].field, 'media/1', 'the whole nested input')
  const conflict = new Conflict('media-exists', 'taken')
  t.equal(nestedIn(conflict, 'media/0'), conflict, 'only an Invalid names fields to move')
  t.match(nestedIn(invalid('url', 'bad'), 'media/0'), { fields: [{ field: 'media/0/url' }] })
})

test('a slug that moved is a plain 301 with Location and no body', async (t) => {
  const { server } = await buildWithRoutes(t, (app) => {
    app.get('/test/moved/:slug', async () => { throw new Moved('قديم', 'جديد') })
  })
  const res = await server.inject(`/test/moved/${encodeURIComponent('قديم')}?a=1`)
  t.equal(res.statusCode, 301)
  t.equal(res.headers.location, `/test/moved/${encodeURIComponent('جديد')}?a=1`)
  t.equal(res.body, '', 'no problem body')
  t.equal(res.headers['content-type'], undefined, 'no content type')
})

test('validation errors name the request part and the field', async (t) => {
  const { server } = await buildWithRoutes(t, (app) => {
    app.post('/test/validate/:id', {
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } },
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', maximum: 100 } } },
        headers: { type: 'object', required: ['x-need'], properties: { 'x-need': { type: 'string' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['title'],
          properties: { title: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }
        }
      }
    }, async () => ({ ok: true }))
  })
  const url = '/test/validate/5'
  const headers = { 'x-need': 'yes' }
  const cases: Array<[string, object, string]> = [
    ['querystring limit too big', { url: `${url}?limit=1000`, headers, payload: { title: 'x' } }, '/querystring/limit'],
    ['querystring unknown', { url: `${url}?nope=1`, headers, payload: { title: 'x' } }, '/querystring/nope'],
    ['params', { url: '/test/validate/0', headers, payload: { title: 'x' } }, '/params/id'],
    ['headers', { url, payload: { title: 'x' } }, '/headers/x-need'],
    ['body missing', { url, headers, payload: {} }, '/body/title'],
    ['body unknown', { url, headers, payload: { title: 'x', extra: 1 } }, '/body/extra'],
    ['body nested', { url, headers, payload: { title: 'x', tags: ['a', 5] } }, '/body/tags/1'],
    ['body not coerced', { url, headers, payload: { title: 5 } }, '/body/title']
  ]
  for (const [what, request, path] of cases) {
    const res = await server.inject({ method: 'POST', ...request })
    t.equal(res.statusCode, 400, what)
    t.match(res.headers['content-type'], PROBLEM, what)
    const body = JSON.parse(res.body)
    t.match(body, { type: problemType('validation'), title: 'Bad Request', status: 400 }, what)
    t.ok(body.errors.some((e: { path: string }) => e.path === path), `${what}: an error at ${path} in ${JSON.stringify(body.errors)}`)
    t.match(body.detail, path, `${what}: the detail names the field`)
  }
  const ok = await server.inject({ method: 'POST', url: `${url}?limit=10`, headers, payload: { title: 'x', tags: ['a'] } })
  t.equal(ok.statusCode, 200, 'a valid request passes')
})

test('Fastify\'s own client errors become problems with their status', async (t) => {
  const { server } = await buildWithRoutes(t, (app) => {
    app.post('/test/echo', async (request) => request.body)
    app.get('/test/client-error', async () => { throw Object.assign(new Error('Range Not Satisfiable'), { statusCode: 416 }) })
  })
  const malformed = await server.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.headers['content-type'], PROBLEM)
  t.match(JSON.parse(malformed.body), { type: problemType('malformed-body'), title: 'Bad Request', status: 400, instance: '/test/echo' })
  assertNoLeak(t, malformed.body, 'malformed JSON')

  const empty = await server.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '' })
  t.equal(empty.statusCode, 400)
  t.match(JSON.parse(empty.body), { type: problemType('malformed-body'), status: 400 })

  const media = await server.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' })
  t.equal(media.statusCode, 415)
  t.match(JSON.parse(media.body), { type: problemType('unsupported-media-type'), title: 'Unsupported Media Type', status: 415 })

  const large = await server.inject({ method: 'POST', url: '/test/echo', payload: { a: 'x'.repeat(1024 * 1024) } })
  t.equal(large.statusCode, 413)
  t.match(JSON.parse(large.body), { type: problemType('body-too-large'), title: 'Payload Too Large', status: 413 })

  const proto = await server.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' })
  t.equal(proto.statusCode, 400, 'a __proto__ key is refused')
  t.match(proto.headers['content-type'], PROBLEM)

  const other = await server.inject({ method: 'GET', url: '/test/client-error' })
  t.equal(other.statusCode, 416)
  t.match(JSON.parse(other.body), { type: problemType('bad-request'), title: 'Range Not Satisfiable', status: 416, detail: 'Range Not Satisfiable' })
})

test('a body of exactly 1 MiB is accepted', async (t) => {
  const { server } = await buildWithRoutes(t, (app) => {
    app.post('/test/size', async (request) => ({ length: JSON.stringify(request.body).length }))
  })
  const overhead = JSON.stringify({ a: '' }).length
  const payload = JSON.stringify({ a: 'x'.repeat(1024 * 1024 - overhead) })
  t.equal(Buffer.byteLength(payload), 1024 * 1024)
  const res = await server.inject({ method: 'POST', url: '/test/size', headers: { 'content-type': 'application/json' }, payload })
  t.equal(res.statusCode, 200)
  const over = await server.inject({ method: 'POST', url: '/test/size', headers: { 'content-type': 'application/json' }, payload: payload + ' ' })
  t.equal(over.statusCode, 413, 'one byte more is refused')
})

test('problemBody: the RFC 9457 shape, optional members only when given', async (t) => {
  t.same(problemBody(409, 'slug-taken', 'The slug is taken'), {
    type: 'urn:khabar:problem:slug-taken', title: 'Conflict', status: 409, detail: 'The slug is taken'
  })
  t.same(problemBody(400, 'validation', 'Bad', '/v1/x?y=1', [{ path: '/body/a', message: 'is wrong' }]), {
    type: 'urn:khabar:problem:validation',
    title: 'Bad Request',
    status: 400,
    detail: 'Bad',
    instance: '/v1/x?y=1',
    errors: [{ path: '/body/a', message: 'is wrong' }]
  })
  t.same(problemBody(409, 'tag-exists', 'Taken', undefined, undefined, { existingId: 3 }), {
    type: 'urn:khabar:problem:tag-exists', title: 'Conflict', status: 409, detail: 'Taken', existingId: 3
  }, 'existingId, after the RFC 9457 members')
  t.equal(problemBody(499, 'odd', 'Odd').title, 'Error', 'a status without a reason phrase')
})

test('a validation error without context or message still answers a usable problem', async (t) => {
  const { server } = await buildWithRoutes(t, (app) => {
    app.get('/test/bare-validation', async () => {
      throw Object.assign(new Error('invalid'), { validation: [{ instancePath: '/title', params: {} }] })
    })
  })
  const res = await server.inject({ method: 'GET', url: '/test/bare-validation' })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], PROBLEM)
  t.same(JSON.parse(res.body).errors, [{ path: '/body/title', message: 'is invalid' }])
})
