import type { SlugKind } from '../../domain/enums.ts'
import type { SlugStore } from '../../domain/slugs/slug-store.ts'
import type { Connection } from './database.ts'

export function sqliteSlugStore ({ sqlite }: Connection): SlugStore {
  const record = sqlite.prepare<[SlugKind, string, number, number]>(`INSERT INTO slug_history (kind, slug, target_id, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (kind, slug) DO UPDATE SET target_id = excluded.target_id, created_at = excluded.created_at`)
  const forget = sqlite.prepare<[SlugKind, string, number]>('DELETE FROM slug_history WHERE kind = ? AND slug = ? AND target_id = ?')
  const target = sqlite.prepare<[SlugKind, string], number>('SELECT target_id FROM slug_history WHERE kind = ? AND slug = ?').pluck()
  const list = sqlite.prepare<[SlugKind, number], { slug: string, createdAt: number }>(
    'SELECT slug, created_at AS createdAt FROM slug_history WHERE kind = ? AND target_id = ? ORDER BY created_at DESC, slug')
  const forgetAll = sqlite.prepare<[SlugKind, number]>('DELETE FROM slug_history WHERE kind = ? AND target_id = ?')
  return {
    record: async (kind, slug, targetId, at) => { record.run(kind, slug, targetId, at) },
    forget: async (kind, slug, targetId) => { forget.run(kind, slug, targetId) },
    target: async (kind, slug) => target.get(kind, slug),
    list: async (kind, targetId) => list.all(kind, targetId),
    forgetAll: async (kind, targetId) => { forgetAll.run(kind, targetId) }
  }
}
