import { Type, type TUnsafe } from 'typebox'
import { Id, Nullable, ref } from '../../domain/shapes/common.ts'

// The HTTP side's own shapes: the problem body, the list envelope, the answers every
// route may give, path parameters and security requirements.
export { CursorQuery, Id, LimitQuery, StringEnum, ref } from '../../domain/shapes/common.ts'

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'A URI naming the kind of problem, e.g. urn:khabar:problem:validation' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({
    path: Type.String({ description: 'JSON pointer into the request part, prefixed with it: /body/title, /querystring/limit' }),
    message: Type.String()
  }, { additionalProperties: false }))),
  existingId: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'On a 409 that refuses a duplicate (`media-exists`, `tag-exists`, `category-exists`, `external-id-taken`): the id of the resource that already holds it'
  }))
}, { $id: 'Problem', title: 'Problem', description: 'RFC 9457 problem details', additionalProperties: false })

export const ListMetaSchema = Type.Object({
  nextCursor: Nullable(Type.String({ description: 'Opaque; pass it back as `cursor` for the next page' })),
  total: Type.Optional(Type.Integer({ minimum: 0, description: 'Present when `count=true` was asked' }))
}, { $id: 'ListMeta', title: 'ListMeta', additionalProperties: false })

const problemContent = { 'application/problem+json': { schema: ref('Problem') } }

const statusDescriptions: Record<number, string> = {
  301: 'A slug the resource had before: Location holds its current URL',
  400: 'The request is malformed or fails validation',
  401: 'No key, or an unknown or revoked key',
  403: 'The key\'s role may not do this',
  404: 'No such resource (or not visible without a key)',
  409: 'The change conflicts with the current state',
  412: 'If-Match does not match the current version',
  413: 'The body is larger than 1 MiB',
  414: 'The path or the query string is too long (a query string over 4096 characters, a path segment over 600)',
  415: 'The body is not application/json',
  429: 'Too many requests from this address; see Retry-After and X-RateLimit-Limit, -Remaining, -Reset',
  500: 'The server failed; details are in its log',
  503: 'The server is overloaded; see Retry-After'
}

// Response schemas for the statuses a route answers beyond those every route may give
// (src/http/app.ts adds those: 400, 401, 414, 429, 500 and 503, and 413 and 415 where a body
// may come), all problem+json but the 301 of a slug that moved.
export function problems (...statuses: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {}
  for (const status of statuses) out[status] = status === 301 ? moved : problemResponse(status)
  return out
}

// An answer without a body (204, 304).
export const noContent = (description: string): TUnsafe<undefined> => Type.Unsafe<undefined>({ description, type: 'null' })

// A slug the resource had before: a plain redirect, no body.
const moved = {
  description: statusDescriptions[301],
  type: 'null',
  headers: { Location: { type: 'string', description: 'The same URL at the current slug, query kept' } }
}

export const problemResponse = (status: number): unknown => ({ description: statusDescriptions[status], content: problemContent })

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false })
export const IdOrSlugParams = Type.Object({
  idOrSlug: Type.String({ minLength: 1, maxLength: 600, description: 'A numeric id, or a slug (raw or percent-encoded)' })
}, { additionalProperties: false })

// A change names its target by id, at the place in the path where reads also take a
// slug: the parameter has the reads' name, as OpenAPI wants one name per place.
export const IdAtSlugParams = Type.Object({
  idOrSlug: Type.Integer({ ...Id, description: 'The numeric id (changes take the id, not a slug)' })
}, { additionalProperties: false })

type Requirement = Record<string, string[]>
export const security: { optional: Requirement[], required: Requirement[] } = {
  // A key is optional: with one, editors also see drafts, scheduled and trashed items.
  optional: [{}, { bearerAuth: [] }],
  required: [{ bearerAuth: [] }]
}
