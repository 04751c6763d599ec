import type Database from 'better-sqlite3'
import { canonicalMediaUrl } from '../../domain/media/providers.ts'

// Migration 0007 adds media.canonical_url with a UNIQUE index and no value: on a database
// that already has items, several may show the same thing (youtu.be/ID and
// youtube.com/watch?v=ID were two items before), so SQL could not fill the column without
// breaking the index, and SQL does not know the canonical forms anyway. This fills it at
// every open, before anything is served: each item still without one, oldest first, gets
// its canonical URL unless an item already has it. That item stays the one a new link
// to the same thing is refused for (409 naming it); the later duplicate keeps its NULL (and
// its url, and its attachments) and is looked at again at the next open, so it gets its
// canonical URL once the first is deleted. After the first open this reads only those
// duplicates. The rule (canonicalMediaUrl) is the domain's; this only applies it.
export function backfillCanonicalUrls (sqlite: Database.Database): { filled: number, duplicates: number } {
  const rows = sqlite.prepare<[], { id: number, url: string }>('SELECT id, url FROM media WHERE canonical_url IS NULL ORDER BY id').all()
  if (rows.length === 0) return { filled: 0, duplicates: 0 }
  const holder = sqlite.prepare<[string], number>('SELECT id FROM media WHERE canonical_url = ?').pluck()
  const set = sqlite.prepare<[string, number]>('UPDATE media SET canonical_url = ? WHERE id = ?')
  let filled = 0
  sqlite.transaction(() => {
    for (const row of rows) {
      // Every stored url was parsed as an absolute http(s) URL when it was written.
      const canonical = canonicalMediaUrl(new URL(row.url))
      if (holder.get(canonical) !== undefined) continue
      set.run(canonical, row.id)
      filled++
    }
  })()
  return { filled, duplicates: rows.length - filled }
}
