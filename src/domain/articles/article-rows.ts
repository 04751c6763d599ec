import type { Article, ArticleSummary } from '../shapes/articles.ts'
import { iso, isoOrNull } from '../clock.ts'
import { invalidField } from '../errors.ts'

// The columns every read selects, named as the API names them.
export const SUMMARY_COLUMNS = `a.id, a.slug, a.title, a.subtitle, a.excerpt, a.lang, a.status,
  a.published_at AS publishedAt, a.created_at AS createdAt, a.updated_at AS updatedAt,
  a.deleted_at AS deletedAt, a.category_id AS categoryId, a.author, a.source_name AS sourceName,
  a.source_url AS sourceUrl, a.breaking, a.has_video AS hasVideo,
  a.reading_time_minutes AS readingTimeMinutes, a.views, a.comment_count AS commentCount,
  a.external_id AS externalId, a.version`
export const FULL_COLUMNS = `${SUMMARY_COLUMNS}, a.body`

export interface RawArticle {
  id: number
  slug: string
  title: string
  subtitle: string | null
  excerpt: string | null
  lang: string
  status: 'draft' | 'published' | 'archived'
  publishedAt: number | null
  createdAt: number
  updatedAt: number
  deletedAt: number | null
  categoryId: number | null
  author: string | null
  sourceName: string | null
  sourceUrl: string | null
  breaking: number | boolean
  hasVideo: number | boolean
  readingTimeMinutes: number
  views: number
  commentCount: number
  externalId: string | null
  version: number
  body?: string
}

// A date-time the schema accepted, in ms. RFC 3339 allows a leap second (23:59:60)
// that Date.parse cannot read: that is a 400, never a NaN stored or bound as NULL.
export function toMs (value: string, path: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw invalidField(path, 'is not a time this server can represent (no leap seconds)')
  return ms
}

// Languages written right to left, by primary subtag.
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'iw', 'khw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi'])
export const dirOf = (lang: string): 'rtl' | 'ltr' => RTL.has(lang.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr'

export function toSummary (row: RawArticle, tags: string[], withTrash: boolean): ArticleSummary {
  const out: ArticleSummary = {
    id: row.id,
    slug: row.slug,
    title: row.title,
    subtitle: row.subtitle,
    excerpt: row.excerpt,
    lang: row.lang,
    dir: dirOf(row.lang),
    status: row.status,
    publishedAt: isoOrNull(row.publishedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    categoryId: row.categoryId,
    tags,
    author: row.author,
    source: row.sourceName === null ? null : { name: row.sourceName, url: row.sourceUrl },
    breaking: row.breaking === 1 || row.breaking === true,
    hasVideo: row.hasVideo === 1 || row.hasVideo === true,
    readingTimeMinutes: row.readingTimeMinutes,
    views: row.views,
    commentCount: row.commentCount,
    externalId: row.externalId,
    version: row.version
  }
  if (withTrash) out.trashedAt = isoOrNull(row.deletedAt)
  return out
}

export function toArticle (row: RawArticle, tags: string[], withTrash: boolean): Article {
  return { ...toSummary(row, tags, withTrash), body: row.body as string }
}

// An article as the input that would recreate it (tags by name, no category): what
// revisions store and what export writes.
export function toInput (row: RawArticle, tags: string[]): {
  title: string
  slug: string
  subtitle: string | null
  excerpt: string | null
  body: string
  lang: string
  status: RawArticle['status']
  publishedAt: string | null
  tags: string[]
  author: string | null
  source: { name: string, url: string | null } | null
  breaking: boolean
  commentCount: number
  externalId: string | null
} {
  return {
    title: row.title,
    slug: row.slug,
    subtitle: row.subtitle,
    excerpt: row.excerpt,
    body: row.body as string,
    lang: row.lang,
    status: row.status,
    publishedAt: isoOrNull(row.publishedAt),
    tags,
    author: row.author,
    source: row.sourceName === null ? null : { name: row.sourceName, url: row.sourceUrl },
    breaking: row.breaking === 1 || row.breaking === true,
    commentCount: row.commentCount,
    externalId: row.externalId
  }
}
