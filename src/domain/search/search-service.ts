import { LRUCache } from 'lru-cache'
import type { ArticleSummary } from '../shapes/articles.ts'
import type { SearchSort } from '../enums.ts'
import type { Storage } from '../storage.ts'
import { Invalid } from '../errors.ts'
import { sanitizedToText } from '../../text/index.ts'
import { indexText, queryTerms, snippet } from '../../text/search-text.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries, Viewer } from '../articles/article-queries.ts'
import { resolveFilters, type ArticleFilters } from '../articles/article-filters.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { TagService } from '../taxonomy/tag-service.ts'
import type { SearchSpec } from './search-store.ts'

export interface SearchQuery extends ArticleFilters { q: string, limit: number, cursor?: string, sort: SearchSort }
export type SearchHit = ArticleSummary & { score: number, snippet: string }
// What is indexed of an article: its title, subtitle, excerpt and the text of its body.
export interface SearchText { title: string, subtitle: string | null, excerpt: string | null, text: string }
// Articles to index: with their text when the writer had it at hand (a new article), else null.
export type PendingIndex = Map<number, SearchText | null>

// Words too common to say what an article is about (as search keys: folded letters).
const STOPWORDS = new Set(('في من على الي الى عن ان مع هذا هذه ذلك التي الذي الذين بعد قبل خلال بين حول كان كانت ' +
  'قد لا ما او ثم كل غير عند منذ حتي اي هو هي هم لم لن اذا كما ايضا وقال قال فيديو صور ' +
  'the a an of in on at to for and or is are was were by with from as that this it be not').split(' '))

export interface SearchServiceOptions {
  storage: Storage
  clock: Clock
  queries: ArticleQueries
  categories: CategoryService
  tags: TagService
}

export class SearchService {
  private readonly relatedCache = new LRUCache<string, Array<{ id: number, score: number }>>({ max: 5000 })
  private catchingUp = false

  constructor (private readonly deps: SearchServiceOptions) {}

  private get store (): Storage['search'] {
    return this.deps.storage.search
  }

  // (Re)indexes articles after a change of their text. Visibility is checked when
  // searching, so publishing, trashing or restoring needs no reindex.
  async index (...ids: number[]): Promise<void> {
    await this.deps.storage.transaction(async () => {
      for (const id of ids) await this.indexOne(id)
    })
  }

  // Indexes an article just created (version 1), from the text its writer has made already
  // (the body's text is the costly part): no second read of the row, and nothing to delete
  // from the index first (ids are never reused).
  async indexNew (id: number, text: SearchText): Promise<void> {
    await this.write(id, text, 1)
  }

  /**
   * Indexes, in one transaction, what writers collected instead of indexing it at once
   * (WriteOptions.index). An import does: FTS5 writes its buffered terms out as a new
   * segment at every savepoint and every commit, and each segment is merged again later;
   * indexed line by line (a savepoint each) or batch by batch (a commit each), an archive
   * made thousands of small segments.
   */
  async indexPending (pending: PendingIndex): Promise<void> {
    await this.deps.storage.transaction(async () => {
      for (const [id, text] of pending) {
        if (text === null) await this.indexOne(id)
        // Created and rolled back since (its line failed): no article, nothing to index.
        else if (await this.store.exists(id)) await this.write(id, text, 1)
      }
    })
  }

  async remove (id: number): Promise<void> {
    await this.store.remove(id)
  }

  /**
   * Indexes every article the index lacks or holds at an older version: a restored backup,
   * an upgrade that rebuilt the index, a crash in the middle of an import. The server runs
   * it in the background once it is up (on 100,000 articles it takes about a minute, far
   * beyond Fastify's plugin timeout), a slice at a time with the event loop left to requests
   * in between; a search meanwhile finds the articles indexed so far. Resolves to how many
   * it indexed; stopCatchUp() ends it after the current slice.
   */
  async catchUp (slice = 500, onStart?: (stale: number) => void): Promise<number> {
    this.catchingUp = true
    const ids = await this.store.stale()
    if (ids.length > 0) onStart?.(ids.length)
    let done = 0
    while (done < ids.length) {
      const next = ids.slice(done, done + slice)
      await this.index(...next)
      done += next.length
      if (!this.catchingUp) break
      await new Promise(resolve => setImmediate(resolve))
    }
    this.catchingUp = false
    return done
  }

  stopCatchUp (): void {
    this.catchingUp = false
  }

  async search (q: SearchQuery): Promise<{ data: SearchHit[], nextCursor: string | null }> {
    const terms = queryTerms(q.q)
    if (terms.length === 0) throw new Invalid([{ field: 'q', message: 'has no letter or digit' }], 'q must contain at least one letter or digit')
    const filter = await resolveFilters(q, this.deps.categories, this.deps.tags)
    if (filter === undefined) return { data: [], nextCursor: null }
    const spec: SearchSpec = { terms, filter, sort: q.sort, limit: q.limit + 1, now: this.deps.clock() }
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, q.sort, q.sort === '-publishedAt' ? 'number' : 'float')
      spec.after = { value: c.value as number, id: c.id }
    }
    const rows = await this.store.search(spec)
    const page = rows.slice(0, q.limit)
    const summaries = await this.deps.queries.summariesByIds(page.map(r => r.id))
    const data = page.map((r) => {
      const text = sanitizedToText(r.body)
      const inBody = snippet(text, terms)
      return {
        ...(summaries.get(r.id) as ArticleSummary),
        score: Math.round(r.score * 1e6) / 1e6,
        snippet: inBody.includes('<mark>') ? inBody : snippet(r.title, terms)
      }
    })
    const last = page[page.length - 1]
    const nextCursor = rows.length > q.limit ? encodeCursor(q.sort, last.orderValue, last.id) : null
    return { data, nextCursor }
  }

  // Titles whose words start with the last word typed (the earlier words must match too).
  async suggest (q: string): Promise<Array<{ id: number, slug: string, title: string }>> {
    const terms = queryTerms(q)
    if (terms.length === 0) return []
    return await this.store.suggest(terms, this.deps.clock(), 10)
  }

  // Published articles sharing tags (3 points each), the category (2) and significant
  // title words (up to 2, by title relevance). The candidates are computed once per
  // article version; visibility is applied on every call.
  async related (idOrSlug: string, viewer: Viewer, limit: number): Promise<ArticleSummary[]> {
    const article = await this.deps.queries.get(idOrSlug, viewer)
    const key = `${article.id}:${article.version}`
    let ranked = this.relatedCache.get(key)
    if (ranked === undefined) {
      ranked = await this.rankRelated(article)
      this.relatedCache.set(key, ranked)
    }
    const ids = ranked.map(r => r.id)
    const visible = new Set(await this.store.visibleIds(ids, this.deps.clock()))
    const chosen = ids.filter(id => visible.has(id)).slice(0, limit)
    const summaries = await this.deps.queries.summariesByIds(chosen)
    return chosen.map(id => summaries.get(id) as ArticleSummary)
  }

  private async rankRelated (article: ArticleSummary): Promise<Array<{ id: number, score: number }>> {
    const scores = new Map<number, number>()
    const add = (id: number, points: number): void => { scores.set(id, (scores.get(id) ?? 0) + points) }
    for (const r of await this.store.relatedByTags(article.id)) add(r.id, 3 * r.shared)
    const words = queryTerms(article.title).filter(forms => forms.every(f => !STOPWORDS.has(f) && f.length > 2))
    if (words.length > 0) {
      const hits = (await this.store.relatedByTitle(words)).filter(id => id !== article.id)
      hits.forEach((id, i) => { add(id, 2 * (1 - i / hits.length)) })
    }
    if (article.categoryId !== null) {
      // The latest of the same category fill the list when little else is related.
      for (const id of await this.store.relatedByCategory(article.categoryId, article.id, this.deps.clock())) {
        if (!scores.has(id)) scores.set(id, 0)
      }
      for (const r of await this.store.categoriesOf([...scores.keys()])) {
        if (r.categoryId === article.categoryId) add(r.id, 2)
      }
    }
    return [...scores].map(([id, score]) => ({ id, score })).sort((x, y) => y.score - x.score || y.id - x.id)
  }

  private async indexOne (id: number): Promise<void> {
    const row = await this.store.source(id)
    await this.store.remove(id)
    if (row !== undefined) await this.write(id, { title: row.title, subtitle: row.subtitle, excerpt: row.excerpt, text: sanitizedToText(row.body) }, row.version)
  }

  private async write (id: number, a: SearchText, version: number): Promise<void> {
    await this.store.write(id, { title: indexText(a.title), body: indexText(`${a.subtitle ?? ''} ${a.excerpt ?? ''} ${a.text}`) }, version)
  }
}
