import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import { corsOrigins, type Config } from '../../config.ts'

// Cross-origin access only for the origins CORS_ORIGINS names (none by default).
export default fp(async function corsPlugin (app: FastifyInstance, opts: { config: Config }) {
  const origins = corsOrigins(opts.config)
  await app.register(cors, {
    origin: origins.length === 0 ? false : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match'],
    // A browser client backs off when it can read the limits and Retry-After.
    exposedHeaders: ['ETag', 'Link', 'Location', 'Last-Modified', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    // Strict mode answers an OPTIONS without Origin with a text/plain 400, the one error
    // that would not be problem+json; a bare OPTIONS gets the (harmless) preflight answer.
    strictPreflight: false
  })
}, { name: 'cors' })
