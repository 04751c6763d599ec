import { REQUEST_HEADERS, RESPONSE_HEADERS, type ResponseHeader } from './schemas/headers.ts'

// What the HTTP plugins do to every answer of a kind, written into the OpenAPI document
// by the same rules they follow, so the document says what the server does:
// - every GET (src/http/plugins/http-cache.ts): ETag, Cache-Control and Vary on a 200,
//   If-None-Match read, 304 sent; a list page (it takes `cursor`) has a Link;
// - every 201 has a Location;
// - every /v1 answer (src/http/plugins/rate-limit.ts) carries the X-RateLimit headers,
//   and 429 and 503 a Retry-After;
// - `fields=` answers (src/http/routes/helpers.ts project()) hold only the fields asked for.
// Headers that only one route sends are on its own response schema (withHeaders()).

type Json = Record<string, any>

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const RATE_LIMIT: ResponseHeader[] = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']
const headerRef = (name: ResponseHeader): Json => ({ $ref: `#/components/headers/${name}` })
const schemaRef = (name: string): string => `#/components/schemas/${name}`

// The shapes `fields=` cuts down, and the shape of what is left.
const PROJECTED = new Set([schemaRef('Article'), schemaRef('ArticleSummary')])
const FIELDS_SHAPE = schemaRef('ArticleFields')

function addHeaders (response: Json, names: ResponseHeader[]): void {
  response.headers ??= {}
  for (const name of names) response.headers[name] = headerRef(name)
}

// A header a route documented inline becomes a reference to the shared one.
function shareHeaders (response: Json): void {
  for (const name of Object.keys(response.headers ?? {})) {
    if (Object.hasOwn(RESPONSE_HEADERS, name) && response.headers[name].$ref === undefined && name !== 'Location') {
      response.headers[name] = headerRef(name as ResponseHeader)
    }
  }
}

// Where a projected shape stands, either it or what `fields=` leaves of it.
function allowProjection (schema: Json): Json {
  if (typeof schema.$ref === 'string' && PROJECTED.has(schema.$ref)) {
    return { anyOf: [{ $ref: schema.$ref }, { $ref: FIELDS_SHAPE }] }
  }
  for (const [key, value] of Object.entries(schema)) {
    if (value !== null && typeof value === 'object') schema[key] = allowProjection(value)
  }
  return schema
}

function describeOperation (path: string, method: string, operation: Json): void {
  const responses: Json = operation.responses
  const query = new Set((operation.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name))
  for (const response of Object.values<Json>(responses)) shareHeaders(response)
  if (method === 'get' && responses['200'] !== undefined) {
    operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/IfNoneMatch' }]
    addHeaders(responses['200'], query.has('cursor') ? ['ETag', 'Cache-Control', 'Vary', 'Link'] : ['ETag', 'Cache-Control', 'Vary'])
    responses['304'] = { description: 'Not modified: the ETag sent as If-None-Match is current; no body' }
    addHeaders(responses['304'], ['ETag', 'Cache-Control', 'Vary'])
  }
  if (responses['201'] !== undefined) addHeaders(responses['201'], ['Location'])
  if (query.has('fields') && responses['200']?.content?.['application/json']?.schema !== undefined) {
    const content = responses['200'].content['application/json']
    content.schema = allowProjection(content.schema)
  }
  if (path.startsWith('/v1')) {
    for (const response of Object.values<Json>(responses)) addHeaders(response, RATE_LIMIT)
  }
  for (const status of ['429', '503']) if (responses[status] !== undefined) addHeaders(responses[status], ['Retry-After'])
}

export function describeHttp<T extends object> (openapi: T): T {
  const document = openapi as Json
  document.components.headers = Object.fromEntries(Object.entries(RESPONSE_HEADERS).map(([name, { description, ...schema }]) =>
    [name, { description, schema }]))
  document.components.parameters = { ...REQUEST_HEADERS }
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    for (const method of METHODS) if (item[method] !== undefined) describeOperation(path, method, item[method])
  }
  return openapi
}
