import type { MediaKind, MediaProvider, MediaRole } from '../enums.ts'
import type { Attachment, MediaRow } from '../rows.ts'

export type NewMedia = Omit<MediaRow, 'id' | 'createdAt' | 'updatedAt'>

export interface MediaFilter {
  kind?: MediaKind
  provider?: MediaProvider
  // Only the media attached to this article; with `publicOnly`, only while the
  // public may read that article.
  article?: number
  publicOnly: boolean
  // Ids below this one (the list is newest first).
  beforeId?: number
  limit: number
  now: number
}

export interface MediaStore {
  list: (filter: MediaFilter) => Promise<MediaRow[]>
  byId: (id: number) => Promise<MediaRow | undefined>
  // The item with exactly this URL, and the one with this canonical URL.
  idByUrl: (url: string) => Promise<number | undefined>
  idByCanonicalUrl: (canonicalUrl: string) => Promise<number | undefined>
  insert: (row: NewMedia, at: number) => Promise<number>
  update: (id: number, set: Partial<NewMedia>, at: number) => Promise<MediaRow>
  // False when there was no such item.
  delete: (id: number) => Promise<boolean>
  // The media attached to each of the given articles, in order.
  attachedTo: (articleIds: number[]) => Promise<Array<MediaRow & { articleId: number, role: MediaRole, position: number }>>
  // The articles showing an item.
  articlesShowing: (mediaId: number) => Promise<number[]>
  attachments: (articleId: number) => Promise<Attachment[]>
  // Replaces an article's attachments; its hasVideo follows.
  setAttachments: (articleId: number, items: Attachment[]) => Promise<void>
  // Recomputes the articles' hasVideo from their media, and gives each a new version.
  refreshArticles: (articleIds: number[], at: number) => Promise<void>
}
