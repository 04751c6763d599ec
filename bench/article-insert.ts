// The INSERT of one generated article, published, in Arabic, straight into the articles
// table: bench/build-db.ts fills the read bench's database with it, bench/indexing.ts times
// it. Its parameters, in order: id, slug, title, subtitle, excerpt, body, published_at,
// created_at, updated_at, category_id, author, source_name, breaking, has_video,
// reading_time_minutes, views, comment_count, version.
import type Database from 'better-sqlite3'

export const INSERT_ARTICLE = `INSERT INTO articles (id, slug, title, subtitle, excerpt, body, lang, status,
    published_at, created_at, updated_at, category_id, author, source_name, breaking, has_video,
    reading_time_minutes, views, comment_count, version)
  VALUES (?, ?, ?, ?, ?, ?, 'ar', 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

export const prepareArticleInsert = (sqlite: Database.Database): Database.Statement => sqlite.prepare(INSERT_ARTICLE)
