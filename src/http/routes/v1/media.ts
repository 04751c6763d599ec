import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { MediaPatchBody, MediaCreateBody } from '../../../domain/shapes/media.ts'
import { MEDIA_KINDS, MEDIA_PROVIDERS } from '../../../domain/enums.ts'
import { CursorQuery, Id, IdParams, LimitQuery, StringEnum, problems, ref, security, noContent } from '../../schemas/common.ts'
import { listOf, sendList, urlFor, type Defaulted } from '../helpers.ts'

const tags = ['media']
// Query parameters are validated too: an unknown one is a 400, not ignored.
const NoQuery = Type.Object({}, { additionalProperties: false })

export default async function mediaRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const service = app.services.media
  const editor = app.requireRole('editor')

  app.get('/', {
    schema: {
      summary: 'List media items, newest first',
      description: 'Media items, newest first, filtered by `kind`, `provider` or the `article` they are attached to.',
      tags,
      operationId: 'listMedia',
      security: security.optional,
      querystring: Type.Object({
        limit: Type.Optional(LimitQuery),
        cursor: Type.Optional(CursorQuery),
        kind: Type.Optional(StringEnum(MEDIA_KINDS)),
        provider: Type.Optional(StringEnum(MEDIA_PROVIDERS)),
        article: Type.Optional(Id)
      }, { additionalProperties: false }),
      response: { 200: listOf('Media') }
    }
  }, async (request, reply) => {
    const page = await service.list({ ...request.query as Defaulted<typeof request.query, 'limit'>, editor: request.principal !== null })
    return sendList(request, reply, page.data, page.nextCursor)
  })

  app.get('/:id', {
    schema: {
      summary: 'One media item',
      description: 'One media item: where it is hosted, what kind it is and how to embed it.',
      tags,
      operationId: 'getMedia',
      security: security.optional,
      querystring: NoQuery,
      params: IdParams,
      response: { 200: ref('Media'), ...problems(404) }
    }
  }, async (request) => service.get(request.params.id))

  app.post('/', {
    onRequest: editor,
    schema: {
      summary: 'Add a link to media hosted elsewhere',
      description: '`provider` and `embedUrl` are derived from the URL; `kind` is guessed when missing. Only http and https URLs are taken.',
      tags,
      operationId: 'createMedia',
      security: security.required,
      querystring: NoQuery,
      body: ref(MediaCreateBody),
      response: { 201: ref('Media'), ...problems(403, 409) }
    }
  }, async (request, reply) => {
    const item = await service.create(request.body)
    reply.code(201).header('location', urlFor(request, `/v1/media/${item.id}`))
    return item
  })

  app.patch('/:id', {
    onRequest: editor,
    schema: {
      summary: 'Change a media item',
      description: 'Change the URL, title, caption, credit or thumbnail of a media item; kind, provider and embed URL follow a new URL.',
      tags,
      operationId: 'updateMedia',
      security: security.required,
      querystring: NoQuery,
      params: IdParams,
      body: ref(MediaPatchBody),
      response: { 200: ref('Media'), ...problems(403, 404, 409) }
    }
  }, async (request) => service.update(request.params.id, request.body))

  app.delete('/:id', {
    onRequest: editor,
    schema: {
      summary: 'Delete a media item (it is detached from every article)',
      description: 'The item goes, and is detached from every article that used it.',
      tags,
      operationId: 'deleteMedia',
      security: security.required,
      querystring: NoQuery,
      params: IdParams,
      response: { 204: noContent('Deleted'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    await service.delete(request.params.id)
    return await reply.code(204).send()
  })
}
