import type { ArticleListStatus, ArticleSort } from '../enums.ts'
import type { ArticleColumns, ArticleRow, ArticleSummaryRow, ArticleVisibility } from '../rows.ts'

// The filters lists and search share, resolved to ids and ms.
export interface ArticleFilter {
  // The category and its subcategories.
  categoryIds?: number[]
  tagId?: number
  lang?: string
  author?: string
  hasVideo?: boolean
  breaking?: boolean
  // publishedAt ≥ from, < to.
  from?: number
  to?: number
}

export interface ArticleListSpec {
  // The public sees what is visible (published, due, not trashed); editors see
  // everything not in the trash, or what `status` names.
  audience: 'public' | 'editor'
  status?: ArticleListStatus
  sort: ArticleSort
  filter: ArticleFilter
  // Keyset: rows after this sort value and id.
  after?: { value: number, id: number }
  limit: number
  withBody: boolean
  now: number
}

export type ListedArticle = (ArticleRow | ArticleSummaryRow) & { sortValue: number }

export type NewArticle = Omit<ArticleColumns, 'deletedAt' | 'version'>

export interface ArticleStore {
  byId: (id: number) => Promise<ArticleRow | undefined>
  bySlug: (slug: string) => Promise<ArticleRow | undefined>
  // Only what visibility needs: the full row (a 3 KB body) would double the cost of a view.
  visibility: (key: { id: number } | { slug: string }) => Promise<ArticleVisibility | undefined>
  // Summaries of the given articles, whatever their state, in no order.
  summaries: (ids: number[]) => Promise<ArticleSummaryRow[]>
  tagsOf: (id: number) => Promise<string[]>
  tagsFor: (ids: number[]) => Promise<Map<number, string[]>>
  list: (spec: ArticleListSpec) => Promise<ListedArticle[]>
  count: (spec: ArticleListSpec) => Promise<number>
  idBySlug: (slug: string) => Promise<number | undefined>
  idByExternalId: (externalId: string) => Promise<number | undefined>
  insert: (row: NewArticle) => Promise<number>
  update: (id: number, set: Partial<ArticleColumns>) => Promise<void>
  // False when there was no such article.
  delete: (id: number) => Promise<boolean>
  // Replaces the article's tags, in this order.
  setTags: (id: number, tagIds: number[]) => Promise<void>
}
