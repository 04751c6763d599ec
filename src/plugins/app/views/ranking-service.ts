import type Database from 'better-sqlite3'
import type { ArticleSummary } from '../../../schemas/articles.ts'
import { PUBLIC_VISIBLE_SQL } from '../visibility.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries } from '../articles/article-queries.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import { DAY_MS, dayOf } from './view-service.ts'

export const WINDOWS = ['24h', '7d', '30d', 'all'] as const
export type Window = typeof WINDOWS[number]

export interface RankingQuery { window: Window, category?: string, limit: number }

// Views of each article in the window, from the daily buckets. For 24h: today's
// bucket plus yesterday's weighted by the part of it still inside the window.
const WINDOW_VIEWS = `SELECT article_id, round(sum(CASE WHEN day = @today THEN views ELSE views * @weight END)) AS views
  FROM article_views_daily WHERE day >= @fromDay GROUP BY article_id`

const CATEGORY_FILTER = 'a.category_id IN (SELECT value FROM json_each(@categories))'

// Most-read articles, tags and categories. Only published, visible articles count:
// a draft, scheduled or trashed article never shows up nor lifts its tags or category.
// Answers are cached with the public response cache and recomputed after each flush.
export class RankingService {
  private readonly stmts = new Map<string, Database.Statement>()

  constructor (
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly queries: ArticleQueries,
    private readonly categories: CategoryService
  ) {}

  articles (q: RankingQuery): Array<{ rank: number, views: number, article: ArticleSummary }> {
    const { params, filtered } = this.params(q)
    if (params === undefined) return []
    const source = q.window === 'all'
      ? `SELECT a.id, a.views AS windowViews FROM articles a WHERE ${PUBLIC_VISIBLE_SQL} AND a.views > 0${filtered ? ` AND ${CATEGORY_FILTER}` : ''}
         ORDER BY a.views DESC, a.id DESC LIMIT @limit`
      : `SELECT a.id, w.views AS windowViews FROM (${WINDOW_VIEWS}) w JOIN articles a ON a.id = w.article_id
         WHERE ${PUBLIC_VISIBLE_SQL} AND w.views > 0${filtered ? ` AND ${CATEGORY_FILTER}` : ''}
         ORDER BY w.views DESC, a.id DESC LIMIT @limit`
    const rows = this.stmt(`articles:${q.window === 'all' ? 'all' : 'w'}:${filtered ? 'c' : ''}`, source).all(params) as Array<{ id: number, windowViews: number }>
    const summaries = this.queries.summariesByIds(rows.map(r => r.id))
    return rows.map((r, i) => ({ rank: i + 1, views: r.windowViews, article: summaries.get(r.id) as ArticleSummary }))
  }

  tags (q: RankingQuery): Array<{ rank: number, views: number, tag: { id: number, slug: string, name: string } }> {
    const { params, filtered } = this.params(q)
    if (params === undefined) return []
    const views = q.window === 'all' ? 'a.views' : 'w.views'
    const from = q.window === 'all' ? 'articles a' : `(${WINDOW_VIEWS}) w JOIN articles a ON a.id = w.article_id`
    const sql = `SELECT t.id, t.slug, t.name, sum(${views}) AS views FROM ${from}
      JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id
      WHERE ${PUBLIC_VISIBLE_SQL} AND ${views} > 0${filtered ? ` AND ${CATEGORY_FILTER}` : ''}
      GROUP BY t.id ORDER BY views DESC, t.id DESC LIMIT @limit`
    const rows = this.stmt(`tags:${q.window === 'all' ? 'all' : 'w'}:${filtered ? 'c' : ''}`, sql).all(params) as Array<{ id: number, slug: string, name: string, views: number }>
    return rows.map((r, i) => ({ rank: i + 1, views: r.views, tag: { id: r.id, slug: r.slug, name: r.name } }))
  }

  categoriesRanking (q: RankingQuery): Array<{ rank: number, views: number, category: { id: number, slug: string, name: string, parentId: number | null } }> {
    const { params, filtered } = this.params(q)
    if (params === undefined) return []
    const views = q.window === 'all' ? 'a.views' : 'w.views'
    const from = q.window === 'all' ? 'articles a' : `(${WINDOW_VIEWS}) w JOIN articles a ON a.id = w.article_id`
    const sql = `SELECT c.id, c.slug, c.name, c.parent_id AS parentId, sum(${views}) AS views FROM ${from}
      JOIN categories c ON c.id = a.category_id
      WHERE ${PUBLIC_VISIBLE_SQL} AND ${views} > 0${filtered ? ` AND ${CATEGORY_FILTER}` : ''}
      GROUP BY c.id ORDER BY views DESC, c.id DESC LIMIT @limit`
    const rows = this.stmt(`categories:${q.window === 'all' ? 'all' : 'w'}:${filtered ? 'c' : ''}`, sql).all(params) as Array<{ id: number, slug: string, name: string, parentId: number | null, views: number }>
    return rows.map((r, i) => ({ rank: i + 1, views: r.views, category: { id: r.id, slug: r.slug, name: r.name, parentId: r.parentId } }))
  }

  // Query parameters for a window; undefined when the category filter matches nothing.
  private params (q: RankingQuery): { params?: Record<string, unknown>, filtered: boolean } {
    const now = this.clock()
    const today = dayOf(now)
    const params: Record<string, unknown> = { now, limit: q.limit }
    if (q.window !== 'all') {
      params.today = today
      params.fromDay = q.window === '24h' ? today - 1 : today - (q.window === '7d' ? 6 : 29)
      params.weight = q.window === '24h' ? 1 - (now % DAY_MS) / DAY_MS : 1
    }
    if (q.category === undefined) return { params, filtered: false }
    const category = this.categories.find(q.category)
    if (category === undefined) return { filtered: true }
    params.categories = JSON.stringify(this.categories.subtreeIds(category.id))
    return { params, filtered: true }
  }

  private stmt (key: string, sql: string): Database.Statement {
    let stmt = this.stmts.get(key)
    if (stmt === undefined) this.stmts.set(key, stmt = this.sqlite.prepare(sql))
    return stmt
  }
}
