import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { AjvCompiler } from '@fastify/ajv-compiler'
import pretty from 'pino-pretty'
import type { Config } from '../config.ts'
import { problemBody } from './problems.ts'
import { VALIDATION_OPTIONS } from '../domain/shapes/validate.ts'

export const BODY_LIMIT = 1024 * 1024

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null }

const PLAIN_INTEGER = /^-?(0|[1-9][0-9]{0,15})$/

// Every number in a query or path is an integer, and ajv's coercion is generous: "1e3",
// "0x3E8" and "1000.0" would all become 1000, and "1e400" Infinity (which then skips
// minimum and maximum). A value coerced to a number must have been written as one.
function plainNumbers (validate: Validate): Validate {
  const check: Validate = (data) => {
    const raw = { ...(data as Record<string, unknown>) }
    if (!validate(data)) {
      check.errors = validate.errors
      return false
    }
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (typeof value === 'number' && typeof raw[key] === 'string' && !PLAIN_INTEGER.test(raw[key])) {
        check.errors = [{ instancePath: `/${key}`, keyword: 'type', params: {}, schemaPath: '', message: 'must be an integer written in digits' }]
        return false
      }
    }
    check.errors = null
    return true
  }
  return check
}

// Errors the router raises before any route runs (a malformed percent-encoding, a path
// segment over maxParamLength) answer problem+json like every other error.
function frameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = Number(error.statusCode)
  reply.code(status).type('application/problem+json')
  reply.send(problemBody(status, status === 414 ? 'uri-too-long' : 'bad-request', error.message, request.url))
}

// What Node's HTTP parser refuses before Fastify sees a request, by llhttp's code.
const CLIENT_ERRORS: Record<string, { status: number, code: string, detail: string }> = {
  HPE_INVALID_URL: {
    status: 400,
    code: 'bad-request',
    detail: 'The URL has a character that must be percent-encoded: write non-ASCII text (Arabic slugs and ' +
      'filters, for example) as UTF-8 percent-encoding, as curl --data-urlencode -G, URLSearchParams or ' +
      'encodeURIComponent do'
  },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers-too-large', detail: 'The request headers are larger than the server accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request-timeout', detail: 'The request was not received in time' }
}
const MALFORMED = { status: 400, code: 'bad-request', detail: 'The request is not valid HTTP/1.1' }

// Fastify's default answers these as plain JSON and logs them at trace: a problem like
// every other error, logged where an operator sees it.
export function clientErrorHandler (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const known = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED
  this.log.info({ code: error.code, reason: error.message }, 'refused a malformed request')
  if (socket.writable) {
    const problem = problemBody(known.status, known.code, known.detail)
    const body = JSON.stringify(problem)
    socket.write(`HTTP/1.1 ${known.status} ${problem.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(error)
}

// Query strings and path parameters arrive as text and must be coerced; a JSON body
// must not be: `"5"` where a number belongs is a wrong type, not a number.
function buildValidator (externalSchemas: unknown, options: any): any {
  const factory = AjvCompiler()
  const coercing = factory(externalSchemas as any, options)
  const strict = factory(externalSchemas as any, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } })
  return (route: { httpPart?: string }) => route.httpPart === 'body' ? strict(route as any) : plainNumbers(coercing(route as any))
}

// Words for a person at a terminal; one JSON object a line for everything else (a pipe,
// a file, a container's log driver), unless LOG_FORMAT says which.
export function logFormat (config: Pick<Config, 'LOG_FORMAT'>, isTTY: boolean): 'json' | 'pretty' {
  if (config.LOG_FORMAT !== 'auto') return config.LOG_FORMAT
  return isTTY ? 'pretty' : 'json'
}

// pino-pretty in the process itself (not a transport's worker thread), writing
// synchronously, so the last lines before an exit are not lost.
export function prettyStream (destination: NodeJS.WritableStream | number = 1): NodeJS.WritableStream {
  return pretty({ destination, sync: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' })
}

// The one set of Fastify options: the server and the tests build the app with it. The
// server says whether its standard output is a terminal; everyone else logs JSON.
export function fastifyOptions (config: Config, output: { isTTY?: boolean } = {}): FastifyServerOptions {
  return {
    logger: config.LOG_LEVEL === 'silent'
      ? false
      : {
          level: config.LOG_LEVEL,
          redact: ['req.headers.authorization'],
          ...(logFormat(config, output.isTTY === true) === 'pretty' ? { stream: prettyStream() } : {})
        },
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // No deadline for a whole request: POST /v1/import streams a body of any size for as
    // long as it takes. Idle sockets still close (connectionTimeout), headers still
    // have Node's headersTimeout, and every other body is capped at BODY_LIMIT.
    requestTimeout: 0,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    trustProxy: config.TRUST_PROXY,
    routerOptions: {
      // Slugs are at most 80 letters, each up to 6 bytes percent-encoded in the URL.
      maxParamLength: 600,
      ignoreTrailingSlash: true
    },
    ajv: { customOptions: VALIDATION_OPTIONS },
    schemaController: { compilersFactory: { buildValidator } },
    frameworkErrors,
    clientErrorHandler
  }
}
