import { LRUCache } from 'lru-cache'
import type { ChangeFeed } from '../domain/storage.ts'
import type { Clock } from '../domain/clock.ts'

export interface CachedResponse {
  generation: string
  // Encoded once: replaying bytes skips turning the text into UTF-8 on every hit.
  body: Buffer
  headers: Record<string, string>
}

// Finished public responses (what a reader without a key got), by URL. An entry
// is served only while the database is exactly as it was when the entry was made
// (no write by this process or another) and no scheduled article has come due since:
// so a change is visible on the next read, with no invalidation code on each write path.
export class PublicCache {
  private readonly entries: LRUCache<string, CachedResponse>
  private readonly changes: ChangeFeed
  private readonly clock: Clock
  private state = ''
  private generation = ''
  private validUntil = 0

  constructor (options: { changes: ChangeFeed, clock: Clock, maxBytes?: number }) {
    this.entries = new LRUCache({ max: 20_000, maxSize: options.maxBytes ?? 32 * 1024 * 1024, sizeCalculation: e => e.body.length + 200 })
    this.changes = options.changes
    this.clock = options.clock
  }

  // The state the database is in now, as a string; recomputes when a scheduled
  // article will next become visible whenever the data has changed or that time has come.
  async current (): Promise<string> {
    const now = this.clock()
    const state = await this.changes.state()
    if (state !== this.state || now >= this.validUntil) {
      const next = await this.changes.nextScheduled(now)
      this.validUntil = next ?? Number.POSITIVE_INFINITY
      this.state = state
      this.generation = `${state}@${now}`
    }
    return this.generation
  }

  async get (url: string): Promise<CachedResponse | undefined> {
    const entry = this.entries.get(url)
    if (entry === undefined) return undefined
    if (entry.generation !== await this.current()) {
      this.entries.delete(url)
      return undefined
    }
    return entry
  }

  async set (url: string, body: string, headers: Record<string, string>): Promise<void> {
    this.entries.set(url, { generation: await this.current(), body: Buffer.from(body), headers })
  }
}
