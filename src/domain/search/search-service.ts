import { LRUCache } from 'lru-cache'
import type Database from 'better-sqlite3'
import type { ArticleSummary } from '../shapes/articles.ts'
import { badRequest } from '../errors.ts'
import { sanitizedToText } from '../../text/index.ts'
import { indexText, queryTerms, ftsMatch, snippet } from '../../text/search-text.ts'
import { PUBLIC_VISIBLE_SQL } from '../articles/visibility.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries, Viewer } from '../articles/article-queries.ts'
import { filterSql, type ArticleFilters } from '../articles/article-filters.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { TagService } from '../taxonomy/tag-service.ts'

export type SearchSort = 'relevance' | '-publishedAt'
export interface SearchQuery extends ArticleFilters { q: string, limit: number, cursor?: string, sort: SearchSort }
export type SearchHit = ArticleSummary & { score: number, snippet: string }
// What is indexed of an article: its title, subtitle, excerpt and the text of its body.
export interface SearchText { title: string, subtitle: string | null, excerpt: string | null, text: string }
// Articles to index: with their text when the writer had it at hand (a new article), else null.
export type PendingIndex = Map<number, SearchText | null>

// Relevance is bm25 (a title hit weighs 10 body hits), blended with recency: an
// article published today counts double, one a week old 1.5 times, a year old ~1.02.
const TITLE_WEIGHT = 10
// How many of the newest matches a search by relevance ranks (see search()).
export const RELEVANCE_WINDOW = 300
const RECENCY_HALF_MS = 7 * 86_400_000
const SCORE = `f.score * (1.0 + 1.0 / (1.0 + max(0, @now - a.published_at) / ${RECENCY_HALF_MS}.0))`

// Words too common to say what an article is about (as search keys: folded letters).
const STOPWORDS = new Set(('في من على الي الى عن ان مع هذا هذه ذلك التي الذي الذين بعد قبل خلال بين حول كان كانت ' +
  'قد لا ما او ثم كل غير عند منذ حتي اي هو هي هم لم لن اذا كما ايضا وقال قال فيديو صور ' +
  'the a an of in on at to for and or is are was were by with from as that this it be not').split(' '))

export class SearchService {
  private readonly deleteRow: Database.Statement<[number]>
  private readonly insertRow: Database.Statement<[number, string, string]>
  private readonly deleteTitle: Database.Statement<[number]>
  private readonly insertTitle: Database.Statement<[number, string]>
  private readonly markIndexed: Database.Statement<[number, number]>
  private readonly exists: Database.Statement<[number], number>
  private readonly source: Database.Statement<[number], { id: number, version: number, title: string, subtitle: string | null, excerpt: string | null, body: string }>
  private readonly stale: Database.Statement<[], { id: number }>
  private readonly suggestStmt: Database.Statement<[{ match: string, now: number }], { id: number, slug: string, title: string }>
  private readonly relatedByTags: Database.Statement<[number], { id: number, shared: number }>
  private readonly relatedByTitle: Database.Statement<[string], { id: number }>
  private readonly relatedByCategory: Database.Statement<[{ category: number, id: number, now: number }], { id: number }>
  private readonly categoryOf: Database.Statement<[string], { id: number, categoryId: number | null }>
  private readonly visibleIds: Database.Statement<[{ ids: string, now: number }], number>
  private readonly stmts = new Map<string, Database.Statement>()
  private readonly relatedCache = new LRUCache<string, Array<{ id: number, score: number }>>({ max: 5000 })
  private readonly indexMany: (ids: number[]) => void

  constructor (
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly queries: ArticleQueries,
    private readonly categories: CategoryService,
    private readonly tags: TagService
  ) {
    this.deleteRow = sqlite.prepare('DELETE FROM articles_fts WHERE rowid = ?')
    this.insertRow = sqlite.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)')
    // Titles again, with prefix indexes, for typeahead (migration 0005).
    this.deleteTitle = sqlite.prepare('DELETE FROM article_titles_fts WHERE rowid = ?')
    this.insertTitle = sqlite.prepare('INSERT INTO article_titles_fts (rowid, title) VALUES (?, ?)')
    this.markIndexed = sqlite.prepare('INSERT INTO search_indexed (article_id, version) VALUES (?, ?) ON CONFLICT (article_id) DO UPDATE SET version = excluded.version')
    this.exists = sqlite.prepare('SELECT 1 FROM articles WHERE id = ?').pluck() as Database.Statement<[number], number>
    this.source = sqlite.prepare('SELECT id, version, title, subtitle, excerpt, body FROM articles WHERE id = ?')
    this.stale = sqlite.prepare(`SELECT a.id FROM articles a LEFT JOIN search_indexed s ON s.article_id = a.id
      WHERE s.version IS NULL OR s.version <> a.version ORDER BY a.id`)
    // Newest first by id, so the scan stops after 10 visible titles instead of sorting every match.
    this.suggestStmt = sqlite.prepare(`SELECT a.id, a.slug, a.title FROM article_titles_fts f JOIN articles a ON a.id = f.rowid
      WHERE article_titles_fts MATCH @match AND ${PUBLIC_VISIBLE_SQL} ORDER BY f.rowid DESC LIMIT 10`)
    this.relatedByTags = sqlite.prepare(`SELECT at2.article_id AS id, count(*) AS shared FROM article_tags at1
      JOIN article_tags at2 ON at2.tag_id = at1.tag_id AND at2.article_id <> at1.article_id
      WHERE at1.article_id = ? GROUP BY at2.article_id ORDER BY shared DESC, at2.article_id DESC LIMIT 200`)
    this.relatedByTitle = sqlite.prepare(`SELECT rowid AS id FROM article_titles_fts WHERE article_titles_fts MATCH ?
      ORDER BY bm25(article_titles_fts) LIMIT 50`)
    this.relatedByCategory = sqlite.prepare(`SELECT a.id FROM articles a WHERE a.category_id = @category AND a.id <> @id
      AND ${PUBLIC_VISIBLE_SQL} ORDER BY a.published_at DESC LIMIT 50`)
    this.categoryOf = sqlite.prepare('SELECT id, category_id AS categoryId FROM articles WHERE id IN (SELECT value FROM json_each(?))')
    this.visibleIds = sqlite.prepare(`SELECT a.id FROM articles a WHERE a.id IN (SELECT value FROM json_each(@ids)) AND ${PUBLIC_VISIBLE_SQL}`).pluck() as Database.Statement<[{ ids: string, now: number }], number>
    this.indexMany = sqlite.transaction((ids: number[]) => { for (const id of ids) this.indexOne(id) })
  }

  // Articles waiting for deferred() to index them, while it runs: with their text when
  // the caller had it at hand (a new article), else null (read from the row).
  private pending: PendingIndex | undefined

  // (Re)indexes articles after a change of their text. Visibility is checked when
  // searching, so publishing, trashing or restoring needs no reindex.
  index (...ids: number[]): void {
    if (this.pending === undefined) this.indexMany(ids)
    else for (const id of ids) this.pending.set(id, null)
  }

  // Indexes an article just created (version 1), from the text its writer has made already (the
  // body's text is the costly part): no second read of the row, and nothing to delete
  // from the index first (ids are never reused).
  indexNew (id: number, text: SearchText): void {
    if (this.pending === undefined) this.write(id, text, 1)
    else this.pending.set(id, text)
  }

  /**
   * Runs fn with the indexing of the articles it writes collected rather than done, and
   * returns what to index, for indexPending() to do later, many batches at once. An import
   * uses it: FTS5 writes its buffered terms out as a new segment at every savepoint and
   * every commit, and each segment is merged again later; indexed line by line (a
   * savepoint each) or batch by batch (a commit each), an archive made thousands of small
   * segments. fn runs synchronously, so no other request's writes are ever collected.
   */
  collect (fn: () => void): PendingIndex {
    const pending: PendingIndex = new Map()
    this.pending = pending
    try {
      fn()
    } finally {
      this.pending = undefined
    }
    return pending
  }

  /** Indexes what collect() gathered, in one transaction. */
  indexPending (pending: PendingIndex): void {
    this.sqlite.transaction(() => {
      for (const [id, text] of pending) {
        if (text === null) this.indexOne(id)
        // Created and rolled back since (its line failed): no article, nothing to index.
        else if (this.exists.get(id) !== undefined) this.write(id, text, 1)
      }
    })()
  }

  remove (id: number): void {
    this.deleteRow.run(id)
    this.deleteTitle.run(id)
  }

  private catchingUp = false

  /**
   * Indexes every article the index lacks or holds at an older version: a restored backup,
   * an upgrade that rebuilt the index, a crash in the middle of an import. The server runs
   * it in the background once it is up (on 100,000 articles it takes about a minute, far
   * beyond Fastify's plugin timeout), a slice at a time with the event loop left to requests
   * in between; a search meanwhile finds the articles indexed so far. Resolves to how many
   * it indexed; stopCatchUp() ends it after the current slice.
   */
  async catchUp (slice = 500, onStart?: (stale: number) => void): Promise<number> {
    const ids = this.stale.all().map(r => r.id)
    if (ids.length > 0) onStart?.(ids.length)
    let done = 0
    this.catchingUp = true
    while (done < ids.length && this.catchingUp) {
      const next = ids.slice(done, done + slice)
      this.indexMany(next)
      done += next.length
      await new Promise(resolve => setImmediate(resolve))
    }
    this.catchingUp = false
    return done
  }

  stopCatchUp (): void {
    this.catchingUp = false
  }

  search (q: SearchQuery): { data: SearchHit[], nextCursor: string | null } {
    const terms = queryTerms(q.q)
    if (terms.length === 0) throw badRequest('q must contain at least one letter or digit', [{ path: '/querystring/q', message: 'has no letter or digit' }])
    const filters = filterSql(q, this.categories, this.tags)
    if (filters === undefined) return { data: [], nextCursor: null }
    const params: Record<string, unknown> = { ...filters.params, match: ftsMatch(terms), now: this.clock(), limit: q.limit + 1 }
    const byDate = q.sort === '-publishedAt'
    const orderValue = byDate ? 'a.published_at' : SCORE
    const where = [PUBLIC_VISIBLE_SQL, ...filters.where]
    const after: string[] = []
    let shape = `${q.sort}${filters.shape}`
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, q.sort, byDate ? 'number' : 'float')
      after.push(`(${orderValue}, a.id) ${byDate ? '<' : '>'} (@afterValue, @afterId)`)
      params.afterValue = c.value
      params.afterId = c.id
      shape += ':cursor'
    }
    // By relevance, the candidates are the RELEVANCE_WINDOW newest visible matches that pass
    // the filters: FTS5 walks its doclist from the highest rowid down and stops there, so bm25
    // is computed for those alone. Scoring every match of a common word (tens of thousands
    // on 100k articles) took 40–250 ms; the window takes a few. By date, every match counts.
    const matches = byDate
      ? `SELECT rowid AS id, bm25(articles_fts, ${TITLE_WEIGHT}.0, 1.0) AS score FROM articles_fts WHERE articles_fts MATCH @match`
      : `SELECT articles_fts.rowid AS id, bm25(articles_fts, ${TITLE_WEIGHT}.0, 1.0) AS score
          FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
          WHERE articles_fts MATCH @match AND ${where.join(' AND ')} ORDER BY articles_fts.rowid DESC LIMIT ${RELEVANCE_WINDOW}`
    const conditions = byDate ? [...where, ...after] : after
    const dir = byDate ? 'DESC' : 'ASC'
    const sql = `SELECT a.id, a.title, a.body, ${SCORE} AS score, ${orderValue} AS orderValue FROM (${matches}) f
      JOIN articles a ON a.id = f.id ${conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`}
      ORDER BY orderValue ${dir}, a.id ${dir} LIMIT @limit`
    let stmt = this.stmts.get(shape)
    if (stmt === undefined) this.stmts.set(shape, stmt = this.sqlite.prepare(sql))
    const rows = stmt.all(params) as Array<{ id: number, title: string, body: string, score: number, orderValue: number }>
    const page = rows.slice(0, q.limit)
    const summaries = this.queries.summariesByIds(page.map(r => r.id))
    const data = page.map((r) => {
      const text = sanitizedToText(r.body)
      const inBody = snippet(text, terms)
      return {
        ...(summaries.get(r.id) as ArticleSummary),
        score: Math.round(-r.score * 1e6) / 1e6,
        snippet: inBody.includes('<mark>') ? inBody : snippet(r.title, terms)
      }
    })
    const last = page[page.length - 1]
    const nextCursor = rows.length > q.limit ? encodeCursor(q.sort, last.orderValue, last.id) : null
    return { data, nextCursor }
  }

  // Titles whose words start with the last word typed (the earlier words must match too).
  suggest (q: string): Array<{ id: number, slug: string, title: string }> {
    const terms = queryTerms(q)
    if (terms.length === 0) return []
    return this.suggestStmt.all({ match: ftsMatch(terms, { prefixLast: true }), now: this.clock() })
  }

  // Published articles sharing tags (3 points each), the category (2) and significant
  // title words (up to 2, by title bm25). The candidates are computed once per
  // article version; visibility is applied on every call.
  related (idOrSlug: string, viewer: Viewer, limit: number): ArticleSummary[] {
    const article = this.queries.get(idOrSlug, viewer)
    const key = `${article.id}:${article.version}`
    let ranked = this.relatedCache.get(key)
    if (ranked === undefined) {
      ranked = this.rankRelated(article)
      this.relatedCache.set(key, ranked)
    }
    const ids = ranked.map(r => r.id)
    const visible = new Set(this.visibleIds.all({ ids: JSON.stringify(ids), now: this.clock() }))
    const chosen = ids.filter(id => visible.has(id)).slice(0, limit)
    const summaries = this.queries.summariesByIds(chosen)
    return chosen.map(id => summaries.get(id) as ArticleSummary)
  }

  private rankRelated (article: ArticleSummary): Array<{ id: number, score: number }> {
    const scores = new Map<number, number>()
    const add = (id: number, points: number): void => { scores.set(id, (scores.get(id) ?? 0) + points) }
    for (const r of this.relatedByTags.all(article.id)) add(r.id, 3 * r.shared)
    const words = queryTerms(article.title).filter(forms => forms.every(f => !STOPWORDS.has(f) && f.length > 2))
    if (words.length > 0) {
      const match = ftsMatch(words).split(' AND ').join(' OR ')
      const hits = this.relatedByTitle.all(match).filter(r => r.id !== article.id)
      hits.forEach((r, i) => { add(r.id, 2 * (1 - i / hits.length)) })
    }
    if (article.categoryId !== null) {
      // The latest of the same category fill the list when little else is related.
      for (const r of this.relatedByCategory.all({ category: article.categoryId, id: article.id, now: this.clock() })) {
        if (!scores.has(r.id)) scores.set(r.id, 0)
      }
      for (const r of this.categoryOf.all(JSON.stringify([...scores.keys()]))) {
        if (r.categoryId === article.categoryId) add(r.id, 2)
      }
    }
    return [...scores].map(([id, score]) => ({ id, score })).sort((x, y) => y.score - x.score || y.id - x.id)
  }

  private indexOne (id: number): void {
    const row = this.source.get(id)
    this.remove(id)
    if (row !== undefined) this.write(id, { title: row.title, subtitle: row.subtitle, excerpt: row.excerpt, text: sanitizedToText(row.body) }, row.version)
  }

  private write (id: number, a: SearchText, version: number): void {
    const title = indexText(a.title)
    this.insertRow.run(id, title, indexText(`${a.subtitle ?? ''} ${a.excerpt ?? ''} ${a.text}`))
    this.insertTitle.run(id, title)
    this.markIndexed.run(id, version)
  }
}
