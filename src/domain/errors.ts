import { STATUS_CODES } from 'node:http'

// Errors the services throw. The app's error handler turns each into an RFC 9457
// problem (application/problem+json); services never see request or reply.

export interface ProblemItem { path: string, message: string }

export class HttpProblem extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly errors?: ProblemItem[]
  readonly headers?: Record<string, string>

  constructor (status: number, code: string, title: string, detail: string, extra: { errors?: ProblemItem[], headers?: Record<string, string> } = {}) {
    super(detail)
    this.status = status
    this.code = code
    this.title = title
    this.errors = extra.errors
    this.headers = extra.headers
  }
}

// A resource asked for by a slug it had before: answered 301 to its current slug.
export class Moved extends HttpProblem {
  constructor (readonly from: string, readonly to: string) {
    super(301, 'moved', 'Moved Permanently', `"${from}" is now "${to}"`)
  }
}

export const problemType = (code: string): string => `urn:khabar:problem:${code}`

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  errors?: ProblemItem[]
}

// The RFC 9457 body every error answer carries.
export function problemBody (status: number, code: string, detail: string, instance?: string, errors?: ProblemItem[]): ProblemBody {
  return {
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    ...(errors === undefined ? {} : { errors })
  }
}

export const notFound = (what: string): HttpProblem =>
  new HttpProblem(404, 'not-found', 'Not Found', `${what} was not found`)

export const badRequest = (detail: string, errors?: ProblemItem[]): HttpProblem =>
  new HttpProblem(400, 'validation', 'Bad Request', detail, { errors })

export const invalidField = (path: string, message: string): HttpProblem =>
  new HttpProblem(400, 'validation', 'Bad Request', `${path}: ${message}`, { errors: [{ path, message }] })

export const conflict = (code: string, detail: string): HttpProblem =>
  new HttpProblem(409, code, 'Conflict', detail)

export const unauthorized = (detail: string): HttpProblem =>
  new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="khabar"' } })

export const forbidden = (detail: string): HttpProblem =>
  new HttpProblem(403, 'forbidden', 'Forbidden', detail)

export const preconditionFailed = (detail: string): HttpProblem =>
  new HttpProblem(412, 'precondition-failed', 'Precondition Failed', detail)
