import { sql } from 'drizzle-orm'
import type { ArticleRow, CategoryRow, KeyRow, MediaRow, TagRow } from '../../domain/rows.ts'
import { ARTICLE_STATUSES, MEDIA_KINDS, MEDIA_PROVIDERS, MEDIA_ROLES, ROLES, SLUG_KINDS } from '../../domain/enums.ts'
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'

// The one place the database shape is declared. Times are milliseconds since the
// epoch (cheap to compare and index); the API turns them into ISO strings.

export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  parentId: integer('parent_id').references((): AnySQLiteColumn => categories.id, { onDelete: 'restrict' }),
  position: integer('position').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull()
}, (t) => [
  uniqueIndex('categories_slug_unique').on(t.slug),
  index('categories_parent_idx').on(t.parentId)
])

export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull()
}, (t) => [
  uniqueIndex('tags_slug_unique').on(t.slug),
  uniqueIndex('tags_name_unique').on(t.name)
])

export const articles = sqliteTable('articles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  title: text('title').notNull(),
  subtitle: text('subtitle'),
  excerpt: text('excerpt'),
  body: text('body').notNull().default(''),
  lang: text('lang').notNull().default('ar'),
  status: text('status', { enum: ARTICLE_STATUSES }).notNull().default('draft'),
  publishedAt: integer('published_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  // Set when the article is in the trash; null otherwise.
  deletedAt: integer('deleted_at'),
  categoryId: integer('category_id').references(() => categories.id, { onDelete: 'restrict' }),
  author: text('author'),
  sourceName: text('source_name'),
  sourceUrl: text('source_url'),
  breaking: integer('breaking', { mode: 'boolean' }).notNull().default(false),
  hasVideo: integer('has_video', { mode: 'boolean' }).notNull().default(false),
  readingTimeMinutes: integer('reading_time_minutes').notNull().default(0),
  views: integer('views').notNull().default(0),
  commentCount: integer('comment_count').notNull().default(0),
  externalId: text('external_id'),
  version: integer('version').notNull().default(1)
}, (t) => [
  uniqueIndex('articles_slug_unique').on(t.slug),
  uniqueIndex('articles_external_id_unique').on(t.externalId),
  // Partial indexes over what the public can see: the list, newest first, overall and by category.
  index('articles_public_published_idx').on(t.publishedAt, t.id)
    .where(sql`status = 'published' and deleted_at is null`),
  index('articles_public_category_idx').on(t.categoryId, t.publishedAt, t.id)
    .where(sql`status = 'published' and deleted_at is null`),
  index('articles_public_views_idx').on(t.views, t.id)
    .where(sql`status = 'published' and deleted_at is null`),
  index('articles_updated_idx').on(t.updatedAt, t.id),
  index('articles_category_idx').on(t.categoryId)
])

export const articleTags = sqliteTable('article_tags', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),
  position: integer('position').notNull().default(0)
}, (t) => [
  primaryKey({ columns: [t.articleId, t.tagId] }),
  index('article_tags_tag_idx').on(t.tagId, t.articleId)
])

export const media = sqliteTable('media', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  url: text('url').notNull(),
  // Null for old rows until the start-up backfill (src/storage/sqlite/media-backfill.ts)
  // gives them theirs, and for those it leaves as later duplicates of an earlier item.
  canonicalUrl: text('canonical_url'),
  kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
  provider: text('provider', { enum: MEDIA_PROVIDERS }).notNull(),
  embedUrl: text('embed_url'),
  title: text('title'),
  caption: text('caption'),
  alt: text('alt'),
  credit: text('credit'),
  thumbnailUrl: text('thumbnail_url'),
  durationSeconds: integer('duration_seconds'),
  width: integer('width'),
  height: integer('height'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull()
}, (t) => [
  uniqueIndex('media_url_unique').on(t.url),
  uniqueIndex('media_canonical_url_unique').on(t.canonicalUrl),
  index('media_kind_idx').on(t.kind),
  index('media_provider_idx').on(t.provider)
])

export const articleMedia = sqliteTable('article_media', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  mediaId: integer('media_id').notNull().references(() => media.id, { onDelete: 'cascade' }),
  role: text('role', { enum: MEDIA_ROLES }).notNull(),
  position: integer('position').notNull().default(0)
}, (t) => [
  primaryKey({ columns: [t.articleId, t.mediaId] }),
  index('article_media_media_idx').on(t.mediaId)
])

export const apiKeys = sqliteTable('api_keys', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  // sha256 of the key; the key itself is never stored.
  hash: text('hash').notNull(),
  // The first characters of the key, so people can tell keys apart in lists.
  prefix: text('prefix').notNull(),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at')
}, (t) => [
  uniqueIndex('api_keys_hash_unique').on(t.hash)
])

// The rows the domain works with (src/domain/rows.ts) are exactly what these tables
// infer: a column added, renamed or retyped on one side and not the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const ROWS_MATCH: [
  Same<typeof articles.$inferSelect, ArticleRow>,
  Same<typeof categories.$inferSelect, CategoryRow>,
  Same<typeof tags.$inferSelect, TagRow>,
  Same<typeof media.$inferSelect, MediaRow>,
  Same<typeof apiKeys.$inferSelect, KeyRow>
] = [true, true, true, true, true]

// Views per article per UTC day (day = days since the epoch): enough for the
// 24h/7d/30d windows and the daily series, at one row per article per day read.
export const articleViewsDaily = sqliteTable('article_views_daily', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  day: integer('day').notNull(),
  views: integer('views').notNull().default(0)
}, (t) => [
  primaryKey({ columns: [t.articleId, t.day] }),
  index('article_views_daily_day_idx').on(t.day, t.articleId, t.views)
])

// Earlier versions of articles, whole, as the input that would recreate them (JSON).
// Bounded per article by REVISIONS_KEEP.
export const articleRevisions = sqliteTable('article_revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  // The version the article had in this state.
  version: integer('version').notNull(),
  snapshot: text('snapshot').notNull(),
  // When the article was changed away from this state, and by which key.
  createdAt: integer('created_at').notNull(),
  keyId: integer('key_id')
}, (t) => [
  uniqueIndex('article_revisions_article_version_unique').on(t.articleId, t.version)
])

// Slugs a resource had before: they keep leading to it (301) and stay reserved for it
// until freed explicitly.
export const slugHistory = sqliteTable('slug_history', {
  kind: text('kind', { enum: SLUG_KINDS }).notNull(),
  slug: text('slug').notNull(),
  targetId: integer('target_id').notNull(),
  createdAt: integer('created_at').notNull()
}, (t) => [
  primaryKey({ columns: [t.kind, t.slug] }),
  index('slug_history_target_idx').on(t.kind, t.targetId)
])

// What the last import wrote into an article: the hash of the line, the version it left
// the article at and the catalogue epoch then. The row goes when the article's version
// moves (a trigger, migration 0006); while it stands and no category, tag or media item has
// changed since, the same line again is "unchanged" without being parsed, validated or
// compared (a re-import of a whole archive).
export const importState = sqliteTable('import_state', {
  articleId: integer('article_id').primaryKey().references(() => articles.id, { onDelete: 'cascade' }),
  lineHash: text('line_hash').notNull(),
  version: integer('version').notNull(),
  epoch: integer('epoch').notNull()
}, (t) => [
  index('import_state_line_hash_idx').on(t.lineHash)
])

// One row: a counter that triggers (migration 0005) move on every change or deletion of a
// category, tag or media item, which can change what an import line means.
export const catalogEpoch = sqliteTable('catalog_epoch', {
  id: integer('id').primaryKey(),
  value: integer('value').notNull()
})
