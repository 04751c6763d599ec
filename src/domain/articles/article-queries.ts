import type Database from 'better-sqlite3'
import type { ArticleListQueryT, ArticleSummary, Article, CategoryRef } from '../shapes/articles.ts'
import { Moved, notFound, unauthorized } from '../errors.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { TagService } from '../taxonomy/tag-service.ts'
import type { MediaService } from '../media/media-service.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { parseIdOrSlug } from '../slugs/choose-slug.ts'
import { filterSql } from './article-filters.ts'
import { PUBLIC_VISIBLE_SQL, isPubliclyReadable } from './visibility.ts'
import type { Clock } from '../clock.ts'
import { FULL_COLUMNS, SUMMARY_COLUMNS, toArticle, toSummary, type RawArticle } from './article-rows.ts'

// Who is asking: key holders (editors and admins) see drafts, scheduled and trashed articles.
export interface Viewer { editor: boolean }

type Sort = NonNullable<ArticleListQueryT['sort']>
const SORT_COLUMN: Record<Sort, { expr: string, editorExpr: string, desc: boolean }> = {
  '-publishedAt': { expr: 'a.published_at', editorExpr: 'coalesce(a.published_at, 0)', desc: true },
  publishedAt: { expr: 'a.published_at', editorExpr: 'coalesce(a.published_at, 0)', desc: false },
  '-updatedAt': { expr: 'a.updated_at', editorExpr: 'a.updated_at', desc: true },
  '-views': { expr: 'a.views', editorExpr: 'a.views', desc: true }
}

const EDITOR_STATUS_SQL: Record<string, string> = {
  default: 'a.deleted_at IS NULL',
  draft: "a.status = 'draft' AND a.deleted_at IS NULL",
  published: PUBLIC_VISIBLE_SQL,
  scheduled: "a.status = 'published' AND a.deleted_at IS NULL AND a.published_at > @now",
  archived: "a.status = 'archived' AND a.deleted_at IS NULL",
  trashed: 'a.deleted_at IS NOT NULL',
  all: '1'
}

// The public read paths. Each query is prepared once and kept: building SQL per
// request (Drizzle's builder) costs more than running it (PERF.md).
export class ArticleQueries {
  private readonly byId: Database.Statement<[number], RawArticle>
  private readonly bySlug: Database.Statement<[string], RawArticle>
  private readonly tagsOfOne: Database.Statement<[number], string>
  private readonly tagsOfMany: Database.Statement<[string], { articleId: number, name: string }>
  private readonly categoryRefs: Database.Statement<[string], CategoryRef>
  private readonly summaries: Database.Statement<[string], RawArticle>
  private readonly listCache = new Map<string, Database.Statement>()

  constructor (
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly categories: CategoryService,
    private readonly tags: TagService,
    private readonly media: MediaService,
    private readonly slugs: SlugHistory
  ) {
    this.byId = sqlite.prepare(`SELECT ${FULL_COLUMNS} FROM articles a WHERE a.id = ?`)
    this.bySlug = sqlite.prepare(`SELECT ${FULL_COLUMNS} FROM articles a WHERE a.slug = ?`)
    this.tagsOfOne = sqlite.prepare('SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position, t.id').pluck() as Database.Statement<[number], string>
    this.tagsOfMany = sqlite.prepare(`SELECT at.article_id AS articleId, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
      WHERE at.article_id IN (SELECT value FROM json_each(?)) ORDER BY at.article_id, at.position, t.id`)
    this.summaries = sqlite.prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))`)
    this.categoryRefs = sqlite.prepare('SELECT id, slug, name, parent_id AS parentId FROM categories WHERE id IN (SELECT value FROM json_each(?))')
  }

  // The raw row, whatever its state; undefined when there is none.
  findRaw (idOrSlug: string): RawArticle | undefined {
    const key = parseIdOrSlug(idOrSlug)
    return 'id' in key ? this.byId.get(key.id) : this.bySlug.get(key.slug)
  }

  get (idOrSlug: string, viewer: Viewer, include: Set<string> = new Set()): Article {
    const row = this.findRaw(idOrSlug)
    if (row === undefined) {
      // A slug the article had before leads to it.
      const key = parseIdOrSlug(idOrSlug)
      const movedTo = 'slug' in key ? this.slugs.resolve('article', key.slug) : undefined
      const target = movedTo === undefined ? undefined : this.byId.get(movedTo)
      if (target !== undefined && 'slug' in key && (viewer.editor || isPubliclyReadable(target, this.clock()))) throw new Moved(key.slug, target.slug)
      throw notFound(`Article ${idOrSlug}`)
    }
    if (!viewer.editor && !isPubliclyReadable(row, this.clock())) throw notFound(`Article ${idOrSlug}`)
    const article = toArticle(row, this.tagsOfOne.all(row.id), viewer.editor)
    this.addIncludes([article], include)
    return article
  }

  // Summaries of the given articles, whatever their state, keyed by id.
  summariesByIds (ids: number[]): Map<number, ArticleSummary> {
    const rows = this.summaries.all(JSON.stringify(ids))
    const tags = this.tagsFor(ids)
    return new Map(rows.map(r => [r.id, toSummary(r, tags.get(r.id) ?? [], false)]))
  }

  tagsOf (id: number): string[] {
    return this.tagsOfOne.all(id)
  }

  list (q: ArticleListQueryT, viewer: Viewer, withBody: boolean): { data: Array<ArticleSummary | Article>, nextCursor: string | null, total?: number } {
    if (q.status !== undefined && !viewer.editor && q.status !== 'published') {
      throw unauthorized('Listing by status needs a key')
    }
    // The schema's defaults always fill these.
    const sort = q.sort as Sort
    const limit = q.limit as number
    const now = this.clock()
    const params: Record<string, unknown> = { now, limit: limit + 1 }
    const where: string[] = [viewer.editor ? EDITOR_STATUS_SQL[q.status ?? 'default'] : PUBLIC_VISIBLE_SQL]
    let shape = `${viewer.editor ? 'e' : 'p'}:${q.status ?? ''}:${sort}:${withBody ? 'b' : ''}`

    const filters = filterSql(q, this.categories, this.tags)
    if (filters === undefined) return { data: [], nextCursor: null, ...(q.count === true ? { total: 0 } : {}) }
    where.push(...filters.where)
    Object.assign(params, filters.params)
    shape += filters.shape
    const filterWhere = where.join(' AND ')

    const order = SORT_COLUMN[sort]
    const expr = viewer.editor ? order.editorExpr : order.expr
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, sort)
      where.push(`(${expr}, a.id) ${order.desc ? '<' : '>'} (@afterValue, @afterId)`)
      params.afterValue = c.value
      params.afterId = c.id
      shape += ':cur'
    }
    const dir = order.desc ? 'DESC' : 'ASC'
    const sql = `SELECT ${withBody ? FULL_COLUMNS : SUMMARY_COLUMNS}, ${expr} AS sortValue FROM articles a
      WHERE ${where.join(' AND ')} ORDER BY ${expr} ${dir}, a.id ${dir} LIMIT @limit`
    const rows = this.statement(shape, sql).all(params) as Array<RawArticle & { sortValue: number }>
    const page = rows.slice(0, limit)
    const tagMap = this.tagsFor(page.map(r => r.id))
    const data = page.map(r => withBody ? toArticle(r, tagMap.get(r.id) ?? [], viewer.editor) : toSummary(r, tagMap.get(r.id) ?? [], viewer.editor))
    const last = page[page.length - 1]
    const nextCursor = rows.length > limit ? encodeCursor(sort, last.sortValue, last.id) : null
    const result: { data: typeof data, nextCursor: string | null, total?: number } = { data, nextCursor }
    if (q.count === true) {
      const { limit: _l, afterValue: _v, afterId: _i, ...countParams } = params
      result.total = (this.statement(`${shape}:count`, `SELECT count(*) AS n FROM articles a WHERE ${filterWhere}`).get(countParams) as { n: number }).n
    }
    return result
  }

  addIncludes (articles: ArticleSummary[], include: Set<string>): void {
    if (articles.length === 0) return
    if (include.has('category')) {
      const ids = [...new Set(articles.map(a => a.categoryId).filter((id): id is number => id !== null))]
      const refs = new Map(this.categoryRefs.all(JSON.stringify(ids)).map(c => [c.id, c]))
      for (const a of articles) a.category = a.categoryId === null ? null : refs.get(a.categoryId) as CategoryRef
    }
    if (include.has('media')) {
      const attached = this.media.attachedTo(articles.map(a => a.id))
      for (const a of articles) a.media = attached.get(a.id) ?? []
    }
  }

  private tagsFor (ids: number[]): Map<number, string[]> {
    const out = new Map<number, string[]>()
    if (ids.length === 0) return out
    for (const { articleId, name } of this.tagsOfMany.all(JSON.stringify(ids))) {
      const list = out.get(articleId)
      if (list === undefined) out.set(articleId, [name])
      else list.push(name)
    }
    return out
  }

  private statement (shape: string, sql: string): Database.Statement {
    let stmt = this.listCache.get(shape)
    if (stmt === undefined) {
      stmt = this.sqlite.prepare(sql)
      this.listCache.set(shape, stmt)
    }
    return stmt
  }
}
