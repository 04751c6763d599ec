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
      description: 'Answers 200 while the process runs, busy or not, without touching the database: for a liveness probe. ' +
        'Never rate limited; keys are not looked at.',
      tags: ['operations'],
      security: [],
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
      description: 'Answers 200 when the database answers a query, 503 when it does not or while the process is overloaded: ' +
        'for a readiness probe or a load balancer. Never rate limited; keys are not looked at.',
      tags: ['operations'],
      security: [],
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
