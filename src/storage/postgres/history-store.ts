import type { SlugStore } from '../../domain/slugs/slug-store.ts'
import type { RevisionStore, StoredRevision } from '../../domain/articles/revision-store.ts'
import type { Sql } from './database.ts'

export function pgSlugStore (sql: Sql): SlugStore {
  return {
    record: async (kind, slug, targetId, at) => {
      await sql.run(`INSERT INTO slug_history (kind, slug, target_id, created_at) VALUES (@kind, @slug, @targetId, @at)
        ON CONFLICT (kind, slug) DO UPDATE SET target_id = excluded.target_id, created_at = excluded.created_at`, { kind, slug, targetId, at })
    },
    forget: async (kind, slug, targetId) => { await sql.run('DELETE FROM slug_history WHERE kind = @kind AND slug = @slug AND target_id = @targetId', { kind, slug, targetId }) },
    target: async (kind, slug) => await sql.value<number>('SELECT target_id FROM slug_history WHERE kind = @kind AND slug = @slug', { kind, slug }),
    list: async (kind, targetId) => await sql.rows<{ slug: string, createdAt: number }>(`SELECT slug, created_at AS "createdAt" FROM slug_history
      WHERE kind = @kind AND target_id = @targetId ORDER BY created_at DESC, slug COLLATE "C"`, { kind, targetId }),
    forgetAll: async (kind, targetId) => { await sql.run('DELETE FROM slug_history WHERE kind = @kind AND target_id = @targetId', { kind, targetId }) }
  }
}

export function pgRevisionStore (sql: Sql): RevisionStore {
  const cols = 'version, snapshot, created_at AS "createdAt"'
  return {
    keep: async (articleId, version, snapshot, at, keep) => {
      await sql.run(`INSERT INTO article_revisions (article_id, version, snapshot, created_at) VALUES (@articleId, @version, @snapshot, @at)
        ON CONFLICT (article_id, version) DO NOTHING`, { articleId, version, snapshot, at })
      await sql.run(`DELETE FROM article_revisions WHERE article_id = @articleId AND version <= (
        SELECT version FROM article_revisions WHERE article_id = @articleId ORDER BY version DESC LIMIT 1 OFFSET @keep)`, { articleId, keep })
    },
    page: async (articleId, before, limit) => await sql.rows<StoredRevision>(`SELECT ${cols} FROM article_revisions
      WHERE article_id = @articleId AND version < @before ORDER BY version DESC LIMIT @limit`, { articleId, before, limit }),
    one: async (articleId, version) => await sql.one<StoredRevision>(`SELECT ${cols} FROM article_revisions WHERE article_id = @articleId AND version = @version`, { articleId, version })
  }
}
