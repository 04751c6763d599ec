import type { SearchHitRow, SearchSource, SearchStore } from '../../domain/search/search-store.ts'
import { RECENCY_HALF_MS, RELEVANCE_WINDOW, TITLE_WEIGHT } from '../../domain/search/relevance.ts'
import type { Sql } from './database.ts'
import { filterSql } from './article-store.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

// The search text is khabar's own normalised tokens (src/text/search-text.ts), space
// separated. PostgreSQL's parser would split them again by its own idea of a word (and, in
// a database with the C locale, not see Arabic letters as letters), so the tsvector is
// written as a literal instead: each token a lexeme at its position, nothing stemmed or
// dropped, exactly as FTS5 holds it on SQLite. The `simple` configuration would do the same
// for ASCII; the literal does it for every script.
const MAX_POSITION = 16_383

const lexeme = (token: string): string => `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`

export function tsvectorLiteral (text: string): string {
  const positions = new Map<string, number[]>()
  let position = 0
  for (const token of text.split(' ')) {
    if (token === '') continue
    position = Math.min(position + 1, MAX_POSITION)
    const list = positions.get(token)
    if (list === undefined) positions.set(token, [position])
    // PostgreSQL keeps at most 256 positions of a lexeme.
    else if (list.length < 256) list.push(position)
  }
  let out = ''
  for (const [token, list] of positions) out += `${out === '' ? '' : ' '}${lexeme(token)}:${list.join(',')}`
  return out
}

/** A tsquery literal: the words ANDed, each an OR of its forms; with prefixLast the last word as a prefix. */
export function tsqueryLiteral (terms: string[][], opts: { prefixLast?: boolean, any?: boolean } = {}): string {
  const parts = terms.map((forms, i) => {
    const star = opts.prefixLast === true && i === terms.length - 1 ? ':*' : ''
    return `(${forms.map(f => lexeme(f) + star).join(' | ')})`
  })
  return parts.join(opts.any === true ? ' | ' : ' & ')
}

// ts_rank's weights are {D, C, B, A}: the body is B, the title A, TITLE_WEIGHT times it.
// Normalisation 1 divides by 1 + log(length), as bm25 discounts long documents.
const RANK = `ts_rank('{0, 0, ${1 / TITLE_WEIGHT}, 1}', s.document, @match::tsquery, 1)`
// Higher is better; blended with recency as on SQLite (src/domain/search/relevance.ts).
const SCORE = `(${RANK})::float8 * (1.0 + 1.0 / (1.0 + greatest(0, @now::bigint - a.published_at)::float8 / ${RECENCY_HALF_MS}))`

// Full-text search on a tsvector per article (search_index: document = title A + the rest
// B, title = the title alone for typeahead), GIN-indexed, written from the domain's
// normalised text.
export function pgSearchStore (sql: Sql): SearchStore {
  return {
    write: async (id, text, version) => {
      await sql.run(`INSERT INTO search_index (article_id, version, document, title)
        VALUES (@id, @version, setweight(@title::tsvector, 'A') || setweight(@body::tsvector, 'B'), @title::tsvector)
        ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, document = excluded.document, title = excluded.title`, {
        id, version, title: tsvectorLiteral(text.title), body: tsvectorLiteral(text.body)
      })
    },
    remove: async (id) => { await sql.run('DELETE FROM search_index WHERE article_id = @id', { id }) },
    source: async (id) => await sql.one<SearchSource>('SELECT id, version, title, subtitle, excerpt, body FROM articles WHERE id = @id', { id }),
    exists: async (id) => await sql.value('SELECT 1 FROM articles WHERE id = @id', { id }) !== undefined,
    stale: async () => await sql.column<number>(`SELECT a.id FROM articles a LEFT JOIN search_index s ON s.article_id = a.id
      WHERE s.version IS NULL OR s.version <> a.version ORDER BY a.id`),
    search: async (spec) => {
      const filters = filterSql(spec.filter)
      const params: Record<string, unknown> = { ...filters.params, match: tsqueryLiteral(spec.terms), now: spec.now, limit: spec.limit }
      const byDate = spec.sort === '-publishedAt'
      // orderValue ascending, as on SQLite (where bm25 is negative): minus the score.
      const orderValue = byDate ? 'a.published_at' : `-(${SCORE})`
      const where = [PUBLIC_VISIBLE_SQL, ...filters.where]
      const after: string[] = []
      if (spec.after !== undefined) {
        after.push(`(${orderValue}, a.id) ${byDate ? '<' : '>'} (@afterValue, @afterId)`)
        params.afterValue = spec.after.value
        params.afterId = spec.after.id
      }
      // By relevance the candidates are the RELEVANCE_WINDOW newest visible matches that pass
      // the filters, ranked after; by date, every match counts.
      const candidates = byDate
        ? 'SELECT s.article_id AS id FROM search_index s WHERE s.document @@ @match::tsquery'
        : `SELECT a.id FROM search_index s JOIN articles a ON a.id = s.article_id
            WHERE s.document @@ @match::tsquery AND ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ${RELEVANCE_WINDOW}`
      const conditions = byDate ? [...where, ...after] : after
      const dir = byDate ? 'DESC' : 'ASC'
      return await sql.rows<SearchHitRow>(`SELECT a.id, a.title, a.body, ${SCORE} AS score, ${orderValue} AS "orderValue"
        FROM (${candidates}) f JOIN articles a ON a.id = f.id JOIN search_index s ON s.article_id = a.id
        ${conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`}
        ORDER BY "orderValue" ${dir}, a.id ${dir} LIMIT @limit`, params)
    },
    suggest: async (terms, now, limit) => await sql.rows<{ id: number, slug: string, title: string }>(`SELECT a.id, a.slug, a.title
      FROM search_index s JOIN articles a ON a.id = s.article_id
      WHERE s.title @@ @match::tsquery AND ${PUBLIC_VISIBLE_SQL} ORDER BY s.article_id DESC LIMIT @limit`, {
      match: tsqueryLiteral(terms, { prefixLast: true }), now, limit
    }),
    relatedByTags: async (id) => await sql.rows<{ id: number, shared: number }>(`SELECT at2.article_id AS id, count(*) AS shared FROM article_tags at1
      JOIN article_tags at2 ON at2.tag_id = at1.tag_id AND at2.article_id <> at1.article_id
      WHERE at1.article_id = @id GROUP BY at2.article_id ORDER BY shared DESC, at2.article_id DESC LIMIT 200`, { id }),
    relatedByTitle: async (terms) => await sql.column<number>(`SELECT s.article_id FROM search_index s WHERE s.title @@ @match::tsquery
      ORDER BY ts_rank(s.title, @match::tsquery) DESC, s.article_id DESC LIMIT 50`, { match: tsqueryLiteral(terms, { any: true }) }),
    relatedByCategory: async (category, id, now) => await sql.column<number>(`SELECT a.id FROM articles a
      WHERE a.category_id = @category AND a.id <> @id AND ${PUBLIC_VISIBLE_SQL} ORDER BY a.published_at DESC LIMIT 50`, { category, id, now }),
    categoriesOf: async (ids) => await sql.rows<{ id: number, categoryId: number | null }>('SELECT id, category_id AS "categoryId" FROM articles WHERE id = ANY(@ids::bigint[])', { ids }),
    visibleIds: async (ids, now) => await sql.column<number>(`SELECT a.id FROM articles a WHERE a.id = ANY(@ids::bigint[]) AND ${PUBLIC_VISIBLE_SQL}`, { ids, now })
  }
}
