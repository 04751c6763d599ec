import { LRUCache } from 'lru-cache'
import type { ChangeFeed } from '../domain/storage.ts'
import type { Clock } from '../domain/clock.ts'

export interface CachedResponse {
  generation: string
  // Encoded once: replaying bytes skips turning the text into UTF-8 on every hit.
  body: Buffer
  headers: Record<string, string>
  // The body in other encodings (compressed ones), each made once, when first asked for.
  encoded: Map<string, Buffer>
}

const sizeOf = (entry: CachedResponse): number => {
  let size = entry.body.length + 200
  for (const bytes of entry.encoded.values()) size += bytes.length
  return size
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
    this.entries = new LRUCache({ max: 20_000, maxSize: options.maxBytes ?? 32 * 1024 * 1024, sizeCalculation: sizeOf })
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

  async set (url: string, body: string, headers: Record<string, string>): Promise<CachedResponse> {
    const entry = { generation: await this.current(), body: Buffer.from(body), headers, encoded: new Map() }
    this.entries.set(url, entry)
    return entry
  }

  // The entry's body in the named encoding, made by `encode` the first time and kept
  // with the entry (and counted in its size) from then on.
  encoded (url: string, entry: CachedResponse, name: string, encode: (body: Buffer) => Buffer): Buffer {
    let bytes = entry.encoded.get(name)
    if (bytes === undefined) {
      bytes = encode(entry.body)
      entry.encoded.set(name, bytes)
      // lru-cache sizes an entry when it is set, and not again for the same value.
      if (this.entries.peek(url) === entry) {
        this.entries.delete(url)
        this.entries.set(url, entry)
      }
    }
    return bytes
  }
}
