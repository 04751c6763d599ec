import type { TagSort } from '../enums.ts'
import type { TagRow } from '../rows.ts'

export type CountedTag = TagRow & { articleCount: number }

export interface TagStore {
  // A page in `sort` order after (`after`, `afterId`), with the published, visible
  // articles that carry each tag.
  page: (sort: TagSort, after: string | number | null, afterId: number, limit: number, now: number) => Promise<CountedTag[]>
  byId: (id: number) => Promise<TagRow | undefined>
  bySlug: (slug: string) => Promise<TagRow | undefined>
  byName: (name: string) => Promise<TagRow | undefined>
  idByName: (name: string) => Promise<number | undefined>
  publicCount: (id: number, now: number) => Promise<number>
  // Whether a tag other than `exceptId` has this slug.
  slugTaken: (slug: string, exceptId?: number) => Promise<boolean>
  insert: (slug: string, name: string, at: number) => Promise<TagRow>
  update: (id: number, set: Pick<TagRow, 'name' | 'slug' | 'updatedAt'>) => Promise<TagRow>
  // A new version of every article that carries the tag (they list tags by name).
  touchArticles: (id: number, at: number) => Promise<void>
  // False when there was no such tag.
  delete: (id: number) => Promise<boolean>
}
