import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { TagPatchSchema, TagCreateSchema } from '../../../domain/shapes/taxonomy.ts'
import { CursorQuery, IdOrSlugParams, IdAtSlugParams, LimitQuery, StringEnum, problems, ref, security, noContent } from '../../schemas/common.ts'
import { listOf, sendList, urlFor, type Defaulted } from '../helpers.ts'
import { TAG_SORTS } from '../../../domain/enums.ts'

const tags = ['tags']
// Query parameters are validated too: an unknown one is a 400, not ignored.
const NoQuery = Type.Object({}, { additionalProperties: false })

export default async function tagRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const service = app.services.tags
  const editor = app.requireRole('editor')

  app.get('/', {
    schema: {
      summary: 'List tags',
      description: 'Tags by name, or by how many published articles carry them with `sort=-articleCount`.',
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
    const page = await service.list(request.query as Defaulted<typeof request.query, 'sort' | 'limit'>)
    return sendList(request, reply, page.data, page.nextCursor)
  })

  app.get('/:idOrSlug', {
    schema: {
      summary: 'One tag by id or slug',
      description: 'One tag by its id or its slug (Arabic slugs raw or percent-encoded). A slug it had before answers 301.',
      tags,
      operationId: 'getTag',
      security: security.optional,
      querystring: NoQuery,
      params: IdOrSlugParams,
      response: { 200: ref('Tag'), ...problems(301, 404) }
    }
  }, async (request) => service.get(request.params.idOrSlug))

  app.post('/', {
    onRequest: editor,
    schema: {
      summary: 'Create a tag',
      description: 'Tags are also created on the fly when an article names a new one.',
      tags,
      operationId: 'createTag',
      security: security.required,
      querystring: NoQuery,
      body: ref(TagCreateSchema),
      response: { 201: ref('Tag'), ...problems(403, 409) }
    }
  }, async (request, reply) => {
    const tag = await service.create(request.body)
    reply.code(201).header('location', urlFor(request, `/v1/tags/${tag.id}`))
    return tag
  })

  app.patch('/:idOrSlug', {
    onRequest: editor,
    schema: {
      summary: 'Rename a tag or change its slug',
      description: 'A new name or slug; the old slug keeps answering 301 until it is freed. Every article that carries the tag shows the new name.',
      tags,
      operationId: 'updateTag',
      security: security.required,
      querystring: NoQuery,
      params: IdAtSlugParams,
      body: ref(TagPatchSchema),
      response: { 200: ref('Tag'), ...problems(403, 404, 409) }
    }
  }, async (request) => service.update(request.params.idOrSlug, request.body))

  app.delete('/:idOrSlug', {
    onRequest: editor,
    schema: {
      summary: 'Delete a tag (it is removed from every article)',
      description: 'The tag goes, and is taken off every article that carried it (their versions go up).',
      tags,
      operationId: 'deleteTag',
      security: security.required,
      querystring: NoQuery,
      params: IdAtSlugParams,
      response: { 204: noContent('Deleted'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    await service.delete(request.params.idOrSlug)
    return await reply.code(204).send()
  })
}
