import type { SearchSort } from '../enums.ts'
import type { ArticleFilter } from '../articles/article-store.ts'

// What is indexed of an article, already normalised (src/text/search-text.ts): its
// title, and its subtitle, excerpt and body text together.
export interface IndexedText { title: string, body: string }

export interface SearchSource { id: number, version: number, title: string, subtitle: string | null, excerpt: string | null, body: string }

export interface SearchSpec {
  // The query's words, each with the normalised forms it may match: every word must match.
  terms: string[][]
  filter: ArticleFilter
  sort: SearchSort
  // Keyset: rows after this order value (opaque, from an earlier hit) and id.
  after?: { value: number, id: number }
  limit: number
  now: number
}

// A visible match: `score` is the relevance (higher is better), `orderValue` what the
// engine sorted by, to pass back as `after`.
export interface SearchHitRow { id: number, title: string, body: string, score: number, orderValue: number }

export interface SearchStore {
  write: (id: number, text: IndexedText, version: number) => Promise<void>
  remove: (id: number) => Promise<void>
  source: (id: number) => Promise<SearchSource | undefined>
  exists: (id: number) => Promise<boolean>
  // Articles the index lacks or holds at an older version, by id.
  stale: () => Promise<number[]>
  search: (spec: SearchSpec) => Promise<SearchHitRow[]>
  // Visible articles whose title has every word, the last as a prefix; newest first.
  suggest: (terms: string[][], now: number, limit: number) => Promise<Array<{ id: number, slug: string, title: string }>>
  // Articles sharing tags with this one, most shared first.
  relatedByTags: (id: number) => Promise<Array<{ id: number, shared: number }>>
  // Articles whose title has any of these words, best title match first.
  relatedByTitle: (terms: string[][]) => Promise<number[]>
  // The newest visible articles of a category but this one.
  relatedByCategory: (categoryId: number, exceptId: number, now: number) => Promise<number[]>
  categoriesOf: (ids: number[]) => Promise<Array<{ id: number, categoryId: number | null }>>
  visibleIds: (ids: number[], now: number) => Promise<number[]>
}
