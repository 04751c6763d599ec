import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { RelatedQuerySchema } from '../../../../domain/shapes/search.ts'
import { IdOrSlugParams, problems, ref, security } from '../../../schemas/common.ts'
import { viewerOf, type Defaulted } from '../../helpers.ts'

export default async function relatedRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { search } = app.services

  app.get('/:idOrSlug/related', {
    schema: {
      summary: 'Published articles related to this one',
      description: 'Ranked by shared tags, the same category and shared significant title words; never the article itself.',
      tags: ['search'],
      operationId: 'relatedArticles',
      security: security.optional,
      params: IdOrSlugParams,
      querystring: RelatedQuerySchema,
      response: {
        200: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'array', items: ref('ArticleSummary') } } },
        ...problems(301, 404)
      }
    }
  }, async (request) => ({ data: await search.related(request.params.idOrSlug, viewerOf(request), (request.query as Defaulted<typeof request.query, 'limit'>).limit) }))
}
