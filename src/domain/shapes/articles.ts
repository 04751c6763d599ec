import { Type, type Static } from 'typebox'
import { Id, Nullable, Timestamp, ref, CursorQuery, LimitQuery, StringEnum } from './common.ts'

import { ARTICLE_INCLUDES, ARTICLE_LIST_STATUSES, ARTICLE_SORTS, ARTICLE_STATUSES, TEXT_DIRECTIONS } from '../enums.ts'
import { AttachedMediaSchema } from './media.ts'

const Lang = Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35, description: 'BCP 47 language tag', examples: ['ar'] })

export const SourceSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Attribution, e.g. the network a report comes from' }),
  url: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2048 })))
}, { $id: 'ArticleSource', title: 'ArticleSource', additionalProperties: false })

export const CategoryRefSchema = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  parentId: Nullable(Id)
}, { $id: 'CategoryRef', title: 'CategoryRef', additionalProperties: false })

// Every article field but the body: what lists return.
const summaryProperties = {
  id: Id,
  slug: Type.String({ description: 'Stored decoded (Arabic letters kept); percent-encode it in URLs' }),
  title: Type.String(),
  subtitle: Nullable(Type.String()),
  excerpt: Nullable(Type.String()),
  lang: Type.String(),
  dir: StringEnum(TEXT_DIRECTIONS),
  status: StringEnum(ARTICLE_STATUSES),
  publishedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  categoryId: Nullable(Id),
  tags: Type.Array(Type.String()),
  author: Nullable(Type.String()),
  source: Type.Union([ref(SourceSchema), Type.Null()]),
  breaking: Type.Boolean(),
  hasVideo: Type.Boolean(),
  readingTimeMinutes: Type.Integer({ minimum: 0 }),
  views: Type.Integer({ minimum: 0 }),
  commentCount: Type.Integer({ minimum: 0 }),
  externalId: Nullable(Type.String()),
  version: Type.Integer({ minimum: 1 }),
  trashedAt: Type.Optional(Nullable(Timestamp)),
  category: Type.Optional(Type.Union([ref(CategoryRefSchema), Type.Null()], { description: 'With include=category; null when the article has none' })),
  media: Type.Optional(Type.Array(ref(AttachedMediaSchema)))
}
// Every field: what one article answers.
const articleProperties = { ...summaryProperties, body: Type.String({ description: 'Sanitized HTML' }) }
const optionalInOutput = new Set(['trashedAt', 'category', 'media'])
const required = Object.keys(summaryProperties).filter(k => !optionalInOutput.has(k))

export const ArticleSummarySchema = Type.Unsafe<ArticleSummary>({
  $id: 'ArticleSummary',
  title: 'ArticleSummary',
  description: 'An article without its body, as lists return it (`fields=` answers are ArticleFields).',
  type: 'object',
  additionalProperties: false,
  required,
  properties: summaryProperties
})

export const ArticleSchema = Type.Unsafe<Article>({
  $id: 'Article',
  title: 'Article',
  description: 'An article (`fields=` answers are ArticleFields).',
  type: 'object',
  additionalProperties: false,
  required: [...required, 'body'],
  properties: articleProperties
})

// What `fields=` answers: the fields asked for and `id` (and `category` and `media` when
// `include` asked for them), nothing else guaranteed.
export const ArticleFieldsSchema = Type.Unsafe<Partial<Article> & { id: number }>({
  $id: 'ArticleFields',
  title: 'ArticleFields',
  description: 'An article cut down by `fields=`: only the fields asked for, and `id`, are present.',
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: articleProperties
})

export type ArticleSource = Static<typeof SourceSchema>
export type CategoryRef = Static<typeof CategoryRefSchema>
// The types of the shapes, from the same properties as their schemas.
export type ArticleSummary = Static<ReturnType<typeof Type.Object<typeof summaryProperties>>>
export type Article = ArticleSummary & { body: string }

const TagName = Type.String({ minLength: 1, maxLength: 100 })

const writableProperties = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  slug: Type.String({ minLength: 1, maxLength: 200, description: 'Made from the title when missing' }),
  subtitle: Nullable(Type.String({ maxLength: 1000 })),
  excerpt: Nullable(Type.String({ maxLength: 5000 })),
  body: Type.String({ maxLength: 900_000, description: 'HTML; sanitized on write' }),
  lang: Lang,
  status: StringEnum(ARTICLE_STATUSES),
  publishedAt: Nullable(Timestamp),
  categoryId: Nullable(Id),
  tags: Type.Array(TagName, { maxItems: 50 }),
  author: Nullable(Type.String({ maxLength: 200 })),
  source: Type.Union([ref(SourceSchema), Type.Null()]),
  breaking: Type.Boolean(),
  commentCount: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  externalId: Nullable(Type.String({ minLength: 1, maxLength: 200 }))
}

export const ArticleCreateSchema = Type.Unsafe<ArticleInput & { title: string }>({
  $id: 'ArticleCreate',
  title: 'ArticleCreate',
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: writableProperties,
  examples: [{ title: 'قوات النظام تبدأ حملة على داعش جنوب دمشق (فيديو)', body: '<p>بدأت قوات النظام صباح اليوم حملة عسكرية جنوب دمشق.</p>', status: 'published', tags: ['سوريا', 'دمشق'] }]
})

export const ArticlePatchSchema = Type.Unsafe<ArticleInput>({
  $id: 'ArticlePatch',
  title: 'ArticlePatch',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: writableProperties
})

export type ArticleInput = Partial<Static<ReturnType<typeof Type.Object<typeof writableProperties>>>>

const listPattern = (names: readonly string[]): string => `^(${names.join('|')})(,(${names.join('|')}))*$`

export const ARTICLE_FIELDS = [...Object.keys(summaryProperties).filter(k => !optionalInOutput.has(k)), 'body', 'trashedAt'] as const

export const IncludeQuery = Type.String({ pattern: listPattern(ARTICLE_INCLUDES), maxLength: 100, description: 'Comma list of: category, media' })
export const FieldsQuery = Type.String({ pattern: listPattern(ARTICLE_FIELDS), maxLength: 500, description: 'Comma list of fields to return (id is always returned)' })

export const ArticleListQuery = Type.Object({
  limit: Type.Optional(LimitQuery),
  cursor: Type.Optional(CursorQuery),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 600, description: 'Category id or slug; subcategories included' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 600, description: 'Tag id or slug' })),
  lang: Type.Optional(Lang),
  author: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  hasVideo: Type.Optional(Type.Boolean()),
  breaking: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'publishedAt ≥ from' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'publishedAt < to' })),
  status: Type.Optional(StringEnum(ARTICLE_LIST_STATUSES, { description: 'Editors only. Without it editors see every article not in the trash' })),
  sort: Type.Optional(StringEnum(ARTICLE_SORTS, { default: '-publishedAt' })),
  include: Type.Optional(IncludeQuery),
  fields: Type.Optional(FieldsQuery),
  count: Type.Optional(Type.Boolean({ description: 'Also return meta.total' }))
}, { additionalProperties: false })
export type ArticleListQueryT = Static<typeof ArticleListQuery>

export const ArticleReadQuery = Type.Object({
  include: Type.Optional(IncludeQuery),
  fields: Type.Optional(FieldsQuery)
}, { additionalProperties: false })
export type ArticleReadQueryT = Static<typeof ArticleReadQuery>
