import type { Article, ArticleInput, ArticleSummary } from '../shapes/articles.ts'
import type { ArticleRow, ArticleSummaryRow } from '../rows.ts'
import { iso, isoOrNull } from '../clock.ts'
import { invalid } from '../errors.ts'

// What POST /v1/articles gives each field it was not sent (the publishing rules set
// publishedAt; slug and externalId are the caller's or none). An import line that leaves
// a field out gets the same, so it makes the article as if it had been posted.
export function articleDefaults (): Required<Omit<ArticleInput, 'title' | 'slug' | 'publishedAt' | 'externalId'>> {
  return { subtitle: null, excerpt: null, body: '', lang: 'ar', status: 'draft', categoryId: null, tags: [], author: null, source: null, breaking: false, commentCount: 0 }
}

// A date-time the schema accepted, in ms. RFC 3339 allows a leap second (23:59:60)
// that Date.parse cannot read: that is a 400, never a NaN stored or bound as NULL.
export function toMs (value: string, field: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw invalid(field, 'is not a time this server can represent (no leap seconds)')
  return ms
}

// Languages written right to left, by primary subtag.
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'iw', 'khw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi'])
export const dirOf = (lang: string): 'rtl' | 'ltr' => RTL.has(lang.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr'

export function toSummary (row: ArticleSummaryRow, tags: string[], withTrash: boolean): ArticleSummary {
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
    breaking: row.breaking,
    hasVideo: row.hasVideo,
    readingTimeMinutes: row.readingTimeMinutes,
    views: row.views,
    commentCount: row.commentCount,
    externalId: row.externalId,
    version: row.version
  }
  if (withTrash) out.trashedAt = isoOrNull(row.deletedAt)
  return out
}

export function toArticle (row: ArticleRow, tags: string[], withTrash: boolean): Article {
  return { ...toSummary(row, tags, withTrash), body: row.body }
}

// An article as the input that would recreate it (tags by name, no category): what
// revisions store and what export writes.
export function toInput (row: ArticleRow, tags: string[]): {
  title: string
  slug: string
  subtitle: string | null
  excerpt: string | null
  body: string
  lang: string
  status: ArticleRow['status']
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
    body: row.body,
    lang: row.lang,
    status: row.status,
    publishedAt: isoOrNull(row.publishedAt),
    tags,
    author: row.author,
    source: row.sourceName === null ? null : { name: row.sourceName, url: row.sourceUrl },
    breaking: row.breaking,
    commentCount: row.commentCount,
    externalId: row.externalId
  }
}
