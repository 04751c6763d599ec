import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { RANKING_WINDOWS } from '../../../domain/enums.ts'
import { RankingQuerySchema } from '../../../domain/shapes/views.ts'
import { ref } from '../../schemas/common.ts'
import type { Defaulted } from '../helpers.ts'

const tags = ['views']
const listOfRanked = (id: string): object => ({
  type: 'object',
  additionalProperties: false,
  required: ['data', 'meta'],
  properties: {
    data: { type: 'array', items: ref(id) },
    meta: {
      type: 'object',
      additionalProperties: false,
      required: ['window'],
      properties: { window: { type: 'string', enum: [...RANKING_WINDOWS] } }
    }
  }
})

// Public rankings. Drafts, scheduled and trashed articles never appear nor count.
export default async function rankingRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { rankings } = app.services
  const common = { tags, security: [], querystring: RankingQuerySchema }

  app.get('/articles', {
    schema: {
      ...common,
      summary: 'Most read articles (الأكثر قراءة)',
      operationId: 'rankArticles',
      response: { 200: listOfRanked('RankedArticle') }
    }
  }, async (request) => {
    const q = request.query as Defaulted<typeof request.query, 'window' | 'limit'>
    return { data: await rankings.articles(q), meta: { window: q.window } }
  })

  app.get('/tags', {
    schema: {
      ...common,
      summary: 'Top topics by views (أهم المواضيع)',
      operationId: 'rankTags',
      response: { 200: listOfRanked('RankedTag') }
    }
  }, async (request) => {
    const q = request.query as Defaulted<typeof request.query, 'window' | 'limit'>
    return { data: await rankings.tags(q), meta: { window: q.window } }
  })

  app.get('/categories', {
    schema: {
      ...common,
      summary: 'Top categories by views (أهم التصنيفات)',
      description: 'Each article counts for the category it is filed under (not for that category\'s parents).',
      operationId: 'rankCategories',
      response: { 200: listOfRanked('RankedCategory') }
    }
  }, async (request) => {
    const q = request.query as Defaulted<typeof request.query, 'window' | 'limit'>
    return { data: await rankings.categoriesRanking(q), meta: { window: q.window } }
  })
}
