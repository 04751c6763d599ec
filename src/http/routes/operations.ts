import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problemBody } from '../problems.ts'
import { ref } from '../schemas/common.ts'

const Status = Type.Unsafe<{ status: 'ok' }>({
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } }
})

// Cheap and polled by load balancers and orchestrators: never rate limited, and keys
// are not looked at (a probe with a stale Authorization header still learns the truth).
const config = { rateLimit: false, keyless: true } as const

export default async function operationsRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get('/health', {
    config,
    schema: {
      summary: 'Is the process running?',
      tags: ['operations'],
      operationId: 'getHealth',
      response: { 200: Status }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'ok' as const }
  })

  app.get('/ready', {
    config,
    schema: {
      summary: 'Does the database answer?',
      tags: ['operations'],
      operationId: 'getReady',
      response: {
        200: Status,
        503: { description: 'The database does not answer', content: { 'application/problem+json': { schema: ref('Problem') } } }
      }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    try {
      await app.khabar.storage.ping()
    } catch (err) {
      request.log.error({ err }, 'database not ready')
      return await reply.code(503).type('application/problem+json').send(problemBody(503, 'not-ready', 'The database does not answer', request.url))
    }
    return { status: 'ok' as const }
  })
}
