import type { ExportStore, ImportStore, ImportTarget } from '../../domain/transfer/transfer-store.ts'
import type { ArticleRow } from '../../domain/rows.ts'
import type { Sql } from './database.ts'
import { FULL_COLUMNS } from './article-store.ts'

export function pgImportStore (sql: Sql): ImportStore {
  const cols = 'id, version, external_id AS "externalId"'
  return {
    byExternalId: async (externalId) => await sql.one<ImportTarget>(`SELECT ${cols} FROM articles WHERE external_id = @externalId`, { externalId }),
    bySlug: async (slug) => await sql.one<ImportTarget>(`SELECT ${cols} FROM articles WHERE slug = @slug`, { slug }),
    byLineHash: async (hash) => await sql.one<ImportTarget>(`SELECT ${cols} FROM articles
      WHERE id = (SELECT article_id FROM import_state WHERE line_hash = @hash LIMIT 1)`, { hash }),
    // import_state rows go when their article's version moves, catalog_epoch moves with any
    // change of a category, tag or media item (triggers, migrations/postgres/0001).
    alreadyImported: async (hash) => await sql.value(`SELECT article_id FROM import_state
      WHERE line_hash = @hash AND epoch = (SELECT value FROM catalog_epoch WHERE id = 1) LIMIT 1`, { hash }) !== undefined,
    remember: async (id, hash) => {
      await sql.run(`INSERT INTO import_state (article_id, line_hash, version, epoch)
        SELECT @id, @hash, a.version, (SELECT value FROM catalog_epoch WHERE id = 1) FROM articles a WHERE a.id = @id
        ON CONFLICT (article_id) DO UPDATE SET line_hash = excluded.line_hash, version = excluded.version, epoch = excluded.epoch`, { id, hash })
    }
  }
}

export function pgExportStore (sql: Sql): ExportStore {
  return {
    page: async (after, since, limit) => await sql.rows<ArticleRow>(`SELECT ${FULL_COLUMNS} FROM articles a
      WHERE a.deleted_at IS NULL AND a.id > @after AND (@since::bigint IS NULL OR a.updated_at >= @since)
      ORDER BY a.id LIMIT @limit`, { after, since, limit })
  }
}
