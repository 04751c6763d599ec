// Schema-driven fuzzing: for every operation in openapi/openapi.json, requests built from
// its own parameters and body schema, then broken one way each (wrong types, numbers out
// of range, huge and hostile strings, unknown and missing fields, malformed JSON, wrong
// content types, missing and wrong keys). Every answer must be below 500, one of the
// statuses the document promises for that operation, and a problem+json when it is an
// error. The seed is fixed, so a failure names a case that replays exactly.
import { readFileSync } from 'node:fs'
import { test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { bearer, build, type TestApp } from './helper.ts'
import { attachMedia, createArticle, createCategory, createMedia, createTag } from './factories.ts'
// The bench's seeded PRNG: the same cases on every run.
import { mulberry32 } from './support/prng.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 0x6b686272)
const CASES_PER_OPERATION = Number(process.env.FUZZ_CASES ?? 128)
// Statuses the server may answer on any path, whatever an operation documents.
const ANY_OPERATION = new Set([404, 405, 414, 429])

type Schema = Record<string, any>
interface Operation { method: string, path: string, op: Schema }
interface Case {
  kind: string
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
}

const doc = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'))

const HOSTILE = [
  '\u202Eevil\u202C', 'a\u200Db\u200Dc', '\u200F\u200E\u2066x\u2069', 'a\u0000b', '\u0000', '\ud800', '\udfffx\ud800',
  '👨‍👩‍👧 🇸🇾 𝕏', 'ـــــ', 'Z̴̡̛̖a̶l̵g̷o̴', '\uFEFFbom', '\r\n\t\v\f', '\u2028\u2029', '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>', "' OR 1=1 --", "'; DROP TABLE articles; --", '" OR ""="', 'NEAR(a b, 1)',
  'title:x', 'a* OR b*', '^start', '"unterminated', '(((', 'AND', 'NOT', '-', '*', '%', '_', '\\', '../../etc/passwd',
  '$' + '{7*7}', '{{7*7}}', '__proto__', 'constructor', 'ا'.repeat(5000), 'x'.repeat(10_000), '١٢٣', ' ', '', '\u00A0',
  'javascript:alert(1)', 'data:text/html,<b>x</b>', 'https://exa mple.com', 'http://[::1', 'وال', 'ال', 'و', 'أإآٱ ى ة'
]
// Percent-encodings a URL may carry that no string encodes to: invalid UTF-8, lone
// surrogates (CESU-8), stray percents, encoded slashes and NULs. No dot segments: inject()
// resolves them as a browser would, and the request would go to another operation.
const RAW_URL = ['%', '%zz', '%ED%A0%80', '%FF', '%C0%AF', '%00', '%2F', '..%2F..%2F', '%E2%80%AE', '%25', '%F0%9F', '%2E%2F']
const BAD_NUMBERS: unknown[] = [0, -1, 1.5, 2 ** 53, 2 ** 64, 1e308, -1e308, 'NaN', 'Infinity', '1e3', '0x10', '+1', ' 1', '١', '', 'null', 'true', [], {}, null, true]
const RAW_NUMBERS = ['1e400', '-1e400', '1e-400', '-0', '0.0000001', '123456789012345678901234567890']
const MALFORMED_JSON = ['{"title":', "{'title':'x'}", '[', 'nul', '{"a":1,}', '\uFEFF{}', '{"a":"\\ud800"}', '{"a":"\\x41"}',
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '['.repeat(5000) + ']'.repeat(5000), '"just a string"', '42', 'null', '', ' ', '{}garbage']
const CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/x-ndjson', 'image/png', 'application/json-patch+json', '*/*', 'garbage']
const BAD_AUTH = ['Bearer khb_wrong-key-000000000000000000', 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer \u202E', 'bearer  ' + 'x'.repeat(600), 'Token abc', 'Bearer khb_\u0000', '']

function resolve (schema: Schema | undefined): Schema {
  if (schema === undefined) return {}
  if (typeof schema.$ref === 'string') return resolve(doc.components.schemas[schema.$ref.split('/').pop() as string])
  return schema
}

function typesOf (schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type
  if (typeof schema.type === 'string') return [schema.type]
  if (Array.isArray(schema.anyOf)) return schema.anyOf.flatMap((s: Schema) => typesOf(resolve(s)))
  return []
}

// Strings a pattern-bound parameter may take; the first that matches is the valid one.
const PATTERN_SAMPLES = ['ar', 'category', 'id,title', 'published', '2026-11-26T12:00:00.000Z', '1']

// A value the schema accepts, with fixtures where a real one is needed.
function valid (schema0: Schema, rand: () => number, name = ''): unknown {
  const schema = resolve(schema0)
  if (schema.examples !== undefined && schema.type !== 'object' && schema.type !== 'array') return schema.examples[0]
  if (Array.isArray(schema.enum)) return schema.enum[Math.floor(rand() * schema.enum.length)]
  const type = typesOf(schema).find(t => t !== 'null') ?? (schema.anyOf !== undefined ? 'object' : 'string')
  if (schema.anyOf !== undefined) return valid(schema.anyOf[0], rand, name)
  switch (type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 100, 1))
    case 'boolean':
      return rand() < 0.5
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () => valid(schema.items ?? {}, rand, name))
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, prop] of Object.entries<Schema>(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(key) || rand() < 0.4) out[key] = valid(prop, rand, key)
      }
      return out
    }
    default: {
      if (schema.format === 'date-time') return '2026-11-26T12:00:00.000Z'
      if (schema.format === 'uri' || /url$/i.test(name)) return `https://example.com/fuzz/${Math.floor(rand() * 1e9)}`
      if (typeof schema.pattern === 'string') return PATTERN_SAMPLES.find(s => new RegExp(schema.pattern, 'u').test(s))
      return `خبر ${Math.floor(rand() * 1e6)}`.slice(0, schema.maxLength ?? 100)
    }
  }
}

// A value of another type than the schema wants.
function wrongType (schema: Schema, rand: () => number): unknown {
  const types = typesOf(resolve(schema))
  const candidates: unknown[] = [42, -7.5, true, 'نص', [1, 'x'], { a: 1 }, null].filter(v => {
    const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v
    return !types.includes(t) && !(t === 'integer' && types.includes('number'))
  })
  return pick(rand, candidates)
}

function outOfRange (schema0: Schema, rand: () => number): unknown {
  const schema = resolve(schema0)
  const options: unknown[] = [...BAD_NUMBERS]
  if (typeof schema.minimum === 'number') options.push(schema.minimum - 1)
  if (typeof schema.maximum === 'number') options.push(schema.maximum + 1)
  if (typeof schema.maxLength === 'number') options.push('x'.repeat(schema.maxLength + 1))
  if (typeof schema.minLength === 'number' && schema.minLength > 0) options.push('')
  if (typeof schema.maxItems === 'number') options.push(Array.from({ length: schema.maxItems + 1 }, () => valid(schema.items ?? {}, rand)))
  if (Array.isArray(schema.enum)) options.push(`${String(schema.enum[0])}x`, String(schema.enum[0]).toUpperCase())
  return pick(rand, options)
}

function pick<T> (rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]
}

// Header values are bytes: no control character, and nothing past Latin-1, reaches the
// server in one.
function headerSafe (value: string): string {
  return [...value].map(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) > 0xff ? '?' : c).join('')
}

// encodeURIComponent throws on lone surrogates; send what a client's bytes would be.
function encode (value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
  try {
    return encodeURIComponent(text)
  } catch {
    return [...text].map(c => /[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c)).join('')
  }
}

interface Fixtures {
  article: { id: number, slug: string }
  category: { id: number, slug: string }
  tag: { id: number, slug: string }
  media: { id: number }
  key: { id: number }
  adminKey: string
  editorKey: string
}

function validPath (path: string, name: string, fx: Fixtures): string {
  const resource = path.split('/')[2]
  const owner = resource === 'categories'
    ? fx.category
    : resource === 'tags' ? fx.tag : resource === 'media' ? fx.media : resource === 'keys' ? fx.key : fx.article
  if (name === 'id') return String(owner.id)
  if (name === 'idOrSlug') return encodeURIComponent('slug' in owner ? String(owner.slug) : String(owner.id))
  if (name === 'revision') return '1'
  return 'no-such-slug'
}

function makeCase (operation: Operation, rand: () => number, fx: Fixtures): Case {
  const { method, path, op } = operation
  const params: Schema[] = op.parameters ?? []
  const pathParams = params.filter(p => p.in === 'path')
  const queryParams = params.filter(p => p.in === 'query')
  const headerParams = params.filter(p => p.in === 'header')
  const bodySchema = op.requestBody?.content?.['application/json']?.schema as Schema | undefined
  // An NDJSON body names the schema of its lines in its description.
  const ndjson = op.requestBody?.content?.['application/x-ndjson']?.schema as Schema | undefined
  const lineSchema = ndjson === undefined ? undefined : doc.components.schemas[/components\.schemas\.(\w+)/.exec(String(ndjson.description))?.[1] ?? ''] as Schema | undefined

  const pathValues: Record<string, string> = Object.fromEntries(pathParams.map(p => [p.name, validPath(path, p.name, fx)]))
  // A cursor is only valid when the server issued it: never part of the good base.
  const query: Array<[string, string]> = queryParams.filter(p => p.name !== 'cursor' && rand() < 0.2).map(p => [p.name, encode(valid(p.schema, rand, p.name))])
  const headers: Record<string, string> = rand() < 0.5 ? bearer(fx.adminKey) : rand() < 0.5 ? bearer(fx.editorKey) : {}
  let body: unknown = bodySchema === undefined ? undefined : valid(bodySchema, rand)
  let payload: string | undefined
  let contentType: string | undefined

  const kinds = ['unknown-query', 'bad-auth', 'hostile-url-tail']
  if (pathParams.length > 0) kinds.push('path-wrong', 'path-huge', 'path-raw', 'path-hostile', 'path-number')
  if (queryParams.length > 0) kinds.push('query-wrong', 'query-range', 'query-hostile', 'query-repeat', 'query-empty')
  if (headerParams.length > 0) kinds.push('header-hostile')
  if (bodySchema !== undefined) {
    kinds.push('body-field-type', 'body-field-range', 'body-field-hostile', 'body-hostile-all', 'body-unknown', 'body-missing',
      'body-malformed', 'body-content-type', 'body-whole-type', 'body-raw-number', 'body-valid')
  } else if (lineSchema !== undefined) {
    kinds.push('ndjson-lines', 'ndjson-lines', 'ndjson-content-type')
  } else if (method !== 'get' && method !== 'delete') {
    kinds.push('body-unexpected')
  }
  if (rand() < 0.03) kinds.push('body-too-large')
  const kind = pick(rand, kinds)
  let detail = ''

  const bodyProps = (): Array<[string, Schema]> => Object.entries<Schema>(resolve(bodySchema).properties ?? resolve(resolve(bodySchema).items).properties ?? {})
  const target = (): Record<string, unknown> => {
    if (Array.isArray(body)) {
      if (body.length === 0) body.push({})
      return body[0] as Record<string, unknown>
    }
    if (typeof body !== 'object' || body === null) body = {}
    return body as Record<string, unknown>
  }
  const setField = (make: (schema: Schema) => unknown): void => {
    const props = bodyProps()
    if (props.length === 0) return
    const [key, schema] = pick(rand, props)
    const value = make(schema)
    target()[key] = value
    detail = `${key}=${JSON.stringify(value)?.slice(0, 40)}`
  }

  switch (kind) {
    case 'path-wrong':
    case 'path-huge':
    case 'path-raw':
    case 'path-hostile':
    case 'path-number': {
      const p = pick(rand, pathParams)
      const value = kind === 'path-wrong'
        ? encode(pick(rand, ['abc', 'true', '1.5', '-', '{}', 'null']))
        : kind === 'path-huge'
          ? pick(rand, ['x'.repeat(10_000), '%D8%AE'.repeat(200), '9'.repeat(400)])
          : kind === 'path-raw' ? pick(rand, RAW_URL) : kind === 'path-hostile' ? encode(pick(rand, HOSTILE)) : encode(pick(rand, BAD_NUMBERS))
      pathValues[p.name] = value === '' ? '%20' : value
      detail = `${p.name}=${value.slice(0, 40)}`
      break
    }
    case 'query-wrong':
    case 'query-range':
    case 'query-hostile':
    case 'query-repeat':
    case 'query-empty': {
      const p = pick(rand, queryParams)
      const value = kind === 'query-wrong'
        ? encode(wrongType(p.schema, rand))
        : kind === 'query-range'
          ? encode(outOfRange(p.schema, rand))
          : kind === 'query-hostile' ? (rand() < 0.2 ? pick(rand, RAW_URL) : encode(pick(rand, HOSTILE))) : kind === 'query-empty' ? '' : encode(valid(p.schema, rand))
      query.push([p.name, value])
      if (kind === 'query-repeat') query.push([p.name, value])
      detail = `${p.name}=${value.slice(0, 40)}`
      break
    }
    case 'unknown-query':
      query.push([pick(rand, ['bogus', '__proto__', 'constructor[prototype]', 'limit[]', 'a.b', '']), encode(pick(rand, HOSTILE))])
      break
    case 'hostile-url-tail':
      detail = pick(rand, ['/', '//', '/x', '?', '?&&', '?=', '#frag', ';x=1', '%00'])
      break
    case 'header-hostile': {
      const p = pick(rand, headerParams)
      headers[p.name] = headerSafe(pick(rand, ['', '*', 'W/"1"', '"1-abc"', '"\u202E"', 'x'.repeat(2000), '"-1"', '"1e400"', '1', '"99999999999999999999"', '"', ',,,']))
      detail = `${p.name}: ${headers[p.name].slice(0, 40)}`
      break
    }
    case 'bad-auth':
      headers.authorization = headerSafe(pick(rand, BAD_AUTH))
      detail = headers.authorization.slice(0, 40)
      break
    case 'body-field-type':
      setField(schema => wrongType(schema, rand))
      break
    case 'body-field-range':
      setField(schema => outOfRange(schema, rand))
      break
    case 'body-field-hostile':
      setField(() => pick(rand, HOSTILE))
      break
    case 'body-hostile-all':
      for (const [key, schema] of bodyProps()) {
        if (typesOf(resolve(schema)).includes('string') && resolve(schema).enum === undefined) target()[key] = pick(rand, HOSTILE).slice(0, resolve(schema).maxLength ?? 100) || 'x'
      }
      break
    case 'body-unknown':
      target()[pick(rand, ['bogus', 'id', 'createdAt', 'views', 'version', 'role', 'isAdmin', 'constructor', ''])] = pick(rand, HOSTILE)
      break
    case 'body-missing': {
      const required: string[] = resolve(bodySchema).required ?? resolve(resolve(bodySchema).items).required ?? []
      if (required.length > 0) {
        const key = pick(rand, required)
        delete target()[key]
        detail = key
      } else {
        body = {}
      }
      break
    }
    case 'body-malformed':
      payload = pick(rand, MALFORMED_JSON)
      contentType = 'application/json'
      detail = payload.slice(0, 40)
      break
    case 'body-content-type':
      contentType = pick(rand, CONTENT_TYPES)
      payload = rand() < 0.5 ? JSON.stringify(body) : pick(rand, ['<a>1</a>', 'a=1&b=2', 'plain text', '--x\r\n\r\n--x--'])
      detail = contentType
      break
    case 'body-whole-type':
      body = pick(rand, [[], [{}], 'text', 42, null, true, [[[]]]])
      payload = JSON.stringify(body)
      contentType = 'application/json'
      detail = payload
      break
    case 'body-raw-number': {
      const numeric = bodyProps().filter(([, s]) => typesOf(resolve(s)).some(t => t === 'integer' || t === 'number'))
      if (numeric.length > 0) {
        const [key] = pick(rand, numeric)
        target()[key] = '__RAW__'
        const raw = pick(rand, RAW_NUMBERS)
        payload = JSON.stringify(body).replace('"__RAW__"', raw)
        contentType = 'application/json'
        detail = `${key}=${raw}`
      }
      break
    }
    case 'body-unexpected':
      contentType = pick(rand, ['application/json', ...CONTENT_TYPES])
      payload = pick(rand, ['{"x":1}', 'garbage', '[', ''])
      detail = `${contentType} ${payload}`
      break
    case 'ndjson-lines':
    case 'ndjson-content-type': {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => ndjsonLine(lineSchema as Schema, rand))
      payload = lines.join(pick(rand, ['\n', '\r\n', '\n\n']))
      contentType = kind === 'ndjson-lines' ? pick(rand, ['application/x-ndjson', 'application/x-ndjson; charset=utf-8']) : pick(rand, ['application/json', ...CONTENT_TYPES])
      detail = `${lines.length} lines, ${contentType}`
      break
    }
    case 'body-too-large':
      contentType = 'application/json'
      payload = JSON.stringify({ title: 'x'.repeat(1024 * 1024 + 10) })
      break
  }

  if (payload === undefined && lineSchema !== undefined) {
    payload = JSON.stringify(valid(lineSchema, rand)) + '\n'
    contentType = 'application/x-ndjson'
  }
  if (payload === undefined && body !== undefined) {
    payload = JSON.stringify(body)
    contentType = 'application/json'
  }
  if (contentType !== undefined) headers['content-type'] = contentType
  const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => pathValues[name]) +
    (kind === 'hostile-url-tail' ? detail : '') +
    (query.length > 0 ? '?' + query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&') : '')
  return { kind: detail === '' ? kind : `${kind} (${detail})`, method: method.toUpperCase(), url, headers, payload }
}

// One line of an NDJSON body: a good one, or one broken in one of many ways.
function ndjsonLine (schema: Schema, rand: () => number): string {
  const line = valid(schema, rand) as Record<string, unknown>
  const props = Object.entries<Schema>(resolve(schema).properties ?? {})
  const [key, prop] = pick(rand, props)
  switch (Math.floor(rand() * 10)) {
    case 0: line[key] = wrongType(prop, rand); break
    case 1: line[key] = outOfRange(prop, rand); break
    case 2: line[key] = pick(rand, HOSTILE); break
    case 3: line[pick(rand, ['bogus', 'id', 'views', '__proto__'])] = 1; break
    case 4: return pick(rand, MALFORMED_JSON)
    case 5: return pick(rand, ['', ' ', '\r', '\u0000', '\uFEFF' + JSON.stringify(line), '[]', 'null', '"x"'])
    case 6: return rand() < 0.1 ? JSON.stringify({ ...line, body: 'x'.repeat(1024 * 1024) }) : JSON.stringify(line)
    default: break
  }
  return JSON.stringify(line)
}

function check (res: LightMyRequestResponse, documented: Set<number>): string | undefined {
  const status = res.statusCode
  if (status >= 500) return `answered ${status}: ${res.body.slice(0, 200)}`
  if (!documented.has(status) && !ANY_OPERATION.has(status)) return `answered ${status}, which the document does not list: ${res.body.slice(0, 160)}`
  if (status < 400) return undefined
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) return `${status} as ${String(res.headers['content-type'])}: ${res.body.slice(0, 120)}`
  let body: Record<string, unknown>
  try {
    body = JSON.parse(res.body)
  } catch {
    return `${status} with a body that is not JSON: ${res.body.slice(0, 120)}`
  }
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== status) return `${status} with a body that is no problem: ${res.body.slice(0, 160)}`
  return undefined
}

function operations (): Operation[] {
  const out: Operation[] = []
  for (const [path, item] of Object.entries<Record<string, Schema>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) out.push({ method, path, op })
  }
  // Reads first, deletions last, so the fixtures live (and stay published) while most
  // operations are fuzzed.
  const order = (method: string): number => method === 'get' ? 0 : method === 'delete' ? 2 : 1
  return out.sort((a, b) => order(a.method) - order(b.method))
}

test('fuzz: every operation answers bad input with a documented status and a problem, never a 500', { timeout: 120_000 }, async (t) => {
  const app: TestApp = await build(t)
  const category = await createCategory(app)
  const tag = await createTag(app, { name: 'وسم للفحص' })
  const media = await createMedia(app, { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' })
  const article = await createArticle(app, { categoryId: category.id, tags: [tag.name] })
  await attachMedia(app, article.id, [{ mediaId: media.id, role: 'featured' }])
  await app.inject({ method: 'PATCH', url: `/v1/articles/${article.id}`, headers: bearer(app.editorKey), payload: { title: `${article.title} (محدث)` } })
  const key = await app.services.keys.create('fuzz spare key', 'editor')
  const fx: Fixtures = { article, category, tag, media, key, adminKey: app.adminKey, editorKey: app.editorKey }

  const rand = mulberry32(SEED)
  const findings = new Map<string, string>()
  const statuses: Record<number, number> = {}
  let sent = 0
  const started = Date.now()
  for (const operation of operations()) {
    const documented = new Set(Object.keys(operation.op.responses).map(Number))
    const seen: Record<number, number> = {}
    for (let i = 0; i < CASES_PER_OPERATION; i++) {
      const c = makeCase(operation, rand, fx)
      const res = await app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, payload: c.payload })
      sent++
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
      seen[res.statusCode] = (seen[res.statusCode] ?? 0) + 1
      const problem = check(res, documented)
      const where = `${c.method} ${operation.path} [${c.kind.split(' ')[0]} → ${res.statusCode}]`
      if (problem !== undefined && !findings.has(where)) findings.set(where, `${c.kind}: ${c.method} ${c.url.slice(0, 120)}: ${problem}`)
    }
    if (process.env.FUZZ_VERBOSE !== undefined) t.comment(`${operation.method.toUpperCase()} ${operation.path}: ${JSON.stringify(seen)}`)
  }
  t.comment(`seed ${SEED}: ${sent} requests over ${operations().length} operations in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}`)
  t.ok(operations().length >= 25, 'the document lists the operations')
  t.ok(Object.keys(statuses).length >= 8, 'the cases reach many kinds of answer, not one')
  t.ok((statuses[400] ?? 0) > sent / 5, 'a good share of the cases reach validation')
  t.same([...findings.entries()].map(([where, what]) => `${where} ${what}`), [], 'nothing undocumented, no 500, every error a problem')
})
