import type { SlugKind } from '../enums.ts'

// The slugs articles, categories and tags had before.
export interface SlugStore {
  // `slug` now leads to `targetId` (whoever it led to before).
  record: (kind: SlugKind, slug: string, targetId: number, at: number) => Promise<void>
  // Forgets `slug` if it leads to `targetId`.
  forget: (kind: SlugKind, slug: string, targetId: number) => Promise<void>
  target: (kind: SlugKind, slug: string) => Promise<number | undefined>
  // Newest first.
  list: (kind: SlugKind, targetId: number) => Promise<Array<{ slug: string, createdAt: number }>>
  forgetAll: (kind: SlugKind, targetId: number) => Promise<void>
}
