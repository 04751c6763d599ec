import type { ArticleSummary } from '../shapes/articles.ts'
import type { RankingWindow } from '../enums.ts'
import type { Storage } from '../storage.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries } from '../articles/article-queries.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { RankingSpec } from './view-store.ts'
import { DAY_MS, dayOf } from './view-service.ts'

export interface RankingQuery { window: RankingWindow, category?: string, limit: number }

// Most-read articles, tags and categories. Only published, visible articles count:
// a draft, scheduled or trashed article never shows up nor lifts its tags or category.
// Answers are cached with the public response cache and recomputed after each flush.
export class RankingService {
  constructor (private readonly deps: { storage: Storage, clock: Clock, queries: ArticleQueries, categories: CategoryService }) {}

  async articles (q: RankingQuery): Promise<Array<{ rank: number, views: number, article: ArticleSummary }>> {
    const spec = await this.spec(q)
    const rows = spec === undefined ? [] : await this.deps.storage.rankings.articles(spec)
    const summaries = await this.deps.queries.summariesByIds(rows.map(r => r.id))
    return rows.map((r, i) => ({ rank: i + 1, views: r.views, article: summaries.get(r.id) as ArticleSummary }))
  }

  async tags (q: RankingQuery): Promise<Array<{ rank: number, views: number, tag: { id: number, slug: string, name: string } }>> {
    const spec = await this.spec(q)
    const rows = spec === undefined ? [] : await this.deps.storage.rankings.tags(spec)
    return rows.map(({ views, ...tag }, i) => ({ rank: i + 1, views, tag }))
  }

  async categoriesRanking (q: RankingQuery): Promise<Array<{ rank: number, views: number, category: { id: number, slug: string, name: string, parentId: number | null } }>> {
    const spec = await this.spec(q)
    const rows = spec === undefined ? [] : await this.deps.storage.rankings.categories(spec)
    return rows.map(({ views, ...category }, i) => ({ rank: i + 1, views, category }))
  }

  // The window in days; undefined when the category filter matches nothing. For 24h:
  // today's bucket plus yesterday's weighted by the part of it still inside the window.
  private async spec (q: RankingQuery): Promise<RankingSpec | undefined> {
    const now = this.deps.clock()
    const today = dayOf(now)
    const spec: RankingSpec = {
      window: q.window === 'all'
        ? { all: true }
        : {
            all: false,
            today,
            fromDay: q.window === '24h' ? today - 1 : today - (q.window === '7d' ? 6 : 29),
            weight: q.window === '24h' ? 1 - (now % DAY_MS) / DAY_MS : 1
          },
      limit: q.limit,
      now
    }
    if (q.category === undefined) return spec
    const category = await this.deps.categories.find(q.category)
    if (category === undefined) return undefined
    spec.categoryIds = await this.deps.categories.subtreeIds(category.id)
    return spec
  }
}
