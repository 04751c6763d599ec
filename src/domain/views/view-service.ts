import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { ViewStats } from '../shapes/views.ts'
import type { Storage } from '../storage.ts'
import { NotFound } from '../errors.ts'
import { isPubliclyReadable } from '../articles/visibility.ts'
import { parseIdOrSlug } from '../slugs/choose-slug.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries, Viewer } from '../articles/article-queries.ts'

export const DAY_MS = 86_400_000
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS)
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

export interface ViewOptions {
  // How often buffered counts are written: a view reaches the counts within a second.
  flushIntervalMs: number
  // How many (article, client) pairs are remembered for dedupe; the oldest are forgotten first.
  dedupeEntries: number
  // A client counts once per article per this long.
  dedupeWindowMs: number
  // Rows written per transaction: a flush touching thousands of scattered articles is
  // written in slices, one per event-loop turn, so reads are never blocked for long.
  sliceRows: number
}

export const DEFAULT_VIEW_OPTIONS: ViewOptions = {
  flushIntervalMs: 1000,
  dedupeEntries: 200_000,
  dedupeWindowMs: 30 * 60_000,
  sliceRows: 500
}

// Counts views in memory, acknowledges at once, and writes the counts in batches.
export class ViewService {
  private buffer = new Map<number, number>()
  private inflight: Array<[number, number]> = []
  private readonly seen: LRUCache<string, number>
  private timer: NodeJS.Timeout | undefined
  private readonly options: ViewOptions
  // Flushes written in full, for tests and the bench.
  flushes = 0
  // The slices of the timer's flush still being written.
  private writing: Promise<void> = Promise.resolve()
  private slicing = false

  constructor (private readonly deps: { storage: Storage, clock: Clock, queries: ArticleQueries, views?: Partial<ViewOptions> }) {
    this.options = { ...DEFAULT_VIEW_OPTIONS, ...deps.views }
    // Bounded: a flood of made-up clients evicts old entries instead of growing memory.
    // Each entry is a 22-character key and a number, about 150 bytes with the LRU's bookkeeping.
    this.seen = new LRUCache({ max: this.options.dedupeEntries })
  }

  // Counts a view of a visible article by a client (address + user agent). Returns
  // whether it counted (false: the same client saw it less than 30 minutes ago).
  async record (idOrSlug: string, address: string, userAgent: string): Promise<boolean> {
    const row = await this.deps.storage.articles.visibility(parseIdOrSlug(idOrSlug))
    const now = this.deps.clock()
    if (row === undefined || row.status !== 'published' || !isPubliclyReadable(row, now)) throw new NotFound(`Article ${idOrSlug}`)
    const client = createHash('sha256').update(address).update('\n').update(userAgent).digest('base64url').slice(0, 16)
    const key = `${row.id}:${client}`
    const until = this.seen.get(key)
    if (until !== undefined && until > now) return false
    this.seen.set(key, now + this.options.dedupeWindowMs)
    this.buffer.set(row.id, (this.buffer.get(row.id) ?? 0) + 1)
    return true
  }

  get pending (): number {
    let n = 0
    for (const v of this.buffer.values()) n += v
    for (const [, v] of this.inflight) n += v
    return n
  }

  get rememberedClients (): number {
    return this.seen.size
  }

  start (): void {
    this.timer = setInterval(() => { this.flushSoon() }, this.options.flushIntervalMs)
    this.timer.unref()
  }

  // Everything buffered, written now (at shutdown, and in tests).
  async flush (): Promise<void> {
    const rows = [...this.inflight, ...this.buffer]
    this.inflight = []
    this.buffer = new Map()
    if (rows.length === 0) return
    await this.deps.storage.views.add(rows, dayOf(this.deps.clock()))
    this.flushes++
  }

  async close (): Promise<void> {
    clearInterval(this.timer)
    await this.writing
    await this.flush()
  }

  async stats (idOrSlug: string, viewer: Viewer): Promise<ViewStats> {
    const article = await this.deps.queries.get(idOrSlug, viewer)
    const now = this.deps.clock()
    const today = dayOf(now)
    const byDay = new Map((await this.deps.storage.views.daily(article.id, today - 29)).map(r => [r.day, r.views]))
    const daily: ViewStats['daily'] = []
    let last7d = 0
    let last30d = 0
    for (let day = today - 29; day <= today; day++) {
      const views = byDay.get(day) ?? 0
      daily.push({ date: dateOfDay(day), views })
      last30d += views
      if (day > today - 7) last7d += views
    }
    return {
      total: article.views,
      last24h: last24h(byDay.get(today) ?? 0, byDay.get(today - 1) ?? 0, now),
      last7d,
      last30d,
      daily
    }
  }

  // The timer's flush: everything buffered so far, one slice per event-loop turn. The
  // first slice is written at once; views buffered meanwhile join the slices in flight.
  flushSoon (): void {
    if (this.buffer.size === 0) return
    this.inflight.push(...this.buffer)
    this.buffer = new Map()
    if (this.slicing) return
    this.slicing = true
    this.writing = this.writeSlices(dayOf(this.deps.clock())).finally(() => { this.slicing = false })
  }

  private async writeSlices (day: number): Promise<void> {
    // close() may have written the rest already.
    while (this.inflight.length > 0) {
      await this.deps.storage.views.add(this.inflight.splice(0, this.options.sliceRows), day)
      if (this.inflight.length > 0) await new Promise(resolve => setImmediate(resolve))
      else this.flushes++
    }
  }
}

// Days are UTC buckets, so the last 24 hours are today's views plus the share of
// yesterday's that falls inside the window, assuming yesterday's views were spread
// evenly over the day.
export function last24h (today: number, yesterday: number, now: number): number {
  const elapsed = (now % DAY_MS) / DAY_MS
  return today + Math.round(yesterday * (1 - elapsed))
}
