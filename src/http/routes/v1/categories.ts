import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CategoryPatchSchema, CategoryCreateSchema } from '../../../domain/shapes/taxonomy.ts'
import { Id, IdOrSlugParams, IdAtSlugParams, problems, ref, security, noContent } from '../../schemas/common.ts'
import { listOf, urlFor } from '../helpers.ts'

const tags = ['categories']
// Query parameters are validated too: an unknown one is a 400, not ignored.
const NoQuery = Type.Object({}, { additionalProperties: false })

export default async function categoryRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { categories } = app.services
  const editor = app.requireRole('editor')

  app.get('/', {
    schema: {
      summary: 'All categories, ordered by position',
      description: 'Every category, ordered by `position` (then by id); `tree=true` nests subcategories under their parents.',
      tags,
      operationId: 'listCategories',
      security: security.optional,
      querystring: Type.Object({
        tree: Type.Optional(Type.Boolean({ default: false, description: 'Nest subcategories under `children`' }))
      }, { additionalProperties: false }),
      response: { 200: listOf('Category') }
    }
  }, async (request) => ({ data: await categories.list(request.query.tree === true), meta: { nextCursor: null } }))

  app.get('/:idOrSlug', {
    schema: {
      summary: 'One category by id or slug',
      description: 'One category by its id or its slug (Arabic slugs raw or percent-encoded). A slug it had before answers 301.',
      tags,
      operationId: 'getCategory',
      security: security.optional,
      querystring: NoQuery,
      params: IdOrSlugParams,
      response: { 200: ref('Category'), ...problems(301, 404) }
    }
  }, async (request) => categories.get(request.params.idOrSlug))

  app.post('/', {
    onRequest: editor,
    schema: {
      summary: 'Create a category',
      description: 'A new category, under `parentId` or at the top. The slug is made from the name when none is given (Arabic letters kept); a taken slug gets a number.',
      tags,
      operationId: 'createCategory',
      security: security.required,
      querystring: NoQuery,
      body: ref(CategoryCreateSchema),
      response: { 201: ref('Category'), ...problems(403, 409) }
    }
  }, async (request, reply) => {
    const category = await categories.create(request.body)
    reply.code(201).header('location', urlFor(request, `/v1/categories/${category.id}`))
    return category
  })

  app.patch('/:idOrSlug', {
    onRequest: editor,
    schema: {
      summary: 'Change a category',
      description: 'Moving a category under itself or one of its subcategories is a 409.',
      tags,
      operationId: 'updateCategory',
      security: security.required,
      querystring: NoQuery,
      params: IdAtSlugParams,
      body: ref(CategoryPatchSchema),
      response: { 200: ref('Category'), ...problems(403, 404, 409) }
    }
  }, async (request) => categories.update(request.params.idOrSlug, request.body))

  app.delete('/:idOrSlug', {
    onRequest: editor,
    schema: {
      summary: 'Delete a category',
      description: 'A category that still has articles is a 409 unless `reassignTo` names where they go. A category with subcategories is a 409.',
      tags,
      operationId: 'deleteCategory',
      security: security.required,
      params: IdAtSlugParams,
      querystring: Type.Object({ reassignTo: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 204: noContent('Deleted'), ...problems(403, 404, 409) }
    }
  }, async (request, reply) => {
    await categories.delete(request.params.idOrSlug, request.query.reassignTo)
    return await reply.code(204).send()
  })
}
