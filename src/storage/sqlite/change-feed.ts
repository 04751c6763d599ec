import type { ChangeFeed } from '../../domain/storage.ts'
import type { Connection } from './database.ts'

// SQLite says for free whether anything changed: total_changes() counts this
// connection's writes, PRAGMA data_version moves when another connection (another
// process: the CLI) commits.
export function sqliteChangeFeed ({ sqlite }: Connection): ChangeFeed {
  const totalChanges = sqlite.prepare<[], number>('SELECT total_changes()').pluck()
  const dataVersion = sqlite.prepare<[], number>('PRAGMA data_version').pluck()
  const nextScheduled = sqlite.prepare<[{ now: number }], number | null>(`SELECT min(published_at) FROM articles
    WHERE status = 'published' AND deleted_at IS NULL AND published_at > @now`).pluck()
  return {
    state: async () => `${dataVersion.get() as number}:${totalChanges.get() as number}`,
    nextScheduled: async (now) => nextScheduled.get({ now }) ?? null
  }
}
