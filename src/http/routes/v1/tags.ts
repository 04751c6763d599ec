import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { TagCreate, TagPatch } from '../../../domain/shapes/taxonomy.ts'
import { CursorQuery, IdParams, IdOrSlugParams, LimitQuery, StringEnum, problems, ref, security } from '../../schemas/common.ts'
import { listOf, sendList, urlFor } from '../helpers.ts'
import { TAG_SORTS, type TagSort } from '../../../domain/enums.ts'

const tags = ['tags']
// Query parameters are validated too: an unknown one is a 400, not ignored.
const NoQuery = Type.Object({}, { additionalProperties: false })

export default async function tagRoutes (app: FastifyInstance): Promise<void> {
  const service = app.services.tags
  const editor = app.requireRole('editor')

  app.get<{ Querystring: { limit: number, cursor?: string, sort: TagSort } }>('/', {
    schema: {
      summary: 'List tags',
      tags,
      operationId: 'listTags',
      security: security.optional,
      querystring: Type.Object({
        limit: Type.Optional(LimitQuery),
        cursor: Type.Optional(CursorQuery),
        sort: Type.Optional(StringEnum(TAG_SORTS, { default: 'name' }))
      }, { additionalProperties: false }),
      response: { 200: listOf('Tag') }
    }
  }, async (request, reply) => {
    const page = await service.list(request.query)
    return sendList(request, reply, page.data, page.nextCursor)
  })

  app.get<{ Params: { idOrSlug: string } }>('/:idOrSlug', {
    schema: {
      summary: 'One tag by id or slug',
      tags,
      operationId: 'getTag',
      security: security.optional,
      querystring: NoQuery,
      params: IdOrSlugParams,
      response: { 200: ref('Tag'), ...problems(301, 404) }
    }
  }, async (request) => service.get(request.params.idOrSlug))

  app.post<{ Body: TagCreate }>('/', {
    onRequest: editor,
    schema: {
      summary: 'Create a tag',
      description: 'Tags are also created on the fly when an article names a new one.',
      tags,
      operationId: 'createTag',
      security: security.required,
      querystring: NoQuery,
      body: ref('TagCreate'),
      response: { 201: ref('Tag'), ...problems(403, 409) }
    }
  }, async (request, reply) => {
    const tag = await service.create(request.body)
    reply.code(201).header('location', urlFor(request, `/v1/tags/${tag.id}`))
    return tag
  })

  app.patch<{ Params: { id: number }, Body: TagPatch }>('/:id', {
    onRequest: editor,
    schema: {
      summary: 'Rename a tag or change its slug',
      tags,
      operationId: 'updateTag',
      security: security.required,
      querystring: NoQuery,
      params: IdParams,
      body: ref('TagPatch'),
      response: { 200: ref('Tag'), ...problems(403, 404, 409) }
    }
  }, async (request) => service.update(request.params.id, request.body))

  app.delete<{ Params: { id: number } }>('/:id', {
    onRequest: editor,
    schema: {
      summary: 'Delete a tag (it is removed from every article)',
      tags,
      operationId: 'deleteTag',
      security: security.required,
      querystring: NoQuery,
      params: IdParams,
      response: { 204: { description: 'Deleted', type: 'null' }, ...problems(403, 404) }
    }
  }, async (request, reply) => {
    await service.delete(request.params.id)
    return await reply.code(204).send()
  })
}
