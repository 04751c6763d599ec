import { LRUCache } from 'lru-cache'
import type Database from 'better-sqlite3'
import type { Clock } from '../domain/clock.ts'

export interface CachedResponse {
  generation: string
  // Encoded once: replaying bytes skips turning the text into UTF-8 on every hit.
  body: Buffer
  headers: Record<string, string>
}

// Finished public responses (what a reader without a key got), by URL. An entry
// is served only while the database is exactly as it was when the entry was made
// (no write on this connection, no commit from another process) and no scheduled
// article has come due since: so a change is visible on the next read, with no
// invalidation code on each write path.
export class PublicCache {
  private readonly entries: LRUCache<string, CachedResponse>
  private readonly totalChanges: Database.Statement<[], number>
  private readonly dataVersion: Database.Statement<[], number>
  private readonly nextScheduled: Database.Statement<[{ now: number }], number | null>
  private state = ''
  private generation = ''
  private validUntil = 0

  constructor (sqlite: Database.Database, private readonly clock: Clock, maxBytes = 32 * 1024 * 1024) {
    this.entries = new LRUCache({ max: 20_000, maxSize: maxBytes, sizeCalculation: e => e.body.length + 200 })
    this.totalChanges = sqlite.prepare('SELECT total_changes()').pluck() as Database.Statement<[], number>
    this.dataVersion = sqlite.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>
    this.nextScheduled = sqlite.prepare(`SELECT min(published_at) FROM articles
      WHERE status = 'published' AND deleted_at IS NULL AND published_at > @now`).pluck() as Database.Statement<[{ now: number }], number | null>
  }

  // The state the database is in now, as a string; recomputes when a scheduled
  // article will next become visible whenever the data has changed or that time has come.
  current (): string {
    const now = this.clock()
    const state = `${this.dataVersion.get() as number}:${this.totalChanges.get() as number}`
    if (state !== this.state || now >= this.validUntil) {
      const next = this.nextScheduled.get({ now })
      this.validUntil = next ?? Number.POSITIVE_INFINITY
      this.state = state
      this.generation = `${state}@${now}`
    }
    return this.generation
  }

  get (url: string): CachedResponse | undefined {
    const entry = this.entries.get(url)
    if (entry === undefined) return undefined
    if (entry.generation !== this.current()) {
      this.entries.delete(url)
      return undefined
    }
    return entry
  }

  set (url: string, body: string, headers: Record<string, string>): void {
    this.entries.set(url, { generation: this.current(), body: Buffer.from(body), headers })
  }
}
