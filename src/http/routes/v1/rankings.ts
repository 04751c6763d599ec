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

  // The three boxes of a news page, one route shape: what is ranked, and how to rank it.
  const boxes = [
    {
      path: '/articles',
      summary: 'Most read articles (الأكثر قراءة)',
      description: 'Published articles by the views they got in the window, most first, optionally within a category. The same for everyone: a key changes nothing.',
      operationId: 'rankArticles',
      item: 'RankedArticle',
      rank: rankings.articles.bind(rankings)
    },
    {
      path: '/tags',
      summary: 'Top topics by views (أهم المواضيع)',
      description: 'Tags by the views their published articles got in the window, most first, optionally within a category. The same for everyone: a key changes nothing.',
      operationId: 'rankTags',
      item: 'RankedTag',
      rank: rankings.tags.bind(rankings)
    },
    {
      path: '/categories',
      summary: 'Top categories by views (أهم التصنيفات)',
      description: 'Each article counts for the category it is filed under (not for that category\'s parents).',
      operationId: 'rankCategories',
      item: 'RankedCategory',
      rank: rankings.categoriesRanking.bind(rankings)
    }
  ]
  for (const { path, item, rank, ...doc } of boxes) {
    app.get(path, { schema: { ...common, ...doc, response: { 200: listOfRanked(item) } } }, async (request) => {
      const q = request.query as Defaulted<typeof request.query, 'window' | 'limit'>
      return { data: await rank(q), meta: { window: q.window } }
    })
  }
}
