import type { CategoryRef } from '../shapes/articles.ts'
import type { CategoryRow } from '../rows.ts'

export type NewCategory = Omit<CategoryRow, 'id'>

export interface CategoryStore {
  // By position, then id.
  all: () => Promise<CategoryRow[]>
  byId: (id: number) => Promise<CategoryRow | undefined>
  bySlug: (slug: string) => Promise<CategoryRow | undefined>
  refs: (ids: number[]) => Promise<CategoryRef[]>
  // Published, visible articles filed directly under each category that has any.
  publicCounts: (now: number) => Promise<Map<number, number>>
  // The category and every category below it.
  subtreeIds: (id: number) => Promise<number[]>
  hasChildren: (id: number) => Promise<boolean>
  // The categories directly under `parentId` (null: the top level).
  children: (parentId: number | null) => Promise<CategoryRow[]>
  // Whether a category other than `exceptId` has this slug.
  slugTaken: (slug: string, exceptId?: number) => Promise<boolean>
  // Articles in any state.
  hasArticles: (id: number) => Promise<boolean>
  // Files every article of `from` under `to`, each a new version.
  moveArticles: (from: number, to: number, at: number) => Promise<void>
  insert: (row: NewCategory) => Promise<CategoryRow>
  update: (id: number, set: Omit<NewCategory, 'createdAt'>) => Promise<CategoryRow>
  delete: (id: number) => Promise<void>
}
