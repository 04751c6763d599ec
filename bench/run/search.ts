// Search and suggest as npm run bench measures them, and what the search index weighs.
import Database from 'better-sqlite3'
import { SEED } from '../build-db.ts'
import { NOUNS, PLACES, int, mulberry32, pick, seedOf } from '../generate.ts'
import { fmt, mb } from '../lib.ts'
import { withClient } from '../pg.ts'
import type { Scenario } from './scenario.ts'
import { N } from './settings.ts'

// Search as readers type it: single words (news nouns with and without the article, and
// place names, some with an attached preposition) and pairs of them, with page sizes from 11
// to 30; typeahead prefixes of 2 to 4 letters, alone or after a whole word. The same lists on
// every run. Each list holds 20,000 distinct URLs (as far as the words allow), so that most
// requests miss the response cache (an LRU of 32 MB, about 1,500 pages of search hits) and
// the search itself is measured; the notes give how many distinct URLs each route had.
export function searchScenarios (): Scenario[] {
  const r = mulberry32(seedOf(SEED + 20, N))
  const bare = (w: string): string => w.startsWith('ال') ? w.slice(2) : w
  const words = [...new Set([...NOUNS, ...NOUNS.map(bare), ...PLACES, ...PLACES.map(p => 'ب' + p)])]
  const prefixes = [...new Set(NOUNS.map(bare).flatMap(w => [2, 3, 4].map(k => w.slice(0, k))))]
  const q = (text: string): string => encodeURIComponent(text)
  const distinct = (make: () => string): string[] => {
    const out = new Set<string>()
    for (let tries = 0; out.size < 20_000 && tries < 200_000; tries++) out.add(make())
    return [...out]
  }
  const page = (): string => `&limit=${11 + int(r, 20)}`
  const one = distinct(() => `/v1/search?q=${q(pick(r, words))}${page()}`)
  const two = distinct(() => `/v1/search?q=${q(`${pick(r, words)} ${pick(r, words)}`)}${page()}`)
  const suggest = distinct(() => `/v1/search/suggest?q=${q(r() < 0.3 ? pick(r, prefixes) : `${pick(r, NOUNS)} ${pick(r, prefixes)}`)}`)
  const about = (paths: string[], what: string): string => `cycles over ${paths.length.toLocaleString('en-US')} distinct URLs: ${what}, 10 connections`
  // The same routes as a site's traffic repeats them: its 200 most asked queries, which the
  // response cache answers after their first time (until the next write).
  const popular = (paths: string[]): string[] => paths.slice(0, 200)
  const warm = (paths: string[]): string => 'the first 200 of those URLs, over and over: the response cache answers all but their first request; 10 connections'
  return [
    { key: 'search-1', label: '`GET /v1/search?q=` (one Arabic word, distinct queries)', server: 'khabar', method: 'GET', paths: one, connections: 10, maxP50: 5, maxP99: 30, about: about(one, `one of ${words.length} words, pages of 11–30 hits with snippets`) },
    { key: 'search-2', label: '`GET /v1/search?q=` (two Arabic words, distinct queries)', server: 'khabar', method: 'GET', paths: two, connections: 10, maxP50: 5, maxP99: 30, about: about(two, 'two of the same words, pages of 11–30 hits with snippets') },
    { key: 'suggest', label: '`GET /v1/search/suggest?q=` (distinct prefixes)', server: 'khabar', method: 'GET', paths: suggest, connections: 10, maxP99: 10, about: about(suggest, `one of ${prefixes.length} prefixes of 2–4 letters, 30 % alone and 70 % after a whole word`) },
    { key: 'search-1-warm', label: '`GET /v1/search?q=` (one word, 200 popular queries)', server: 'khabar', method: 'GET', paths: popular(one), connections: 10, maxP50: 5, maxP99: 30, about: warm(one) },
    { key: 'search-2-warm', label: '`GET /v1/search?q=` (two words, 200 popular queries)', server: 'khabar', method: 'GET', paths: popular(two), connections: 10, maxP50: 5, maxP99: 30, about: warm(two) },
    { key: 'suggest-warm', label: '`GET /v1/search/suggest?q=` (200 popular prefixes)', server: 'khabar', method: 'GET', paths: popular(suggest), connections: 10, maxP99: 10, about: warm(suggest) }
  ]
}

// What the search index weighs on disk, beside the whole database (SQLite's dbstat).
export async function searchIndexSize (databasePath: string): Promise<string> {
  const sqlite = new Database(databasePath, { readonly: true })
  try {
    const rows = sqlite.prepare(`SELECT CASE WHEN name LIKE 'articles_fts%' THEN 'articles_fts' WHEN name LIKE 'article_titles_fts%' THEN 'article_titles_fts' ELSE 'rest' END AS part,
      sum(pgsize) AS bytes FROM dbstat GROUP BY part`).all() as Array<{ part: string, bytes: number }>
    const size = (part: string): number => rows.find(r => r.part === part)?.bytes ?? 0
    const total = rows.reduce((sum, r) => sum + r.bytes, 0)
    const fts = size('articles_fts')
    const titles = size('article_titles_fts')
    return `Search index size (${N.toLocaleString('en-US')} articles): the full-text index \`articles_fts\` (titles and text, no prefix indexes) ${mb(fts)}, ` +
      `the typeahead index \`article_titles_fts\` (titles, prefix indexes of 1–3 letters) ${mb(titles)}; together ${fmt(100 * (fts + titles) / total, 0)} % of the ${mb(total)} database ` +
      `(${fmt((fts + titles) / N, 0)} bytes an article; the articles' own rows and indexes take ${mb(size('rest'))}).\n`
  } finally {
    sqlite.close()
  }
}

// The same on PostgreSQL: the search index is one table (search_index, a tsvector of the
// title and text and one of the title, each GIN-indexed), beside the whole database.
export async function pgSearchIndexSize (url: string): Promise<string> {
  return await withClient(url, async c => {
    const { rows } = await c.query<{ index: string, tables: string, total: string, gin: string }>(`SELECT
        pg_total_relation_size('search_index') AS index,
        (SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0) FROM pg_index i WHERE i.indrelid = 'search_index'::regclass) AS gin,
        (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r') AS tables,
        pg_database_size(current_database()) AS total`)
    const index = Number(rows[0].index)
    const tables = Number(rows[0].tables)
    return `Search index size (${N.toLocaleString('en-US')} articles): \`search_index\` (\`pg_total_relation_size\`: the tsvectors, their TOAST and the GIN indexes, of which ${mb(Number(rows[0].gin))}) ${mb(index)}; ` +
      `${fmt(100 * index / tables, 0)} % of the ${mb(tables)} of khabar's tables with their indexes (${fmt(index / N, 0)} bytes an article; ` +
      `the rest take ${mb(tables - index)}; the database ${mb(Number(rows[0].total))} with the catalogue).\n`
  })
}
