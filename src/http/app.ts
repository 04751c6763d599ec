import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import type { Clock } from '../domain/clock.ts'
import type { ViewOptions } from '../domain/views/view-service.ts'
import { HttpProblem, Moved, problemBody, type ProblemItem } from '../domain/errors.ts'
import { normalizeSlugInput } from '../text/index.ts'
import { registerSchemas } from './schemas/index.ts'
import { problemResponse } from '../domain/shapes/common.ts'
import swagger from './plugins/swagger.ts'
import cors from './plugins/cors.ts'
import helmet from './plugins/helmet.ts'
import underPressure from './plugins/under-pressure.ts'
import rateLimit from './plugins/rate-limit.ts'
import requestLimits from './plugins/request-limits.ts'
import services from './plugins/services.ts'
import auth from './plugins/auth.ts'
import httpCache from './plugins/http-cache.ts'
import operationsRoutes from './routes/operations.ts'
import articleRoutes from './routes/v1/articles/index.ts'
import categoryRoutes from './routes/v1/categories.ts'
import viewRoutes from './routes/v1/articles/views.ts'
import rankingRoutes from './routes/v1/rankings.ts'
import revisionRoutes from './routes/v1/articles/revisions.ts'
import slugRoutes from './routes/v1/slugs.ts'
import relatedRoutes from './routes/v1/articles/related.ts'
import searchRoutes from './routes/v1/search.ts'
import tagRoutes from './routes/v1/tags.ts'
import mediaRoutes from './routes/v1/media.ts'
import keyRoutes from './routes/v1/keys.ts'
import transferRoutes from './routes/v1/transfer.ts'

export interface AppOptions {
  config: Config
  clock?: Clock
  // Tests shorten or lengthen the view flush interval and dedupe bounds.
  views?: Partial<ViewOptions>
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// Fastify's own client errors, by code, as problem types.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body'
}

async function app (fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  registerSchemas(fastify)
  // Order matters: plugins registered later (swagger-ui's encapsulated routes, the
  // resource routes) inherit the hooks and the error handler set before them. Their
  // onRequest hooks run in this order too: helmet and CORS headers go on every answer,
  // 429 and 503 included; load shedding and rate limits come before auth and the
  // response cache, so a refused request costs no key lookup and a cached read still counts.
  await fastify.register(helmet)
  await fastify.register(cors, { config: opts.config })
  await fastify.register(underPressure, { config: opts.config })
  await fastify.register(rateLimit, { config: opts.config })
  await fastify.register(requestLimits)
  await fastify.register(services, { config: opts.config, clock: opts.clock, views: opts.views })
  await fastify.register(auth)
  await fastify.register(httpCache)

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    let status = 500
    let code = 'internal'
    let detail = 'The server failed to answer this request; the details are in its log'
    let errors: ProblemItem[] | undefined
    if (error instanceof HttpProblem) {
      status = error.status
      code = error.code
      detail = error.message
      errors = error.errors
      if (error.headers !== undefined) reply.headers(error.headers)
      if (error instanceof Moved) reply.header('location', movedUrl(request.url, error.from, error.to))
    } else if (error.validation !== undefined) {
      status = 400
      code = 'validation'
      errors = error.validation.map(v => ({
        path: `/${error.validationContext ?? 'body'}${v.instancePath}${extraSegment(v.params)}`,
        message: v.message ?? 'is invalid'
      }))
      detail = errors.map(e => `${e.path} ${e.message}`).join('; ')
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode
      code = FASTIFY_CODES[error.code] ?? 'bad-request'
      detail = error.message
    } else {
      request.log.error({ err: error }, 'request failed')
    }
    reply.code(status).type('application/problem+json').send(problemBody(status, code, detail, request.url, errors))
  })

  fastify.setNotFoundHandler((request, reply) => {
    reply.code(404).type('application/problem+json')
      .send(problemBody(404, 'not-found', `There is no ${request.method} ${request.url.split('?')[0]}`, request.url))
  })

  // Bodies are JSON (and NDJSON where a route says so): anything else is a 415.
  fastify.removeContentTypeParser('text/plain')

  await fastify.register(swagger)

  // A /v1 route without a query schema takes no query parameters: unknown ones are a 400.
  // Every route also lists the answers it gives whatever it declares: a bad key is a 401
  // anywhere (auth runs on every request), and a method that may carry a body may get
  // one too large (413) or not JSON (415), even where it expects none.
  fastify.addHook('onRoute', (route) => {
    if (route.schema === undefined) return
    if (route.url.startsWith('/v1') && route.schema.querystring === undefined) {
      route.schema.querystring = { type: 'object', additionalProperties: false, properties: {} }
    }
    const response = route.schema.response as Record<number, unknown> | undefined
    if (response === undefined) return
    const statuses = route.url.startsWith('/v1') ? [400, 401] : [401]
    if (BODY_METHODS.has(String(route.method))) statuses.push(413, 415)
    for (const status of statuses) response[status] ??= problemResponse(status)
  })

  await fastify.register(operationsRoutes)
  await fastify.register(articleRoutes, { prefix: '/v1/articles' })
  await fastify.register(viewRoutes, { prefix: '/v1/articles' })
  await fastify.register(relatedRoutes, { prefix: '/v1/articles' })
  await fastify.register(revisionRoutes, { prefix: '/v1/articles' })
  const { articleQueries, categories, tags } = fastify.services
  await fastify.register(slugRoutes, { prefix: '/v1/articles', kind: 'article', tag: 'articles', exists: id => articleQueries.findRaw(String(id)) !== undefined })
  await fastify.register(slugRoutes, { prefix: '/v1/categories', kind: 'category', tag: 'categories', exists: id => categories.find(String(id)) !== undefined })
  await fastify.register(slugRoutes, { prefix: '/v1/tags', kind: 'tag', tag: 'tags', exists: id => tags.find(String(id)) !== undefined })
  await fastify.register(rankingRoutes, { prefix: '/v1/rankings' })
  await fastify.register(searchRoutes, { prefix: '/v1/search' })
  await fastify.register(categoryRoutes, { prefix: '/v1/categories' })
  await fastify.register(tagRoutes, { prefix: '/v1/tags' })
  await fastify.register(mediaRoutes, { prefix: '/v1/media' })
  await fastify.register(keyRoutes, { prefix: '/v1/keys' })
  await fastify.register(transferRoutes, { prefix: '/v1' })
}

// The app as a plugin: the server and the tests register it with the same options.
// Not encapsulated, so tests reach its decorators (services, database).
export default fp(app, { name: 'khabar' })

// The URL asked for, with the old slug's path segment (raw or percent-encoded)
// replaced by the current slug, percent-encoded; the query string is kept.
function movedUrl (url: string, from: string, to: string): string {
  const [path, query] = url.split('?', 2)
  const segments = path.split('/').map(segment => normalizeSlugInput(segment) === from ? encodeURIComponent(to) : segment)
  return segments.join('/') + (query === undefined ? '' : `?${query}`)
}

// Points a required or unknown property at itself rather than at its parent object.
function extraSegment (params: Record<string, unknown>): string {
  const name = params.missingProperty ?? params.additionalProperty
  return typeof name === 'string' ? `/${name}` : ''
}
