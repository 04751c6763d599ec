import type { ArticleListSpec } from '../domain/articles/article-store.ts'
import type { ArticleSort } from '../domain/enums.ts'
import type { ArticleColumns } from '../domain/rows.ts'
import type { RankedKind } from '../domain/views/view-store.ts'

// SQL both engines read alike: the tables have the same names and columns on SQLite and on
// PostgreSQL (test/storage/schema-drift.test.ts), and both bind @names (the PostgreSQL
// engine turns them into $1, $2 …). Aliases the domain reads are double-quoted, which both
// take as identifiers and PostgreSQL then leaves in camel case.

// What the public may see, as SQL on `a` (articles): published, no longer in the future,
// not in the trash. Binds @now, in ms. The same rule in code: isPubliclyReadable
// (src/domain/articles/visibility.ts); archived articles stay readable at their URL but
// leave lists and counts.
export const PUBLIC_VISIBLE_SQL = "a.status = 'published' AND a.deleted_at IS NULL AND a.published_at <= @now"

// Recomputes articles.has_video from the media attached.
export const HAS_VIDEO_SQL = `UPDATE articles SET has_video = EXISTS (
  SELECT 1 FROM article_media am JOIN media m ON m.id = am.media_id WHERE am.article_id = articles.id AND m.kind = 'video')`

// The article columns by the domain's names, for writes.
export const ARTICLE_COLUMN: Record<keyof ArticleColumns, string> = {
  slug: 'slug',
  title: 'title',
  subtitle: 'subtitle',
  excerpt: 'excerpt',
  body: 'body',
  lang: 'lang',
  status: 'status',
  publishedAt: 'published_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  deletedAt: 'deleted_at',
  categoryId: 'category_id',
  author: 'author',
  sourceName: 'source_name',
  sourceUrl: 'source_url',
  breaking: 'breaking',
  readingTimeMinutes: 'reading_time_minutes',
  commentCount: 'comment_count',
  externalId: 'external_id',
  version: 'version'
}

// How each sort orders articles: the public's lists see only published ones (a time always
// set); editors' include drafts without one.
export const SORT_COLUMN: Record<ArticleSort, { expr: string, editorExpr: string, desc: boolean }> = {
  '-publishedAt': { expr: 'a.published_at', editorExpr: 'coalesce(a.published_at, 0)', desc: true },
  publishedAt: { expr: 'a.published_at', editorExpr: 'coalesce(a.published_at, 0)', desc: false },
  '-updatedAt': { expr: 'a.updated_at', editorExpr: 'a.updated_at', desc: true },
  '-views': { expr: 'a.views', editorExpr: 'a.views', desc: true }
}

// What an editor's `status` lists.
export const EDITOR_STATUS_SQL: Record<string, string> = {
  default: 'a.deleted_at IS NULL',
  draft: "a.status = 'draft' AND a.deleted_at IS NULL",
  published: PUBLIC_VISIBLE_SQL,
  scheduled: "a.status = 'published' AND a.deleted_at IS NULL AND a.published_at > @now",
  archived: "a.status = 'archived' AND a.deleted_at IS NULL",
  trashed: 'a.deleted_at IS NOT NULL',
  all: 'TRUE'
}

// What each ranking selects, joins and groups by; $views is the window's views.
export const RANKED: Record<RankedKind, { select: string, join: string, group: string, id: string }> = {
  articles: { select: 'a.id, $views AS views', join: '', group: '', id: 'a.id' },
  tags: {
    select: 't.id, t.slug, t.name, sum($views) AS views',
    join: 'JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id',
    group: 'GROUP BY t.id',
    id: 't.id'
  },
  categories: {
    select: 'c.id, c.slug, c.name, c.parent_id AS "parentId", sum($views) AS views',
    join: 'JOIN categories c ON c.id = a.category_id',
    group: 'GROUP BY c.id',
    id: 'c.id'
  }
}

// Tag names of several articles, from rows in article then position order.
export function namesByArticle (rows: Iterable<{ articleId: number, name: string }>): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const { articleId, name } of rows) {
    const list = out.get(articleId)
    if (list === undefined) out.set(articleId, [name])
    else list.push(name)
  }
  return out
}

/**
 * The order of a list and its keyset condition: pushes `(sort value, id)` past the cursor
 * onto `where` and its parameters onto `params`; the expression sorted by and the direction.
 */
export function keyset (spec: Pick<ArticleListSpec, 'audience' | 'sort' | 'after'>, where: string[], params: Record<string, unknown>): { expr: string, dir: 'ASC' | 'DESC' } {
  const order = SORT_COLUMN[spec.sort]
  const expr = spec.audience === 'editor' ? order.editorExpr : order.expr
  if (spec.after !== undefined) {
    where.push(`(${expr}, a.id) ${order.desc ? '<' : '>'} (@afterValue, @afterId)`)
    params.afterValue = spec.after.value
    params.afterId = spec.after.id
  }
  return { expr, dir: order.desc ? 'DESC' : 'ASC' }
}
