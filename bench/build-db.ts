// Builds (or reuses) a database of N synthetic published Arabic articles for the
// benchmark. The schema is the real one (openDatabase + runMigrations); the rows go in
// through raw prepared statements, 1,000 to a transaction. The rows themselves come from
// benchCategories, benchTags, benchArticle and dailyViewRows, which bench/build-pg.ts
// writes into PostgreSQL: both engines are measured on the same data.
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

export interface BenchCategory { id: number, slug: string, name: string, description: string | null, parentId: number | null, position: number, createdAt: number, updatedAt: number }
export interface BenchTag { id: number, slug: string, name: string, createdAt: number, updatedAt: number }
export interface BenchArticle {
  id: number
  slug: string
  title: string
  subtitle: string | null
  excerpt: string
  body: string
  publishedAt: number
  createdAt: number
  updatedAt: number
  categoryId: number
  author: string
  sourceName: string
  breaking: boolean
  hasVideo: boolean
  readingTimeMinutes: number
  views: number
  commentCount: number
  version: number
  tagIds: number[]
}

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

/** The categories of the data set, in id order: each of CATEGORY_TREE's, its subcategories after it. */
export function benchCategories (now: number): BenchCategory[] {
  const out: BenchCategory[] = []
  CATEGORY_TREE.forEach(([name, children], position) => {
    const parent = out.length + 1
    out.push({ id: parent, slug: slugify(name), name, description: `أخبار ${name}`, parentId: null, position, createdAt: now, updatedAt: now })
    children.forEach((child, childPosition) => {
      out.push({ id: out.length + 1, slug: slugify(child), name: child, description: null, parentId: parent, position: childPosition, createdAt: now, updatedAt: now })
    })
  })
  return out
}

/** The tags of the data set: TAG_NAMES with a distinct, non-empty slug, numbered from 1. */
export function benchTags (now: number): BenchTag[] {
  const seen = new Set<string>()
  const out: BenchTag[] = []
  for (const name of TAG_NAMES) {
    const slug = slugify(name)
    if (slug === '' || seen.has(slug)) continue
    seen.add(slug)
    out.push({ id: out.length + 1, slug, name, createdAt: now, updatedAt: now })
  }
  return out
}

// Article ids' slugs, as the builders write them: the reads bench asks for them without
// opening either database.
export const benchSlug = (id: number, title = generateArticle(SEED, id).title): string => `${slugify(title) || 'article'}-${id}`

/**
 * Article `id` of `n`, published: the same row on every engine for the same `now`. The
 * order of the draws from `r` is the data set's (DATA_VERSION): change it and bump that.
 */
export function benchArticle (id: number, n: number, now: number, categoryIds: number[], tagIds: number[]): BenchArticle {
  const g = generateArticle(SEED, id)
  const r = mulberry32(seedOf(SEED + 1, id))
  const latest = now - 60_000
  // Spread over the last two years, newer ids newer, a few hours of jitter; never in the future.
  const publishedAt = Math.min(latest, Math.round(now - SPAN_MS + (SPAN_MS * id) / n + (r() - 0.5) * 6 * 3_600_000))
  const createdAt = publishedAt - between(r, 5, 240) * 60_000
  const updatedAt = r() < 0.2 ? Math.min(latest, publishedAt + between(r, 1, 2880) * 60_000) : publishedAt
  const categoryId = categoryIds[int(r, categoryIds.length)]
  const views = Math.floor(20_000 * r() ** 4)
  const commentCount = int(r, 40)
  const version = 1 + int(r, 3)
  const chosen = new Set<number>()
  const k = between(r, 2, 4)
  while (chosen.size < k) chosen.add(tagIds[int(r, tagIds.length)])
  return {
    id,
    slug: benchSlug(id, g.title),
    title: g.title,
    subtitle: g.subtitle,
    excerpt: g.excerpt,
    body: g.body,
    publishedAt,
    createdAt,
    updatedAt,
    categoryId,
    author: g.author,
    sourceName: g.sourceName,
    breaking: g.breaking,
    hasVideo: g.hasVideo,
    readingTimeMinutes: readingTimeMinutes(g.text),
    views,
    commentCount,
    version,
    tagIds: [...chosen]
  }
}

/**
 * The daily view rows, [article id, day, views], for the last VIEW_DAYS days up to `today`
 * (days since the epoch), for about 20k articles: mostly among the newest 40 %, some older,
 * so the rankings have data.
 */
export function dailyViewRows (n: number, today: number): Array<[number, number, number]> {
  const r = mulberry32(seedOf(SEED + 2, n))
  const count = viewedArticles(n)
  const recent = Math.max(1, Math.floor(n * 0.4))
  const ids = new Set<number>()
  while (ids.size < count) {
    ids.add(r() < 0.9 ? n - int(r, recent) : 1 + int(r, n))
  }
  const rows: Array<[number, number, number]> = []
  for (const id of [...ids].sort((a, b) => a - b)) {
    const base = 1 + Math.floor(3000 * r() ** 3)
    for (let day = today - VIEW_DAYS + 1; day <= today; day++) {
      const views = Math.floor(base * (0.3 + r()))
      if (views > 0) rows.push([id, day, views])
    }
  }
  return rows
}

export const dayOf = (now: number): number => Math.floor(now / DAY_MS)

function insertCategories (sqlite: Database.Database, now: number): number[] {
  const insert = sqlite.prepare(`INSERT INTO categories (id, slug, name, description, parent_id, position, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const categories = benchCategories(now)
  sqlite.transaction(() => {
    for (const c of categories) insert.run(c.id, c.slug, c.name, c.description, c.parentId, c.position, c.createdAt, c.updatedAt)
  })()
  return categories.map(c => c.id)
}

function insertTags (sqlite: Database.Database, now: number): number[] {
  const insert = sqlite.prepare('INSERT INTO tags (id, slug, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  const tags = benchTags(now)
  sqlite.transaction(() => {
    for (const t of tags) insert.run(t.id, t.slug, t.name, t.createdAt, t.updatedAt)
  })()
  return tags.map(t => t.id)
}

function insertArticles (sqlite: Database.Database, n: number, now: number, categoryIds: number[], tagIds: number[], log: (line: string) => void): void {
  const insert = prepareArticleInsert(sqlite)
  const insertTag = sqlite.prepare('INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)')
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id++) {
      const a = benchArticle(id, n, now, categoryIds, tagIds)
      insert.run(a.id, a.slug, a.title, a.subtitle, a.excerpt, a.body, a.publishedAt, a.createdAt, a.updatedAt,
        a.categoryId, a.author, a.sourceName, a.breaking ? 1 : 0, a.hasVideo ? 1 : 0,
        a.readingTimeMinutes, a.views, a.commentCount, a.version)
      a.tagIds.forEach((tag, position) => insertTag.run(id, tag, position))
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
 * Daily view rows for the last VIEW_DAYS days, today included (dailyViewRows). Does nothing
 * when the newest rows are already today's; otherwise replaces them all. Returns the rows written.
 */
export function refreshDailyViews (sqlite: Database.Database, n: number, now: number): number {
  const today = dayOf(now)
  const newest = sqlite.prepare('SELECT max(day) FROM article_views_daily').pluck().get() as number | null
  if (newest === today) return 0
  const rows = dailyViewRows(n, today)
  const insert = sqlite.prepare('INSERT INTO article_views_daily (article_id, day, views) VALUES (?, ?, ?)')
  const batch = sqlite.transaction((slice: Array<[number, number, number]>) => {
    for (const row of slice) insert.run(...row)
  })
  sqlite.transaction(() => { sqlite.prepare('DELETE FROM article_views_daily').run() })()
  for (let i = 0; i < rows.length; i += BATCH) batch(rows.slice(i, i + BATCH))
  return rows.length
}
