import type Database from 'better-sqlite3'
import type { ArticleInput } from '../shapes/articles.ts'
import { notFound } from '../errors.ts'
import { iso, type Clock } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { toInput, type RawArticle } from './article-rows.ts'

export interface RevisionSummary { revision: number, title: string, slug: string, status: string, createdAt: string }
export interface Revision extends RevisionSummary { article: Required<Omit<ArticleInput, 'categoryId'>> & { categoryId: number | null } }

// Earlier versions of articles, whole: every change made through the article
// endpoints (PATCH, trash, restore, media, restoring a revision, import) first stores
// the state it replaces. At most `keep` per article; the oldest go first.
export class RevisionService {
  private readonly insert: Database.Statement<[number, number, string, number]>
  private readonly prune: Database.Statement<[number, number, number]>
  private readonly page: Database.Statement<[{ article: number, before: number, limit: number }], { version: number, snapshot: string, createdAt: number }>
  private readonly one: Database.Statement<[number, number], { version: number, snapshot: string, createdAt: number }>

  constructor (sqlite: Database.Database, private readonly clock: Clock, private readonly keepCount: number) {
    this.insert = sqlite.prepare(`INSERT INTO article_revisions (article_id, version, snapshot, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (article_id, version) DO NOTHING`)
    this.prune = sqlite.prepare(`DELETE FROM article_revisions WHERE article_id = ? AND version <= (
      SELECT version FROM article_revisions WHERE article_id = ? ORDER BY version DESC LIMIT 1 OFFSET ?)`)
    this.page = sqlite.prepare(`SELECT version, snapshot, created_at AS createdAt FROM article_revisions
      WHERE article_id = @article AND version < @before ORDER BY version DESC LIMIT @limit`)
    this.one = sqlite.prepare('SELECT version, snapshot, created_at AS createdAt FROM article_revisions WHERE article_id = ? AND version = ?')
  }

  // Stores the state an article is about to leave.
  keep (row: RawArticle, tags: string[]): void {
    const snapshot: Revision['article'] = { ...toInput(row, tags), categoryId: row.categoryId }
    this.insert.run(row.id, row.version, JSON.stringify(snapshot), this.clock())
    this.prune.run(row.id, row.id, this.keepCount)
  }

  list (articleId: number, limit: number, cursor?: string): { data: RevisionSummary[], nextCursor: string | null } {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, 'revisions').value as number
    const rows = this.page.all({ article: articleId, before, limit: limit + 1 })
    const data = rows.slice(0, limit).map(r => summary(r.version, JSON.parse(r.snapshot), r.createdAt))
    const last = data[data.length - 1]
    return { data, nextCursor: rows.length > limit ? encodeCursor('revisions', last.revision, articleId) : null }
  }

  get (articleId: number, version: number): Revision {
    const row = this.one.get(articleId, version)
    if (row === undefined) throw notFound(`Revision ${version} of article ${articleId}`)
    const article = JSON.parse(row.snapshot) as Revision['article']
    return { ...summary(row.version, article, row.createdAt), article }
  }
}

function summary (revision: number, article: Revision['article'], createdAt: number): RevisionSummary {
  return { revision, title: article.title, slug: article.slug, status: article.status, createdAt: iso(createdAt) }
}
