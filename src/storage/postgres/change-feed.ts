import pg from 'pg'
import type { ChangeFeed } from '../../domain/storage.ts'
import type { Sql } from './database.ts'

// How long to wait before listening again after the connection was lost.
const RECONNECT_MS = 1000

export interface PgChangeFeed extends ChangeFeed {
  // This process wrote something (committed): the public cache must not wait for the
  // notification to come back.
  bump: () => void
  // Starts listening; `sql` reads the next due time.
  listen: (sql: Sql) => Promise<void>
  close: () => Promise<void>
}

// How long replicas are given to replay a change before what they answer is cached.
export const REPLICA_SETTLE_MS = 1000

/**
 * Whether anything changed, in this process or any other on the same database: every
 * table has a statement trigger that sends NOTIFY khabar_changes with its schema as payload
 * (migrations/postgres/0001), delivered when the writing transaction commits, never for
 * one that rolls back. One connection per process LISTENs and counts them; the state is that
 * count, so reading it costs nothing. Notifications arrive within milliseconds of the commit,
 * so another process's cache is stale for no longer than that. While the connection is down
 * (a restart of the database) nothing can be known, and every call says "changed".
 */
export function changeFeed (url: string, schema: string, settleMs = 0): PgChangeFeed {
  let sql: Sql | undefined
  let count = 0
  let changedAt = 0
  const changed = (): void => {
    count++
    changedAt = Date.now()
  }
  let listening = false
  let closed = false
  let client: pg.Client | undefined
  let timer: NodeJS.Timeout | undefined

  async function connect (): Promise<void> {
    const c = new pg.Client({ connectionString: url })
    c.on('notification', (message) => { if (message.payload === schema) changed() })
    const lost = (): void => {
      if (client !== c) return
      listening = false
      client = undefined
      c.removeAllListeners('end')
      c.end().catch(() => {})
      if (!closed) timer = setTimeout(() => { connect().catch(lost) }, RECONNECT_MS)
    }
    c.on('error', lost)
    c.on('end', lost)
    client = c
    await c.connect()
    await c.query('LISTEN khabar_changes')
    // Whatever happened while nobody listened counts as a change.
    changed()
    listening = true
  }

  return {
    // With replicas (settleMs > 0), an anonymous read just after a change may be answered by
    // a replica that has not replayed it yet: for settleMs nothing read is kept as current.
    state: async () => !listening ? `down:${++count}` : Date.now() - changedAt < settleMs ? `settling:${++count}` : String(count),
    nextScheduled: async (now) => await (sql as Sql).value<number | null>(`SELECT min(published_at) FROM articles
      WHERE status = 'published' AND deleted_at IS NULL AND published_at > @now`, { now }) ?? null,
    bump: changed,
    listen: async (reader) => {
      sql = reader
      await connect()
    },
    close: async () => {
      closed = true
      clearTimeout(timer)
      const c = client
      client = undefined
      listening = false
      await c?.end()
    }
  }
}
