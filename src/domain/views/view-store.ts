// View counts: a total per article and a bucket per article per UTC day.
export interface ViewStore {
  // Adds the counts (never overwrites them) to each article's total and to `day`'s
  // bucket, in one transaction; articles deleted since are skipped.
  add: (counts: Array<[articleId: number, views: number]>, day: number) => Promise<void>
  // Day buckets of one article from `fromDay` on.
  daily: (articleId: number, fromDay: number) => Promise<Array<{ day: number, views: number }>>
}

export type RankedKind = 'articles' | 'tags' | 'categories'

export interface RankingSpec {
  // Views in the window: with `all`, every view ever; else today's bucket and those
  // back to `fromDay`, yesterday's weighted by `weight` (the share still in the window).
  window: { all: true } | { all: false, today: number, fromDay: number, weight: number }
  // Only articles in these categories.
  categoryIds?: number[]
  limit: number
  now: number
}

// Most-read, counting only published, visible articles with views in the window.
export interface RankingStore {
  articles: (spec: RankingSpec) => Promise<Array<{ id: number, views: number }>>
  tags: (spec: RankingSpec) => Promise<Array<{ id: number, slug: string, name: string, views: number }>>
  categories: (spec: RankingSpec) => Promise<Array<{ id: number, slug: string, name: string, parentId: number | null, views: number }>>
}
