import type { ExportStore, ImportStore, ImportTarget } from '../../domain/transfer/transfer-store.ts'
import type { ArticleRow } from '../../domain/rows.ts'
import type { Connection } from './database.ts'
import { FULL_COLUMNS, rowOf } from './article-store.ts'

export function sqliteImportStore ({ sqlite }: Connection): ImportStore {
  const cols = 'id, version, external_id AS externalId'
  const byExternalId = sqlite.prepare<[string], ImportTarget>(`SELECT ${cols} FROM articles WHERE external_id = ?`)
  const bySlug = sqlite.prepare<[string], ImportTarget>(`SELECT ${cols} FROM articles WHERE slug = ?`)
  const byLineHash = sqlite.prepare<[string], ImportTarget>(`SELECT ${cols} FROM articles
    WHERE id = (SELECT article_id FROM import_state WHERE line_hash = ? LIMIT 1)`)
  // A row of import_state is deleted when its article's version moves (migration 0006);
  // catalog_epoch moves on any change of a category, tag or media item (migration 0005).
  const alreadyImported = sqlite.prepare<[string], number>(`SELECT article_id FROM import_state
    WHERE line_hash = ? AND epoch = (SELECT value FROM catalog_epoch WHERE id = 1) LIMIT 1`).pluck()
  const remember = sqlite.prepare<[{ id: number, hash: string }]>(`INSERT INTO import_state (article_id, line_hash, version, epoch)
    SELECT @id, @hash, a.version, (SELECT value FROM catalog_epoch WHERE id = 1) FROM articles a WHERE a.id = @id
    ON CONFLICT (article_id) DO UPDATE SET line_hash = excluded.line_hash, version = excluded.version, epoch = excluded.epoch`)
  return {
    byExternalId: async (externalId) => byExternalId.get(externalId),
    bySlug: async (slug) => bySlug.get(slug),
    byLineHash: async (hash) => byLineHash.get(hash),
    alreadyImported: async (hash) => alreadyImported.get(hash) !== undefined,
    remember: async (id, hash) => { remember.run({ id, hash }) }
  }
}

export function sqliteExportStore ({ sqlite }: Connection): ExportStore {
  const page = sqlite.prepare<[{ after: number, since: number | null, limit: number }], ArticleRow>(`SELECT ${FULL_COLUMNS} FROM articles a
    WHERE a.deleted_at IS NULL AND a.id > @after AND (@since IS NULL OR a.updated_at >= @since)
    ORDER BY a.id LIMIT @limit`)
  return {
    page: async (after, since, limit) => page.all({ after, since, limit }).map(rowOf)
  }
}
