import type { ArticleStatus, MediaKind, MediaProvider, MediaRole, Role } from './enums.ts'

// Rows as every storage engine hands them to the domain: times in ms since the epoch,
// booleans as booleans. The SQLite schema checks at compile time that its Drizzle
// tables infer exactly these (src/storage/sqlite/schema.ts).

export interface ArticleRow {
  id: number
  slug: string
  title: string
  subtitle: string | null
  excerpt: string | null
  body: string
  lang: string
  status: ArticleStatus
  publishedAt: number | null
  createdAt: number
  updatedAt: number
  // Set while the article is in the trash.
  deletedAt: number | null
  categoryId: number | null
  author: string | null
  sourceName: string | null
  sourceUrl: string | null
  breaking: boolean
  hasVideo: boolean
  readingTimeMinutes: number
  views: number
  commentCount: number
  externalId: string | null
  version: number
}

// What lists read: everything but the body.
export type ArticleSummaryRow = Omit<ArticleRow, 'body'>

// The columns a write may set (id, views and hasVideo are the store's own).
export type ArticleColumns = Omit<ArticleRow, 'id' | 'views' | 'hasVideo'>

// What visibility is decided on.
export type ArticleVisibility = Pick<ArticleRow, 'id' | 'status' | 'publishedAt' | 'deletedAt'>

export interface CategoryRow {
  id: number
  slug: string
  name: string
  description: string | null
  parentId: number | null
  position: number
  createdAt: number
  updatedAt: number
}

export interface TagRow {
  id: number
  slug: string
  name: string
  createdAt: number
  updatedAt: number
}

export interface MediaRow {
  id: number
  url: string
  // One address per item (canonicalMediaUrl), unique. Null only for an item stored before
  // there was this column that turned out to show the same thing as an earlier one.
  canonicalUrl: string | null
  kind: MediaKind
  provider: MediaProvider
  embedUrl: string | null
  title: string | null
  caption: string | null
  alt: string | null
  credit: string | null
  thumbnailUrl: string | null
  durationSeconds: number | null
  width: number | null
  height: number | null
  createdAt: number
  updatedAt: number
}

export interface Attachment { mediaId: number, role: MediaRole, position: number }

export interface KeyRow {
  id: number
  name: string
  role: Role
  // sha256 of the key; the key itself is never stored.
  hash: string
  prefix: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}
