import type Database from 'better-sqlite3'
import type { ArticleSummary } from '../shapes/articles.ts'
import { PUBLIC_VISIBLE_SQL } from '../articles/visibility.ts'
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

// What each ranking selects, joins and groups by; $views is the window's views.
const RANKED = {
  articles: { select: 'a.id, $views AS views', join: '', group: '', id: 'a.id' },
  tags: {
    select: 't.id, t.slug, t.name, sum($views) AS views',
    join: 'JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id',
    group: 'GROUP BY t.id',
    id: 't.id'
  },
  categories: {
    select: 'c.id, c.slug, c.name, c.parent_id AS parentId, sum($views) AS views',
    join: 'JOIN categories c ON c.id = a.category_id',
    group: 'GROUP BY c.id',
    id: 'c.id'
  }
}

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
    const rows = this.run('articles', q) as Array<{ id: number, views: number }>
    const summaries = this.queries.summariesByIds(rows.map(r => r.id))
    return rows.map((r, i) => ({ rank: i + 1, views: r.views, article: summaries.get(r.id) as ArticleSummary }))
  }

  tags (q: RankingQuery): Array<{ rank: number, views: number, tag: { id: number, slug: string, name: string } }> {
    const rows = this.run('tags', q) as Array<{ id: number, slug: string, name: string, views: number }>
    return rows.map(({ views, ...tag }, i) => ({ rank: i + 1, views, tag }))
  }

  categoriesRanking (q: RankingQuery): Array<{ rank: number, views: number, category: { id: number, slug: string, name: string, parentId: number | null } }> {
    const rows = this.run('categories', q) as Array<{ id: number, slug: string, name: string, parentId: number | null, views: number }>
    return rows.map(({ views, ...category }, i) => ({ rank: i + 1, views, category }))
  }

  private run (kind: keyof typeof RANKED, q: RankingQuery): unknown[] {
    const { params, filtered } = this.params(q)
    if (params === undefined) return []
    const all = q.window === 'all'
    const key = `${kind}:${all ? 'all' : 'window'}:${filtered ? 'category' : ''}`
    let stmt = this.stmts.get(key)
    if (stmt === undefined) {
      const spec = RANKED[kind]
      const views = all ? 'a.views' : 'w.views'
      const from = all ? 'articles a' : `(${WINDOW_VIEWS}) w JOIN articles a ON a.id = w.article_id`
      stmt = this.sqlite.prepare(`SELECT ${spec.select.replace('$views', views)} FROM ${from} ${spec.join}
        WHERE ${PUBLIC_VISIBLE_SQL} AND ${views} > 0${filtered ? ` AND ${CATEGORY_FILTER}` : ''}
        ${spec.group} ORDER BY views DESC, ${spec.id} DESC LIMIT @limit`)
      this.stmts.set(key, stmt)
    }
    return stmt.all(params)
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
}
