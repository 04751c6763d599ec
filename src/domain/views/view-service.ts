import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type Database from 'better-sqlite3'
import { notFound } from '../errors.ts'
import { isPubliclyReadable } from '../articles/visibility.ts'
import { parseIdOrSlug } from '../slugs/choose-slug.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries, Viewer } from '../articles/article-queries.ts'

export const DAY_MS = 86_400_000
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS)
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

export interface ViewOptions {
  // How often buffered counts are written (API.md: within one second).
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

interface Visibility { id: number, status: string, publishedAt: number | null, deletedAt: number | null }

export interface ViewStats {
  total: number
  last24h: number
  last7d: number
  last30d: number
  daily: Array<{ date: string, views: number }>
}

// Counts views in memory, acknowledges at once, and writes the counts in batches.
export class ViewService {
  private buffer = new Map<number, number>()
  private inflight: Array<[number, number]> = []
  private readonly seen: LRUCache<string, number>
  private timer: NodeJS.Timeout | undefined
  private readonly addTotal: Database.Statement<[number, number]>
  private readonly addDaily: Database.Statement<[number, number, number]>
  private readonly dailyOf: Database.Statement<[number, number], { day: number, views: number }>
  private readonly writeBatch: (rows: Array<[number, number]>, day: number) => void
  private readonly visibilityById: Database.Statement<[number], Visibility>
  private readonly visibilityBySlug: Database.Statement<[string], Visibility>
  flushes = 0

  constructor (
    sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly queries: ArticleQueries,
    private readonly options: ViewOptions = DEFAULT_VIEW_OPTIONS
  ) {
    // Bounded: a flood of made-up clients evicts old entries instead of growing memory.
    // Each entry is a 22-character key and a number, about 150 bytes with the LRU's bookkeeping.
    this.seen = new LRUCache({ max: options.dedupeEntries })
    const visibility = 'SELECT id, status, published_at AS publishedAt, deleted_at AS deletedAt FROM articles'
    this.visibilityById = sqlite.prepare(`${visibility} WHERE id = ?`)
    this.visibilityBySlug = sqlite.prepare(`${visibility} WHERE slug = ?`)
    this.addTotal = sqlite.prepare('UPDATE articles SET views = views + ? WHERE id = ?')
    this.addDaily = sqlite.prepare(`INSERT INTO article_views_daily (article_id, day, views) VALUES (?, ?, ?)
      ON CONFLICT (article_id, day) DO UPDATE SET views = views + excluded.views`)
    this.dailyOf = sqlite.prepare('SELECT day, views FROM article_views_daily WHERE article_id = ? AND day >= ? ORDER BY day')
    this.writeBatch = sqlite.transaction((rows: Array<[number, number]>, day: number) => {
      for (const [id, n] of rows) {
        // The article may have been deleted for good since the view was counted.
        if (this.addTotal.run(n, id).changes === 1) this.addDaily.run(id, day, n)
      }
    })
  }

  // Counts a view of a visible article by a client (address + user agent). Returns
  // whether it counted (false: the same client saw it less than 30 minutes ago).
  record (idOrSlug: string, address: string, userAgent: string): boolean {
    const key0 = parseIdOrSlug(idOrSlug)
    // Only what visibility needs: the full row (a 3 KB body) would double the cost of a view.
    const row = 'id' in key0 ? this.visibilityById.get(key0.id) : this.visibilityBySlug.get(key0.slug)
    const now = this.clock()
    if (row === undefined || row.status !== 'published' || !isPubliclyReadable(row, now)) throw notFound(`Article ${idOrSlug}`)
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
  flush (): void {
    const rows = [...this.inflight, ...this.buffer]
    this.inflight = []
    this.buffer = new Map()
    if (rows.length === 0) return
    this.writeBatch(rows, dayOf(this.clock()))
    this.flushes++
  }

  close (): void {
    clearInterval(this.timer)
    this.flush()
  }

  stats (idOrSlug: string, viewer: Viewer): ViewStats {
    const article = this.queries.get(idOrSlug, viewer)
    const now = this.clock()
    const today = dayOf(now)
    const byDay = new Map(this.dailyOf.all(article.id, today - 29).map(r => [r.day, r.views]))
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

  // The timer's flush: everything buffered so far, one slice per event-loop turn.
  flushSoon (): void {
    if (this.buffer.size === 0) return
    this.inflight.push(...this.buffer)
    this.buffer = new Map()
    const day = dayOf(this.clock())
    const step = (): void => {
      // close() may have written the rest already.
      if (this.inflight.length === 0) return
      this.writeBatch(this.inflight.splice(0, this.options.sliceRows), day)
      if (this.inflight.length > 0) setImmediate(step)
      else this.flushes++
    }
    step()
  }
}

// Days are UTC buckets, so the last 24 hours are today's views plus the share of
// yesterday's that falls inside the window, assuming yesterday's views were spread
// evenly over the day.
export function last24h (today: number, yesterday: number, now: number): number {
  const elapsed = (now % DAY_MS) / DAY_MS
  return today + Math.round(yesterday * (1 - elapsed))
}
