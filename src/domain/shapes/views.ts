import { Type, type Static } from 'typebox'
import { Id, StringEnum, ref } from './common.ts'
import { RANKING_WINDOWS } from '../enums.ts'
import { ArticleSummarySchema, CategoryRefSchema } from './articles.ts'

export const ViewStatsSchema = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  last24h: Type.Integer({ minimum: 0, description: "Today's views plus yesterday's share still inside the last 24 hours (UTC days)" }),
  last7d: Type.Integer({ minimum: 0, description: 'The last 7 UTC days, today included' }),
  last30d: Type.Integer({ minimum: 0, description: 'The last 30 UTC days, today included' }),
  daily: Type.Array(Type.Object({
    date: Type.String({ format: 'date' }),
    views: Type.Integer({ minimum: 0 })
  }, { additionalProperties: false }), { description: 'The last 30 UTC days, oldest first, days without views included' })
}, { $id: 'ViewStats', title: 'ViewStats', additionalProperties: false })
export type ViewStats = Static<typeof ViewStatsSchema>

export const ViewAcceptedSchema = Type.Object({
  counted: Type.Boolean({ description: 'false when the same client already counted for this article in the last 30 minutes' })
}, { $id: 'ViewAccepted', title: 'ViewAccepted', additionalProperties: false })

const Named = { id: Id, slug: Type.String(), name: Type.String() }

export const RankedArticleSchema = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  views: Type.Integer({ minimum: 0, description: 'Views in the window' }),
  article: ref(ArticleSummarySchema)
}, { $id: 'RankedArticle', title: 'RankedArticle', additionalProperties: false })

export const RankedTagSchema = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  views: Type.Integer({ minimum: 0 }),
  tag: Type.Object(Named, { additionalProperties: false })
}, { $id: 'RankedTag', title: 'RankedTag', additionalProperties: false })

export const RankedCategorySchema = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  views: Type.Integer({ minimum: 0 }),
  category: ref(CategoryRefSchema)
}, { $id: 'RankedCategory', title: 'RankedCategory', additionalProperties: false })

export const RankingQuerySchema = Type.Object({
  window: Type.Optional(StringEnum(RANKING_WINDOWS, { default: '24h' })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 600, description: 'Category id or slug; subcategories included' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 }))
}, { additionalProperties: false })
