import type { ArticleStore } from './articles/article-store.ts'
import type { RevisionStore } from './articles/revision-store.ts'
import type { CategoryStore } from './taxonomy/category-store.ts'
import type { TagStore } from './taxonomy/tag-store.ts'
import type { MediaStore } from './media/media-store.ts'
import type { KeyStore } from './keys/key-store.ts'
import type { SlugStore } from './slugs/slug-store.ts'
import type { RankingStore, ViewStore } from './views/view-store.ts'
import type { SearchStore } from './search/search-store.ts'
import type { ExportStore, ImportStore } from './transfer/transfer-store.ts'

// Whether what readers may see can have changed: the public response cache keeps an
// answer only while the state it was made in stands.
export interface ChangeFeed {
  // Moves whenever anything is written, by this process or another.
  state: () => Promise<string>
  // When the next scheduled article comes due after `now`, if any.
  nextScheduled: (now: number) => Promise<number | null>
}

// Everything the domain needs of a storage engine: one port per area, and
// transactions. Each engine is a folder of src/storage that builds one.
export interface Storage {
  readonly engine: string
  /**
   * Runs fn in a transaction: committed when it resolves, rolled back when it throws.
   * Called inside another, it is a nested one (a savepoint) that rolls back alone.
   * Domain code awaits only storage inside a transaction, never the network or a timer.
   */
  transaction: <T>(fn: () => Promise<T>) => Promise<T>
  articles: ArticleStore
  revisions: RevisionStore
  categories: CategoryStore
  tags: TagStore
  media: MediaStore
  keys: KeyStore
  slugs: SlugStore
  views: ViewStore
  rankings: RankingStore
  search: SearchStore
  imports: ImportStore
  exports: ExportStore
  changes: ChangeFeed
  // Engines with read replicas: runs `rest` (the rest of a request) so that its reads
  // outside transactions may be answered by a replica.
  replicaReads?: (rest: () => void) => void
  // Throws when the database does not answer.
  ping: () => Promise<void>
  close: () => Promise<void>
}
