import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Khabar } from '../compose.ts'
import { answerError, problemBody } from './problems.ts'
import { registerSchemas } from './schemas/index.ts'
import { problemResponse } from './schemas/common.ts'
import swagger from './plugins/swagger.ts'
import cors from './plugins/cors.ts'
import compress from './plugins/compress.ts'
import helmet from './plugins/helmet.ts'
import underPressure from './plugins/under-pressure.ts'
import rateLimit from './plugins/rate-limit.ts'
import requestLimits from './plugins/request-limits.ts'
import khabar from './plugins/khabar.ts'
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
  // khabar as src/compose.ts built it; the app starts its background work once ready
  // and closes it with itself.
  khabar: Khabar
  // With REDIS_URL, a namespace for the rate limits' counts under khabar-rl: (see
  // plugins/rate-limit.ts); not a setting: tests give each run its own.
  rateLimitNamespace?: string
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

async function app (fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  const { config } = opts.khabar
  registerSchemas(fastify)
  // Order matters: plugins registered later (swagger-ui's encapsulated routes, the
  // resource routes) inherit the hooks and the error handler set before them. Their
  // onRequest hooks run in this order too: helmet and CORS headers go on every answer,
  // 429 and 503 included; load shedding and rate limits come before auth and the
  // response cache, so a refused request costs no key lookup and a cached read still counts.
  await fastify.register(helmet)
  await fastify.register(cors, { config })
  await fastify.register(compress)
  await fastify.register(underPressure, { config })
  await fastify.register(rateLimit, { config, namespace: opts.rateLimitNamespace })
  await fastify.register(requestLimits)
  await fastify.register(khabar, { khabar: opts.khabar })
  await fastify.register(auth)
  await fastify.register(httpCache)

  fastify.setErrorHandler(answerError)

  fastify.setNotFoundHandler((request, reply) => {
    reply.code(404).type('application/problem+json')
      .send(problemBody(404, 'not-found', `There is no ${request.method} ${request.url.split('?')[0]}`, request.url))
  })

  // Bodies are JSON (and NDJSON where a route says so): anything else is a 415.
  fastify.removeContentTypeParser('text/plain')

  await fastify.register(swagger)

  // A /v1 route without a query schema takes no query parameters: unknown ones are a 400.
  // Every route also lists, here and only here, the answers it gives whatever it does: a
  // URL or query too long is a 414 anywhere; a bad key is a 401 anywhere auth looks at
  // keys; a /v1 request may be invalid (400), rate limited (429), refused while the
  // server is overloaded (503) or fail (500);
  // and a method that may carry a body may get one too large (413) or not JSON (415),
  // even where it expects none.
  fastify.addHook('onRoute', (route) => {
    if (route.schema === undefined) return
    if (route.url.startsWith('/v1') && route.schema.querystring === undefined) {
      route.schema.querystring = { type: 'object', additionalProperties: false, properties: {} }
    }
    const response = route.schema.response as Record<number, unknown> | undefined
    if (response === undefined) return
    const statuses = route.url.startsWith('/v1') ? [400, 401, 414, 429, 500, 503] : [414]
    if (route.config?.keyless !== true && !route.url.startsWith('/v1')) statuses.push(401)
    if (BODY_METHODS.has(String(route.method))) statuses.push(413, 415)
    for (const status of statuses) response[status] ??= problemResponse(status)
  })

  await fastify.register(operationsRoutes)
  await fastify.register(articleRoutes, { prefix: '/v1/articles' })
  await fastify.register(viewRoutes, { prefix: '/v1/articles' })
  await fastify.register(relatedRoutes, { prefix: '/v1/articles' })
  await fastify.register(revisionRoutes, { prefix: '/v1/articles' })
  const { articleQueries, categories, tags } = fastify.services
  await fastify.register(slugRoutes, { prefix: '/v1/articles', kind: 'article', tag: 'articles', exists: async id => await articleQueries.findRaw(String(id)) !== undefined })
  await fastify.register(slugRoutes, { prefix: '/v1/categories', kind: 'category', tag: 'categories', exists: async id => await categories.find(String(id)) !== undefined })
  await fastify.register(slugRoutes, { prefix: '/v1/tags', kind: 'tag', tag: 'tags', exists: async id => await tags.find(String(id)) !== undefined })
  await fastify.register(rankingRoutes, { prefix: '/v1/rankings' })
  await fastify.register(searchRoutes, { prefix: '/v1/search' })
  await fastify.register(categoryRoutes, { prefix: '/v1/categories' })
  await fastify.register(tagRoutes, { prefix: '/v1/tags' })
  await fastify.register(mediaRoutes, { prefix: '/v1/media' })
  await fastify.register(keyRoutes, { prefix: '/v1/keys' })
  await fastify.register(transferRoutes, { prefix: '/v1' })
}

// The app as a plugin: the server and the tests register it with the same options.
// Not encapsulated, so tests reach its decorators (khabar, services).
export default fp(app, { name: 'khabar' })
