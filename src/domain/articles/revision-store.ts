// Earlier versions of articles, as JSON snapshots.
export interface StoredRevision { version: number, snapshot: string, createdAt: number }

export interface RevisionStore {
  // Keeps the snapshot of `version` (once) and drops all but the newest `keep`.
  keep: (articleId: number, version: number, snapshot: string, at: number, keep: number) => Promise<void>
  // Newest first, versions below `before`.
  page: (articleId: number, before: number, limit: number) => Promise<StoredRevision[]>
  one: (articleId: number, version: number) => Promise<StoredRevision | undefined>
}
