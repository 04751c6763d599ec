import type { ArticleRow } from '../rows.ts'

// The article an import line is about, as far as the import needs to know it.
export interface ImportTarget { id: number, version: number, externalId: string | null }

export interface ImportStore {
  byExternalId: (externalId: string) => Promise<ImportTarget | undefined>
  bySlug: (slug: string) => Promise<ImportTarget | undefined>
  // The article this exact line (by its hash) was last imported into.
  byLineHash: (hash: string) => Promise<ImportTarget | undefined>
  // Whether this exact line was imported into an article nobody has changed since, while
  // no category, tag or media item has changed either: then it would change nothing.
  alreadyImported: (hash: string) => Promise<boolean>
  // Remembers the line an article was just imported from, at its current version.
  remember: (articleId: number, hash: string) => Promise<void>
}

export interface ExportStore {
  // Articles not in the trash with ids above `after`, by id; `since` (ms): updated at or after it.
  page: (after: number, since: number | null, limit: number) => Promise<ArticleRow[]>
}
