// Builds (or reuses) the read bench's N articles on PostgreSQL: the rows build-db.ts writes
// into SQLite (the same generator functions), in a database of their own,
// khabar_bench_<N>, on the server BENCH_DATABASE_URL names. The tables are the real
// server's: it is started once on the empty database, its migrations make them, and it is
// stopped; then the rows go in with node-postgres, 1,000 to a multi-row INSERT … SELECT FROM
// unnest(…). The search index is left to the server's next start (bench/run.ts primes it),
// which indexes every article its index lacks, as on SQLite.
//
// The database is the cache (reused while it has N articles of this DATA_VERSION, which a
// comment on it records once every row is in); a run gets a copy (CREATE DATABASE … TEMPLATE,
// PostgreSQL's copy of a database file by file), so the views it posts never reach the
// cache and every run starts from the same rows, as with SQLite's copied file.
import type pg from 'pg'
import {
  type BenchArticle, type BuildResult, DATA_VERSION, benchArticle, benchCategories, benchTags, dailyViewRows, dayOf, viewedArticles
} from './build-db.ts'
import { BENCH_DATABASE, adminUrl, databaseExists, databaseUrl, dropDatabase, ident, serverVersion, withClient } from './pg.ts'

const BATCH = 1000

export interface PgBuildResult extends BuildResult {
  database: string
  url: string
}

export const cacheDatabase = (n: number): string => `${BENCH_DATABASE}_${n}`
const marker = (n: number): string => `khabar bench data version ${DATA_VERSION}: ${n} articles`

/**
 * The N-article database, built or reused. `migrate` starts the real server on the URL it
 * is given and stops it once it answers (its migrations then have made the tables).
 */
export async function buildPgBench (n: number, migrate: (url: string) => Promise<void>, log: (line: string) => void = console.log): Promise<PgBuildResult> {
  const started = performance.now()
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10
  const database = cacheDatabase(n)
  const url = databaseUrl(database)
  const state = await withClient(adminUrl(), async admin => {
    if (!await databaseExists(admin, database)) return 'missing'
    const { rows } = await admin.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [database])
    return rows[0]?.comment === marker(n) ? 'complete' : 'stale'
  })
  if (state === 'complete') {
    const reused = await withClient(url, async c => {
      const count = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM articles')).rows[0].n)
      if (count !== n) return false
      const rows = await refreshDailyViewsPg(c, n, Date.now())
      log(`bench: reusing the PostgreSQL database ${database} (${n} articles${rows > 0 ? `, ${rows} daily view rows moved to today` : ''})`)
      return true
    })
    if (reused) return { path: database, database, url, articles: n, reused: true, seconds: seconds() }
  }
  if (state !== 'missing') log(`bench: the PostgreSQL database ${database} is stale, rebuilding`)
  await withClient(adminUrl(), async admin => {
    await dropDatabase(admin, database)
    await admin.query(`CREATE DATABASE ${ident(database)}`)
  })
  await migrate(url)
  await withClient(url, async c => {
    // A cache, rebuilt when lost: no need to wait for each commit to reach the disk.
    await c.query('SET synchronous_commit = off')
    const now = Date.now()
    const categories = benchCategories(now)
    const tags = benchTags(now)
    await c.query('BEGIN')
    await insertColumns(c, 'categories', [['id', 'int'], ['slug', 'text'], ['name', 'text'], ['description', 'text'], ['parent_id', 'int'], ['position', 'int'], ['created_at', 'bigint'], ['updated_at', 'bigint']],
      categories.map(x => [x.id, x.slug, x.name, x.description, x.parentId, x.position, x.createdAt, x.updatedAt]))
    await insertColumns(c, 'tags', [['id', 'int'], ['slug', 'text'], ['name', 'text'], ['created_at', 'bigint'], ['updated_at', 'bigint']],
      tags.map(x => [x.id, x.slug, x.name, x.createdAt, x.updatedAt]))
    await c.query('COMMIT')
    await insertArticles(c, n, now, categories.map(x => x.id), tags.map(x => x.id), log)
    // The ids were given, not drawn: the identity sequences must move past them, or the
    // server's next insert (an import into this data set) would collide.
    for (const table of ['categories', 'tags', 'articles']) {
      await c.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`)
    }
    const views = await refreshDailyViewsPg(c, n, now)
    log(`bench: ${views} daily view rows for ${viewedArticles(n)} articles`)
    await c.query(`COMMENT ON DATABASE ${ident(database)} IS '${marker(n)}'`)
  })
  log(`bench: built the PostgreSQL database ${database} (${n} articles) in ${seconds()} s`)
  return { path: database, database, url, articles: n, reused: false, seconds: seconds() }
}

/**
 * One multi-row INSERT of `rows` (each in the order of `columns`) as one array per column,
 * unnested: a handful of parameters however many rows, so one parse and one round trip.
 * Returns the `returning` columns of the rows made, in no promised order.
 */
export async function insertColumns<T extends Record<string, unknown> = Record<string, unknown>> (c: pg.ClientBase, table: string,
  columns: Array<[name: string, type: string]>, rows: unknown[][], returning?: string): Promise<T[]> {
  if (rows.length === 0) return []
  const arrays = columns.map((_, i) => rows.map(row => row[i]))
  const list = columns.map(([name]) => name).join(', ')
  const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
  const result = await c.query<T>(`INSERT INTO ${table} (${list}) SELECT * FROM unnest(${unnest})${returning === undefined ? '' : ` RETURNING ${returning}`}`, arrays)
  return result.rows
}

const ARTICLE_COLUMNS: Array<[string, string]> = [
  ['id', 'int'], ['slug', 'text'], ['title', 'text'], ['subtitle', 'text'], ['excerpt', 'text'], ['body', 'text'], ['lang', 'text'],
  ['status', 'text'], ['published_at', 'bigint'], ['created_at', 'bigint'], ['updated_at', 'bigint'], ['category_id', 'int'],
  ['author', 'text'], ['source_name', 'text'], ['breaking', 'boolean'], ['has_video', 'boolean'], ['reading_time_minutes', 'int'],
  ['views', 'bigint'], ['comment_count', 'bigint'], ['version', 'int']
]

const articleRow = (a: BenchArticle): unknown[] => [a.id, a.slug, a.title, a.subtitle, a.excerpt, a.body, 'ar', 'published', a.publishedAt,
  a.createdAt, a.updatedAt, a.categoryId, a.author, a.sourceName, a.breaking, a.hasVideo, a.readingTimeMinutes, a.views, a.commentCount, a.version]

async function insertArticles (c: pg.ClientBase, n: number, now: number, categoryIds: number[], tagIds: number[], log: (line: string) => void): Promise<void> {
  const started = performance.now()
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1)
    const articles: BenchArticle[] = []
    for (let id = from; id <= to; id++) articles.push(benchArticle(id, n, now, categoryIds, tagIds))
    await c.query('BEGIN')
    await insertColumns(c, 'articles', ARTICLE_COLUMNS, articles.map(articleRow))
    await insertColumns(c, 'article_tags', [['article_id', 'int'], ['tag_id', 'int'], ['position', 'int']],
      articles.flatMap(a => a.tagIds.map((tag, position) => [a.id, tag, position])))
    await c.query('COMMIT')
    if (to % 10_000 === 0 || to === n) {
      const rate = Math.round(to / ((performance.now() - started) / 1000))
      log(`bench: ${to}/${n} articles into PostgreSQL (${rate} rows/s)`)
    }
  }
}

/**
 * The daily view rows of build-db.ts's refreshDailyViews: nothing when the newest are
 * today's already, else all of them replaced by dailyViewRows for today. Returns the rows written.
 */
export async function refreshDailyViewsPg (c: pg.ClientBase, n: number, now: number): Promise<number> {
  const today = dayOf(now)
  const newest = (await c.query<{ day: number | null }>('SELECT max(day) AS day FROM article_views_daily')).rows[0].day
  if (newest === today) return 0
  const rows = dailyViewRows(n, today)
  await c.query('BEGIN')
  try {
    await c.query('DELETE FROM article_views_daily')
    for (let i = 0; i < rows.length; i += BATCH) {
      await insertColumns(c, 'article_views_daily', [['article_id', 'int'], ['day', 'int'], ['views', 'bigint']], rows.slice(i, i + BATCH))
    }
    await c.query('COMMIT')
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  }
  return rows.length
}

/**
 * After the server's first start on the cache (its search index caught up): VACUUM and
 * ANALYZE, so that the copies start with their planner statistics and visibility maps,
 * rather than the measured server meeting autovacuum's first pass over fresh tables.
 */
export async function vacuumPg (url: string): Promise<void> {
  await withClient(url, async c => { await c.query('VACUUM (ANALYZE)') })
}

/**
 * The run's copy of the cache: `to` dropped and made again from `from` as a template,
 * file by file on PostgreSQL 15 and later (STRATEGY FILE_COPY: one checkpoint instead of
 * writing the whole database through the WAL). Nothing may be connected to `from`
 * meanwhile. Returns the seconds it took.
 */
export async function copyPgDatabase (from: string, to: string): Promise<number> {
  const started = performance.now()
  const { num } = await serverVersion()
  await withClient(adminUrl(), async admin => {
    await dropDatabase(admin, to)
    await admin.query(`CREATE DATABASE ${ident(to)} TEMPLATE ${ident(from)}${num >= 150000 ? ' STRATEGY FILE_COPY' : ''}`)
  })
  return Math.round((performance.now() - started) / 100) / 10
}
