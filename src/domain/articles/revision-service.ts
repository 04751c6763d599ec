import type { Static } from 'typebox'
import type { ArticleInput } from '../shapes/articles.ts'
import type { RevisionSummarySchema } from '../shapes/revisions.ts'
import type { ArticleRow } from '../rows.ts'
import { NotFound } from '../errors.ts'
import { iso, type Clock } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { toInput } from './article-rows.ts'
import type { RevisionStore } from './revision-store.ts'

export type RevisionSummary = Static<typeof RevisionSummarySchema>
export interface Revision extends RevisionSummary { article: Required<Omit<ArticleInput, 'categoryId'>> & { categoryId: number | null } }

// Earlier versions of articles, whole: every change made through the article
// endpoints (PATCH, trash, restore, media, restoring a revision, import) first stores
// the state it replaces. At most `keep` per article (REVISIONS_KEEP); the oldest go first.
export class RevisionService {
  constructor (private readonly deps: { store: RevisionStore, clock: Clock, keep: number }) {}

  // Stores the state an article is about to leave.
  async keep (row: ArticleRow, tags: string[]): Promise<void> {
    const snapshot: Revision['article'] = { ...toInput(row, tags), categoryId: row.categoryId }
    await this.deps.store.keep(row.id, row.version, JSON.stringify(snapshot), this.deps.clock(), this.deps.keep)
  }

  async list (articleId: number, limit: number, cursor?: string): Promise<{ data: RevisionSummary[], nextCursor: string | null }> {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, 'revisions').value as number
    const rows = await this.deps.store.page(articleId, before, limit + 1)
    const data = rows.slice(0, limit).map(r => summary(r.version, JSON.parse(r.snapshot), r.createdAt))
    const last = data[data.length - 1]
    return { data, nextCursor: rows.length > limit ? encodeCursor('revisions', last.revision, articleId) : null }
  }

  async get (articleId: number, version: number): Promise<Revision> {
    const row = await this.deps.store.one(articleId, version)
    if (row === undefined) throw new NotFound(`Revision ${version} of article ${articleId}`)
    const article = JSON.parse(row.snapshot) as Revision['article']
    return { ...summary(row.version, article, row.createdAt), article }
  }
}

function summary (revision: number, article: Revision['article'], createdAt: number): RevisionSummary {
  return { revision, title: article.title, slug: article.slug, status: article.status, createdAt: iso(createdAt) }
}
