// Builds (or reuses) a database of N synthetic published Arabic articles for the
// benchmark. The schema is the real one (openDatabase + runMigrations); the rows go in
// through raw prepared statements, 1,000 to a transaction.
import { existsSync, renameSync, rmSync } from 'node:fs'
import type Database from 'better-sqlite3'
import { openDatabase, runMigrations } from '../src/storage/sqlite/database.ts'
import { readingTimeMinutes, slugify } from '../src/text/index.ts'
import { prepareArticleInsert } from './article-insert.ts'
import { CATEGORY_TREE, TAG_NAMES, between, generateArticle, int, mulberry32, seedOf } from './generate.ts'

export const SEED = 20261126
// Bump when the generator or the shape of the data changes: older cached files are rebuilt.
export const DATA_VERSION = 1
const BATCH = 1000
const DAY_MS = 86_400_000
const SPAN_MS = 2 * 365 * DAY_MS
// Days of article_views_daily rows, today included.
const VIEW_DAYS = 4
// How many articles have daily view rows: about 20k of 100k.
export const viewedArticles = (n: number): number => Math.min(20_000, Math.ceil(n / 5))

export interface BuildResult {
  path: string
  articles: number
  reused: boolean
  seconds: number
}

export function removeDb (path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true })
}

/**
 * A database of `n` articles at `path`. A file already there is reused when it was made by
 * this generator (user_version) with n articles; it is brought up to the current
 * migrations and its daily view rows are moved to end today.
 */
export function buildBenchDb (path: string, n: number, log: (line: string) => void = console.log): BuildResult {
  const started = performance.now()
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10
  if (existsSync(path)) {
    if (reusable(path, n, log)) return { path, articles: n, reused: true, seconds: seconds() }
    log(`bench: ${path} is stale, rebuilding`)
    removeDb(path)
  }

  const tmp = `${path}.tmp`
  removeDb(tmp)
  const { sqlite, db } = openDatabase(tmp)
  try {
    runMigrations(db)
    // A throwaway file: no need to survive a power cut while it is built.
    sqlite.pragma('synchronous = OFF')
    const now = Date.now()
    const categoryIds = insertCategories(sqlite, now)
    const tagIds = insertTags(sqlite, now)
    insertArticles(sqlite, n, now, categoryIds, tagIds, log)
    const views = refreshDailyViews(sqlite, n, now)
    log(`bench: ${views} daily view rows for ${viewedArticles(n)} articles`)
    sqlite.pragma(`user_version = ${DATA_VERSION}`)
  } finally {
    sqlite.close()
  }
  renameSync(tmp, path)
  log(`bench: built ${path} (${n} articles) in ${seconds()} s`)
  return { path, articles: n, reused: false, seconds: seconds() }
}

function reusable (path: string, n: number, log: (line: string) => void): boolean {
  let database: ReturnType<typeof openDatabase> | undefined
  try {
    database = openDatabase(path)
    const { sqlite, db } = database
    if (sqlite.pragma('user_version', { simple: true }) !== DATA_VERSION) return false
    runMigrations(db)
    const count = sqlite.prepare('SELECT count(*) FROM articles').pluck().get() as number
    if (count !== n) return false
    const rows = refreshDailyViews(sqlite, n, Date.now())
    log(`bench: reusing ${path} (${n} articles${rows > 0 ? `, ${rows} daily view rows moved to today` : ''})`)
    return true
  } catch (err) {
    log(`bench: cannot reuse ${path}: ${(err as Error).message}`)
    return false
  } finally {
    database?.sqlite.close()
  }
}

function insertCategories (sqlite: Database.Database, now: number): number[] {
  const insert = sqlite.prepare(`INSERT INTO categories (id, slug, name, description, parent_id, position, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const ids: number[] = []
  let id = 0
  sqlite.transaction(() => {
    CATEGORY_TREE.forEach(([name, children], position) => {
      const parent = ++id
      insert.run(parent, slugify(name), name, `أخبار ${name}`, null, position, now, now)
      ids.push(parent)
      children.forEach((child, childPosition) => {
        insert.run(++id, slugify(child), child, null, parent, childPosition, now, now)
        ids.push(id)
      })
    })
  })()
  return ids
}

function insertTags (sqlite: Database.Database, now: number): number[] {
  const insert = sqlite.prepare('INSERT INTO tags (id, slug, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  const seen = new Set<string>()
  const ids: number[] = []
  sqlite.transaction(() => {
    for (const name of TAG_NAMES) {
      const slug = slugify(name)
      if (slug === '' || seen.has(slug)) continue
      seen.add(slug)
      ids.push(ids.length + 1)
      insert.run(ids.length, slug, name, now, now)
    }
  })()
  return ids
}

function insertArticles (sqlite: Database.Database, n: number, now: number, categoryIds: number[], tagIds: number[], log: (line: string) => void): void {
  const insert = prepareArticleInsert(sqlite)
  const insertTag = sqlite.prepare('INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)')
  const latest = now - 60_000
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id++) {
      const g = generateArticle(SEED, id)
      const r = mulberry32(seedOf(SEED + 1, id))
      // Spread over the last two years, newer ids newer, a few hours of jitter; never in the future.
      const publishedAt = Math.min(latest, Math.round(now - SPAN_MS + (SPAN_MS * id) / n + (r() - 0.5) * 6 * 3_600_000))
      const createdAt = publishedAt - between(r, 5, 240) * 60_000
      const updatedAt = r() < 0.2 ? Math.min(latest, publishedAt + between(r, 1, 2880) * 60_000) : publishedAt
      const slug = `${slugify(g.title) || 'article'}-${id}`
      insert.run(id, slug, g.title, g.subtitle, g.excerpt, g.body, publishedAt, createdAt, updatedAt,
        categoryIds[int(r, categoryIds.length)], g.author, g.sourceName, g.breaking ? 1 : 0, g.hasVideo ? 1 : 0,
        readingTimeMinutes(g.text), Math.floor(20_000 * r() ** 4), int(r, 40), 1 + int(r, 3))
      const chosen = new Set<number>()
      const k = between(r, 2, 4)
      while (chosen.size < k) chosen.add(tagIds[int(r, tagIds.length)])
      let position = 0
      for (const tag of chosen) insertTag.run(id, tag, position++)
    }
  })
  const started = performance.now()
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1)
    batch(from, to)
    if (to % 10_000 === 0 || to === n) {
      const rate = Math.round(to / ((performance.now() - started) / 1000))
      log(`bench: ${to}/${n} articles (${rate} rows/s)`)
    }
  }
}

/**
 * Daily view rows for the last VIEW_DAYS days, today included, for about 20k articles
 * (mostly among the newest 40 %, some older), so the rankings have data. Does nothing when
 * the newest rows are already today's; otherwise replaces them all. Returns the rows written.
 */
export function refreshDailyViews (sqlite: Database.Database, n: number, now: number): number {
  const today = Math.floor(now / DAY_MS)
  const newest = sqlite.prepare('SELECT max(day) FROM article_views_daily').pluck().get() as number | null
  if (newest === today) return 0
  const r = mulberry32(seedOf(SEED + 2, n))
  const count = viewedArticles(n)
  const recent = Math.max(1, Math.floor(n * 0.4))
  const ids = new Set<number>()
  while (ids.size < count) {
    ids.add(r() < 0.9 ? n - int(r, recent) : 1 + int(r, n))
  }
  const insert = sqlite.prepare('INSERT INTO article_views_daily (article_id, day, views) VALUES (?, ?, ?)')
  const list = [...ids].sort((a, b) => a - b)
  let rows = 0
  const batch = sqlite.transaction((slice: number[]) => {
    for (const id of slice) {
      const base = 1 + Math.floor(3000 * r() ** 3)
      for (let day = today - VIEW_DAYS + 1; day <= today; day++) {
        const views = Math.floor(base * (0.3 + r()))
        if (views > 0) {
          insert.run(id, day, views)
          rows++
        }
      }
    }
  })
  sqlite.transaction(() => { sqlite.prepare('DELETE FROM article_views_daily').run() })()
  const perBatch = Math.ceil(BATCH / VIEW_DAYS)
  for (let i = 0; i < list.length; i += perBatch) batch(list.slice(i, i + perBatch))
  return rows
}
