import { Type, type Static } from 'typebox'
import { ArticleSummarySchema, ArticleListQuery } from './articles.ts'
import { CursorQuery, Id, LimitQuery, StringEnum } from './common.ts'
import { SEARCH_SORTS } from '../enums.ts'

const summary = ArticleSummarySchema as unknown as { properties: Record<string, unknown>, required: string[] }

export const SearchHitSchema = Type.Unsafe({
  $id: 'SearchHit',
  title: 'SearchHit',
  description: 'An article summary with its relevance and a snippet of its text',
  type: 'object',
  additionalProperties: false,
  required: [...summary.required, 'score', 'snippet'],
  properties: {
    ...summary.properties,
    score: Type.Number({ description: 'Relevance: bm25 (title weighted 10× over body) blended with recency; higher is better' }),
    snippet: Type.String({ description: 'The original text around the first match, HTML-escaped, matching words wrapped in <mark>' })
  }
})

export const SuggestionSchema = Type.Object({
  id: Id,
  slug: Type.String(),
  title: Type.String()
}, { $id: 'Suggestion', title: 'Suggestion', additionalProperties: false })

const Q = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Any text: quotes, operators and brackets are taken as words, never as query syntax. It must hold a letter or digit.'
})
const filters = ArticleListQuery.properties

export const SearchQuerySchema = Type.Object({
  q: Q,
  limit: Type.Optional(LimitQuery),
  cursor: Type.Optional(CursorQuery),
  sort: Type.Optional(StringEnum(SEARCH_SORTS, { default: 'relevance' })),
  category: filters.category,
  tag: filters.tag,
  lang: filters.lang,
  author: filters.author,
  hasVideo: filters.hasVideo,
  breaking: filters.breaking,
  from: filters.from,
  to: filters.to
}, { additionalProperties: false })
export type SearchQueryT = Static<typeof SearchQuerySchema>

export const SuggestQuerySchema = Type.Object({ q: Q }, { additionalProperties: false })

export const RelatedQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 }))
}, { additionalProperties: false })
