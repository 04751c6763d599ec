import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ApiKeyCreateSchema } from '../../../domain/shapes/keys.ts'
import { IdParams, problems, ref, security, noContent } from '../../schemas/common.ts'
import { listOf, urlFor } from '../helpers.ts'

const tags = ['keys']

export default async function keyRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const keys = app.services.keys
  const admin = app.requireRole('admin')

  app.get('/', {
    onRequest: admin,
    schema: {
      summary: 'List API keys (never their secrets)',
      description: 'Every API key with its name, role and when it was created, last used and revoked. The secrets are never shown again after creation.',
      tags,
      operationId: 'listKeys',
      security: security.required,
      response: { 200: listOf('ApiKey'), ...problems(403) }
    }
  }, async () => ({ data: await keys.list(), meta: { nextCursor: null } }))

  app.get('/:id', {
    onRequest: admin,
    schema: {
      summary: 'One API key (never its secret)',
      description: 'One API key\'s name, role and dates; never its secret.',
      tags,
      operationId: 'getKey',
      security: security.required,
      params: IdParams,
      response: { 200: ref('ApiKey'), ...problems(403, 404) }
    }
  }, async (request) => keys.get(request.params.id))

  app.post('/', {
    onRequest: admin,
    schema: {
      summary: 'Create an API key',
      description: 'The answer holds the key itself; it is never shown again.',
      tags,
      operationId: 'createKey',
      security: security.required,
      body: ref(ApiKeyCreateSchema),
      response: { 201: ref('ApiKeyCreated'), ...problems(403) }
    }
  }, async (request, reply) => {
    const created = await keys.create(request.body.name, request.body.role)
    reply.code(201).header('location', urlFor(request, `/v1/keys/${created.id}`)).header('cache-control', 'no-store')
    return created
  })

  app.delete('/:id', {
    onRequest: admin,
    schema: {
      summary: 'Revoke an API key (effective on the next request)',
      description: 'The key stops working on the next request made with it. Revoking is for good: create a new key instead.',
      tags,
      operationId: 'revokeKey',
      security: security.required,
      params: IdParams,
      response: { 204: noContent('Revoked'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    await keys.revoke(request.params.id)
    return await reply.code(204).send()
  })
}
