import type { FastifyInstance } from 'fastify'
import { RANKING_WINDOWS } from '../../../domain/enums.ts'
import { RankingQuerySchema } from '../../../domain/shapes/views.ts'
import { ref } from '../../schemas/common.ts'
import type { RankingQuery } from '../../../domain/views/ranking-service.ts'

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

// window and limit always hold a value: the schema's defaults fill them in.
type Query = RankingQuery

// Public rankings. Drafts, scheduled and trashed articles never appear nor count.
export default async function rankingRoutes (app: FastifyInstance): Promise<void> {
  const { rankings } = app.services
  const common = { tags, security: [], querystring: RankingQuerySchema }

  app.get<{ Querystring: Query }>('/articles', {
    schema: {
      ...common,
      summary: 'Most read articles (الأكثر قراءة)',
      operationId: 'rankArticles',
      response: { 200: listOfRanked('RankedArticle') }
    }
  }, async (request) => {
    const q = request.query
    return { data: await rankings.articles(q), meta: { window: q.window } }
  })

  app.get<{ Querystring: Query }>('/tags', {
    schema: {
      ...common,
      summary: 'Top topics by views (أهم المواضيع)',
      operationId: 'rankTags',
      response: { 200: listOfRanked('RankedTag') }
    }
  }, async (request) => {
    const q = request.query
    return { data: await rankings.tags(q), meta: { window: q.window } }
  })

  app.get<{ Querystring: Query }>('/categories', {
    schema: {
      ...common,
      summary: 'Top categories by views (أهم التصنيفات)',
      description: 'Each article counts for the category it is filed under (not for that category\'s parents).',
      operationId: 'rankCategories',
      response: { 200: listOfRanked('RankedCategory') }
    }
  }, async (request) => {
    const q = request.query
    return { data: await rankings.categoriesRanking(q), meta: { window: q.window } }
  })
}
