import type { SearchHitRow, SearchSource, SearchStore } from '../../domain/search/search-store.ts'
import { RECENCY_HALF_MS, RELEVANCE_WINDOW, TITLE_WEIGHT } from '../../domain/search/relevance.ts'
import { ftsMatch } from '../../text/search-text.ts'
import type { Connection } from './database.ts'
import { filterSql, StatementCache } from './article-store.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

// FTS5's bm25 is negative, lower is better; blended with recency: a.published_at is
// in ms, as @now.
const SCORE = `f.score * (1.0 + 1.0 / (1.0 + max(0, @now - a.published_at) / ${RECENCY_HALF_MS}.0))`

// Full-text search on FTS5: `articles_fts` (title and body, no prefix indexes) and
// `article_titles_fts` (titles, with prefix indexes for typeahead), contentless and
// written here from the domain's normalised text (migrations 0002, 0005).
export function sqliteSearchStore ({ sqlite }: Connection): SearchStore {
  const deleteRow = sqlite.prepare<[number]>('DELETE FROM articles_fts WHERE rowid = ?')
  const insertRow = sqlite.prepare<[number, string, string]>('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)')
  const deleteTitle = sqlite.prepare<[number]>('DELETE FROM article_titles_fts WHERE rowid = ?')
  const insertTitle = sqlite.prepare<[number, string]>('INSERT INTO article_titles_fts (rowid, title) VALUES (?, ?)')
  const markIndexed = sqlite.prepare<[number, number]>(`INSERT INTO search_indexed (article_id, version) VALUES (?, ?)
    ON CONFLICT (article_id) DO UPDATE SET version = excluded.version`)
  const exists = sqlite.prepare<[number], number>('SELECT 1 FROM articles WHERE id = ?').pluck()
  const source = sqlite.prepare<[number], SearchSource>('SELECT id, version, title, subtitle, excerpt, body FROM articles WHERE id = ?')
  const stale = sqlite.prepare<[], number>(`SELECT a.id FROM articles a LEFT JOIN search_indexed s ON s.article_id = a.id
    WHERE s.version IS NULL OR s.version <> a.version ORDER BY a.id`).pluck()
  // Newest first by id, so the scan stops after `limit` visible titles instead of sorting every match.
  const suggest = sqlite.prepare<[{ match: string, now: number, limit: number }], { id: number, slug: string, title: string }>(`SELECT a.id, a.slug, a.title
    FROM article_titles_fts f JOIN articles a ON a.id = f.rowid
    WHERE article_titles_fts MATCH @match AND ${PUBLIC_VISIBLE_SQL} ORDER BY f.rowid DESC LIMIT @limit`)
  const relatedByTags = sqlite.prepare<[number], { id: number, shared: number }>(`SELECT at2.article_id AS id, count(*) AS shared FROM article_tags at1
    JOIN article_tags at2 ON at2.tag_id = at1.tag_id AND at2.article_id <> at1.article_id
    WHERE at1.article_id = ? GROUP BY at2.article_id ORDER BY shared DESC, at2.article_id DESC LIMIT 200`)
  const relatedByTitle = sqlite.prepare<[string], number>(`SELECT rowid AS id FROM article_titles_fts WHERE article_titles_fts MATCH ?
    ORDER BY bm25(article_titles_fts) LIMIT 50`).pluck()
  const relatedByCategory = sqlite.prepare<[{ category: number, id: number, now: number }], number>(`SELECT a.id FROM articles a
    WHERE a.category_id = @category AND a.id <> @id AND ${PUBLIC_VISIBLE_SQL} ORDER BY a.published_at DESC LIMIT 50`).pluck()
  const categoriesOf = sqlite.prepare<[string], { id: number, categoryId: number | null }>('SELECT id, category_id AS categoryId FROM articles WHERE id IN (SELECT value FROM json_each(?))')
  const visibleIds = sqlite.prepare<[{ ids: string, now: number }], number>(`SELECT a.id FROM articles a
    WHERE a.id IN (SELECT value FROM json_each(@ids)) AND ${PUBLIC_VISIBLE_SQL}`).pluck()
  const statements = new StatementCache(sqlite)

  return {
    write: async (id, text, version) => {
      insertRow.run(id, text.title, text.body)
      insertTitle.run(id, text.title)
      markIndexed.run(id, version)
    },
    remove: async (id) => {
      deleteRow.run(id)
      deleteTitle.run(id)
    },
    source: async (id) => source.get(id),
    exists: async (id) => exists.get(id) !== undefined,
    stale: async () => stale.all(),
    search: async (spec) => {
      const filters = filterSql(spec.filter)
      const params: Record<string, unknown> = { ...filters.params, match: ftsMatch(spec.terms), now: spec.now, limit: spec.limit }
      const byDate = spec.sort === '-publishedAt'
      const orderValue = byDate ? 'a.published_at' : SCORE
      const where = [PUBLIC_VISIBLE_SQL, ...filters.where]
      const after: string[] = []
      let shape = `${spec.sort}${filters.shape}`
      if (spec.after !== undefined) {
        after.push(`(${orderValue}, a.id) ${byDate ? '<' : '>'} (@afterValue, @afterId)`)
        params.afterValue = spec.after.value
        params.afterId = spec.after.id
        shape += ':cursor'
      }
      const stmt = statements.get(shape, () => {
        // By relevance, the candidates are the RELEVANCE_WINDOW newest visible matches that
        // pass the filters: FTS5 walks its doclist from the highest rowid down and stops
        // there, so bm25 is computed for those alone. By date, every match counts.
        const matches = byDate
          ? `SELECT rowid AS id, bm25(articles_fts, ${TITLE_WEIGHT}.0, 1.0) AS score FROM articles_fts WHERE articles_fts MATCH @match`
          : `SELECT articles_fts.rowid AS id, bm25(articles_fts, ${TITLE_WEIGHT}.0, 1.0) AS score
              FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
              WHERE articles_fts MATCH @match AND ${where.join(' AND ')} ORDER BY articles_fts.rowid DESC LIMIT ${RELEVANCE_WINDOW}`
        const conditions = byDate ? [...where, ...after] : after
        const dir = byDate ? 'DESC' : 'ASC'
        return `SELECT a.id, a.title, a.body, -(${SCORE}) AS score, ${orderValue} AS orderValue FROM (${matches}) f
          JOIN articles a ON a.id = f.id ${conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`}
          ORDER BY orderValue ${dir}, a.id ${dir} LIMIT @limit`
      })
      return stmt.all(params) as SearchHitRow[]
    },
    suggest: async (terms, now, limit) => suggest.all({ match: ftsMatch(terms, { prefixLast: true }), now, limit }),
    relatedByTags: async (id) => relatedByTags.all(id),
    relatedByTitle: async (terms) => relatedByTitle.all(ftsMatch(terms).split(' AND ').join(' OR ')),
    relatedByCategory: async (category, id, now) => relatedByCategory.all({ category, id, now }),
    categoriesOf: async (ids) => categoriesOf.all(JSON.stringify(ids)),
    visibleIds: async (ids, now) => visibleIds.all({ ids: JSON.stringify(ids), now })
  }
}
