import { sql } from 'drizzle-orm'
import type { ArticleRow, CategoryRow, KeyRow, MediaRow, TagRow } from '../../domain/rows.ts'
import { ARTICLE_STATUSES, MEDIA_KINDS, MEDIA_PROVIDERS, MEDIA_ROLES, ROLES, SLUG_KINDS } from '../../domain/enums.ts'
import { pgTable, bigint, boolean, text, index, uniqueIndex, primaryKey, customType, type AnyPgColumn } from 'drizzle-orm/pg-core'

// The PostgreSQL shape of the database: the same tables, columns (same SQL names), keys and
// indexes as src/storage/sqlite/schema.ts, which test/storage/schema-drift.test.ts keeps
// equal. Times are milliseconds since the epoch, as bigint read back as JS numbers (ms fit
// in 2^53). Migrations: migrations/postgres (drizzle.postgres.config.ts), without schema
// qualifiers, so they build the tables in whatever schema is first on search_path.

// A text-search vector (to_tsvector, setweight). Written and read as its text form.
const tsvector = customType<{ data: string, driverData: string }>({
  dataType () { return 'tsvector' }
})

// A millisecond time (or count) in a bigint column, as a JS number.
const ms = (name: string) => bigint(name, { mode: 'number' })
// Every other integer too: SQLite's are 64-bit, and the API takes ids and sizes up to
// 2^53 - 1, which PostgreSQL's 32-bit integer would refuse (an error, not a 404).
const int = (name: string) => bigint(name, { mode: 'number' })

// What the public can see: the condition of the partial indexes, as in SQLite.
const PUBLIC = sql`status = 'published' and deleted_at is null`

export const categories = pgTable('categories', {
  id: int('id').primaryKey().generatedByDefaultAsIdentity(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  parentId: int('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'restrict' }),
  position: int('position').notNull().default(0),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull()
}, (t) => [
  uniqueIndex('categories_slug_unique').on(t.slug),
  index('categories_parent_idx').on(t.parentId)
])

export const tags = pgTable('tags', {
  id: int('id').primaryKey().generatedByDefaultAsIdentity(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull()
}, (t) => [
  uniqueIndex('tags_slug_unique').on(t.slug),
  uniqueIndex('tags_name_unique').on(t.name)
])

export const articles = pgTable('articles', {
  id: int('id').primaryKey().generatedByDefaultAsIdentity(),
  slug: text('slug').notNull(),
  title: text('title').notNull(),
  subtitle: text('subtitle'),
  excerpt: text('excerpt'),
  body: text('body').notNull().default(''),
  lang: text('lang').notNull().default('ar'),
  status: text('status', { enum: ARTICLE_STATUSES }).notNull().default('draft'),
  publishedAt: ms('published_at'),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
  // Set when the article is in the trash; null otherwise.
  deletedAt: ms('deleted_at'),
  categoryId: int('category_id').references(() => categories.id, { onDelete: 'restrict' }),
  author: text('author'),
  sourceName: text('source_name'),
  sourceUrl: text('source_url'),
  breaking: boolean('breaking').notNull().default(false),
  hasVideo: boolean('has_video').notNull().default(false),
  readingTimeMinutes: int('reading_time_minutes').notNull().default(0),
  views: bigint('views', { mode: 'number' }).notNull().default(0),
  commentCount: bigint('comment_count', { mode: 'number' }).notNull().default(0),
  externalId: text('external_id'),
  version: int('version').notNull().default(1)
}, (t) => [
  uniqueIndex('articles_slug_unique').on(t.slug),
  uniqueIndex('articles_external_id_unique').on(t.externalId),
  // Partial indexes over what the public can see: the list, newest first, overall and by category.
  index('articles_public_published_idx').on(t.publishedAt, t.id).where(PUBLIC),
  index('articles_public_category_idx').on(t.categoryId, t.publishedAt, t.id).where(PUBLIC),
  index('articles_public_views_idx').on(t.views, t.id).where(PUBLIC),
  index('articles_updated_idx').on(t.updatedAt, t.id),
  index('articles_category_idx').on(t.categoryId)
])

export const articleTags = pgTable('article_tags', {
  articleId: int('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  tagId: int('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),
  position: int('position').notNull().default(0)
}, (t) => [
  primaryKey({ columns: [t.articleId, t.tagId] }),
  index('article_tags_tag_idx').on(t.tagId, t.articleId)
])

export const media = pgTable('media', {
  id: int('id').primaryKey().generatedByDefaultAsIdentity(),
  url: text('url').notNull(),
  // Null for old SQLite rows until their start-up backfill; kept nullable here so both
  // engines hand the domain the same MediaRow.
  canonicalUrl: text('canonical_url'),
  kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
  provider: text('provider', { enum: MEDIA_PROVIDERS }).notNull(),
  embedUrl: text('embed_url'),
  title: text('title'),
  caption: text('caption'),
  alt: text('alt'),
  credit: text('credit'),
  thumbnailUrl: text('thumbnail_url'),
  durationSeconds: int('duration_seconds'),
  width: int('width'),
  height: int('height'),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull()
}, (t) => [
  uniqueIndex('media_url_unique').on(t.url),
  uniqueIndex('media_canonical_url_unique').on(t.canonicalUrl),
  index('media_kind_idx').on(t.kind),
  index('media_provider_idx').on(t.provider)
])

export const articleMedia = pgTable('article_media', {
  articleId: int('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  mediaId: int('media_id').notNull().references(() => media.id, { onDelete: 'cascade' }),
  role: text('role', { enum: MEDIA_ROLES }).notNull(),
  position: int('position').notNull().default(0)
}, (t) => [
  primaryKey({ columns: [t.articleId, t.mediaId] }),
  index('article_media_media_idx').on(t.mediaId)
])

export const apiKeys = pgTable('api_keys', {
  id: int('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  // sha256 of the key; the key itself is never stored.
  hash: text('hash').notNull(),
  // The first characters of the key, so people can tell keys apart in lists.
  prefix: text('prefix').notNull(),
  createdAt: ms('created_at').notNull(),
  lastUsedAt: ms('last_used_at'),
  revokedAt: ms('revoked_at')
}, (t) => [
  uniqueIndex('api_keys_hash_unique').on(t.hash)
])

// The rows the domain works with (src/domain/rows.ts) are exactly what these tables
// infer, as for SQLite: a column added, renamed or retyped on one side fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const ROWS_MATCH: [
  Same<typeof articles.$inferSelect, ArticleRow>,
  Same<typeof categories.$inferSelect, CategoryRow>,
  Same<typeof tags.$inferSelect, TagRow>,
  Same<typeof media.$inferSelect, MediaRow>,
  Same<typeof apiKeys.$inferSelect, KeyRow>
] = [true, true, true, true, true]

// Views per article per UTC day (day = days since the epoch).
export const articleViewsDaily = pgTable('article_views_daily', {
  articleId: int('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  day: int('day').notNull(),
  views: bigint('views', { mode: 'number' }).notNull().default(0)
}, (t) => [
  primaryKey({ columns: [t.articleId, t.day] }),
  index('article_views_daily_day_idx').on(t.day, t.articleId, t.views)
])

// Earlier versions of articles, whole, as the input that would recreate them (JSON).
export const articleRevisions = pgTable('article_revisions', {
  id: int('id').primaryKey().generatedByDefaultAsIdentity(),
  articleId: int('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  // The version the article had in this state.
  version: int('version').notNull(),
  snapshot: text('snapshot').notNull(),
  // When the article was changed away from this state, and by which key.
  createdAt: ms('created_at').notNull(),
  keyId: int('key_id')
}, (t) => [
  uniqueIndex('article_revisions_article_version_unique').on(t.articleId, t.version)
])

// Slugs a resource had before: they keep leading to it (301) and stay reserved for it.
export const slugHistory = pgTable('slug_history', {
  kind: text('kind', { enum: SLUG_KINDS }).notNull(),
  slug: text('slug').notNull(),
  targetId: int('target_id').notNull(),
  createdAt: ms('created_at').notNull()
}, (t) => [
  primaryKey({ columns: [t.kind, t.slug] }),
  index('slug_history_target_idx').on(t.kind, t.targetId)
])

// What the last import wrote into an article. The row goes when the article's version
// moves (trigger khabar_import_state_forget, migrations/postgres/0001_triggers.sql).
export const importState = pgTable('import_state', {
  articleId: int('article_id').primaryKey().references(() => articles.id, { onDelete: 'cascade' }),
  lineHash: text('line_hash').notNull(),
  version: int('version').notNull(),
  epoch: int('epoch').notNull()
}, (t) => [
  index('import_state_line_hash_idx').on(t.lineHash)
])

// One row (inserted by 0001_triggers.sql): a counter that statement triggers move on every
// change or deletion of categories, tags or media.
export const catalogEpoch = pgTable('catalog_epoch', {
  id: int('id').primaryKey(),
  value: int('value').notNull()
})

// Full-text search. SQLite keeps it in hand-written FTS5 tables (articles_fts,
// article_titles_fts) plus search_indexed (which article at which version is indexed);
// here it is one ordinary table: the application's normalised tokens as tsvectors, the
// whole text and the title alone (suggest and related), and the version indexed.
export const searchIndex = pgTable('search_index', {
  articleId: int('article_id').primaryKey().references(() => articles.id, { onDelete: 'cascade' }),
  version: int('version').notNull(),
  document: tsvector('document').notNull(),
  title: tsvector('title').notNull()
}, (t) => [
  index('search_index_document_idx').using('gin', t.document),
  index('search_index_title_idx').using('gin', t.title)
])
