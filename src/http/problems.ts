import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  Conflict, DomainError, Invalid, Moved, NotFound, PreconditionFailed, type FieldError
} from '../domain/errors.ts'
import { pointer } from '../domain/shapes/validate.ts'
import { normalizeSlugInput } from '../text/index.ts'

// The one place where errors become answers: RFC 9457 problems
// (application/problem+json), and the 301 of a slug that moved.

export interface ProblemItem { path: string, message: string }

// What the HTTP side itself refuses (a query too long, too many requests, an
// overloaded server, a bad key), with its status.
export class HttpProblem extends Error {
  constructor (
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extra: { errors?: ProblemItem[], headers?: Record<string, string> } = {}
  ) {
    super(detail)
  }

  answer (): Answer {
    return { status: this.status, code: this.code, detail: this.message, ...this.extra }
  }
}

export const unauthorized = (detail: string): HttpProblem =>
  new HttpProblem(401, 'unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="khabar"' } })

export const forbidden = (detail: string): HttpProblem => new HttpProblem(403, 'forbidden', detail)

export const problemType = (code: string): string => `urn:khabar:problem:${code}`

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  errors?: ProblemItem[]
  existingId?: number
}

// Members a problem may carry beyond RFC 9457's (each declared in the Problem schema).
export interface ProblemMembers { existingId?: number }

// The RFC 9457 body every error answer carries; the title is the status's own.
export function problemBody (status: number, code: string, detail: string, instance?: string, errors?: ProblemItem[], members: ProblemMembers = {}): ProblemBody {
  return {
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    ...(errors === undefined ? {} : { errors }),
    ...(members.existingId === undefined ? {} : { existingId: members.existingId })
  }
}

// A field the domain named, as a JSON pointer into the request part it came from:
// a field the route's query string declares is in it, anything else in the body.
function fieldPointer (request: FastifyRequest, field: string): string {
  const query = (request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties
  const top = field.split('/')[0]
  const part = query !== undefined && top !== '' && Object.hasOwn(query, top) ? 'querystring' : 'body'
  return field === '' ? `/${part}` : `/${part}/${field}`
}

export const fieldItems = (request: FastifyRequest, fields: FieldError[]): ProblemItem[] =>
  fields.map(f => ({ path: fieldPointer(request, f.field), message: f.message }))

export interface Answer { status: number, code: string, detail: string, errors?: ProblemItem[], headers?: Record<string, string>, members?: ProblemMembers }

// A domain refusal as an answer; undefined for anything that is not one.
export function domainAnswer (error: unknown, request: FastifyRequest): Answer | undefined {
  if (!(error instanceof DomainError)) return undefined
  if (error instanceof NotFound) return { status: 404, code: 'not-found', detail: error.message }
  if (error instanceof Conflict) {
    return { status: 409, code: error.code, detail: error.message, ...(error.existingId === undefined ? {} : { members: { existingId: error.existingId } }) }
  }
  if (error instanceof Invalid) {
    const errors = fieldItems(request, error.fields)
    const detail = error.explained ? error.message : errors.map(e => `${e.path}: ${e.message}`).join('; ')
    return { status: 400, code: 'validation', detail, errors }
  }
  if (error instanceof PreconditionFailed) return { status: 412, code: 'precondition-failed', detail: error.message }
  // Unauthorized, the last kind of refusal (Moved is an answer: see src/http/app.ts).
  return unauthorized(error.message).answer()
}

// The URL asked for, with the old slug's path segment (raw or percent-encoded)
// replaced by the current slug, percent-encoded; the query string is kept.
export function movedUrl (url: string, moved: Moved, normalize: (segment: string) => string): string {
  const [path, query] = url.split('?', 2)
  const segments = path.split('/').map(segment => normalize(segment) === moved.from ? encodeURIComponent(moved.to) : segment)
  return segments.join('/') + (query === undefined ? '' : `?${query}`)
}

// Fastify's own client errors, by code, as problem types.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body'
}

// The app's error handler: every error becomes an answer here, and only here.
export function answerError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500
  let code = 'internal'
  let detail = 'The server failed to answer this request; the details are in its log'
  let errors: ProblemItem[] | undefined
  let members: ProblemMembers | undefined
  // A slug that moved is no problem: a plain 301 to where the resource is now.
  if (error instanceof Moved) {
    return reply.code(301).header('location', movedUrl(request.url, error, normalizeSlugInput)).send()
  }
  const known: Answer | undefined = error instanceof HttpProblem ? error.answer() : domainAnswer(error, request)
  if (known !== undefined) {
    ({ status, code, detail, errors, members } = known)
    if (known.headers !== undefined) reply.headers(known.headers)
  } else if (error.validation !== undefined) {
    status = 400
    code = 'validation'
    errors = error.validation.map(v => ({
      path: `/${error.validationContext ?? 'body'}${pointer(v)}`,
      message: v.message ?? 'is invalid'
    }))
    detail = errors.map(e => `${e.path} ${e.message}`).join('; ')
  } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    status = error.statusCode
    code = FASTIFY_CODES[error.code] ?? 'bad-request'
    detail = error.message
    // Fastify closes the connection after a body it stopped reading; the client, still
    // sending, would then lose the answer to a reset. Kept open, the rest is read and
    // dropped (src/http/plugins/request-limits.ts bounds how much) and the 413 arrives.
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') reply.removeHeader('connection')
  } else {
    request.log.error({ err: error }, 'request failed')
  }
  return reply.code(status).type('application/problem+json').send(problemBody(status, code, detail, request.url, errors, members))
}
