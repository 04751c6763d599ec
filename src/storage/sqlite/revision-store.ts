import type { RevisionStore, StoredRevision } from '../../domain/articles/revision-store.ts'
import type { Connection } from './database.ts'

export function sqliteRevisionStore ({ sqlite }: Connection): RevisionStore {
  const insert = sqlite.prepare<[number, number, string, number]>(`INSERT INTO article_revisions (article_id, version, snapshot, created_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (article_id, version) DO NOTHING`)
  const prune = sqlite.prepare<[number, number, number]>(`DELETE FROM article_revisions WHERE article_id = ? AND version <= (
    SELECT version FROM article_revisions WHERE article_id = ? ORDER BY version DESC LIMIT 1 OFFSET ?)`)
  const page = sqlite.prepare<[{ article: number, before: number, limit: number }], StoredRevision>(`SELECT version, snapshot, created_at AS createdAt
    FROM article_revisions WHERE article_id = @article AND version < @before ORDER BY version DESC LIMIT @limit`)
  const one = sqlite.prepare<[number, number], StoredRevision>('SELECT version, snapshot, created_at AS createdAt FROM article_revisions WHERE article_id = ? AND version = ?')
  return {
    keep: async (articleId, version, snapshot, at, keep) => {
      insert.run(articleId, version, snapshot, at)
      prune.run(articleId, articleId, keep)
    },
    page: async (article, before, limit) => page.all({ article, before, limit }),
    one: async (articleId, version) => one.get(articleId, version)
  }
}
