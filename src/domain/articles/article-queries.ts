import type { ArticleListQueryT, ArticleSummary, Article, CategoryRef } from '../shapes/articles.ts'
import type { ArticleSort } from '../enums.ts'
import type { ArticleRow } from '../rows.ts'
import type { Storage } from '../storage.ts'
import { Moved, NotFound, Unauthorized } from '../errors.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { TagService } from '../taxonomy/tag-service.ts'
import type { MediaService } from '../media/media-service.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { parseIdOrSlug } from '../slugs/choose-slug.ts'
import { resolveFilters } from './article-filters.ts'
import { isPubliclyReadable } from './visibility.ts'
import type { Clock } from '../clock.ts'
import type { ArticleListSpec } from './article-store.ts'
import { toArticle, toSummary } from './article-rows.ts'

// Who is asking: key holders (editors and admins) see drafts, scheduled and trashed articles.
export interface Viewer { editor: boolean }

export interface ArticleList { data: Array<ArticleSummary | Article>, nextCursor: string | null, total?: number }

// The read paths of articles.
export class ArticleQueries {
  constructor (private readonly deps: { storage: Storage, clock: Clock, categories: CategoryService, tags: TagService, media: MediaService, slugs: SlugHistory }) {}

  // The row, whatever its state; undefined when there is none.
  async findRaw (idOrSlug: string): Promise<ArticleRow | undefined> {
    const key = parseIdOrSlug(idOrSlug)
    return 'id' in key ? await this.deps.storage.articles.byId(key.id) : await this.deps.storage.articles.bySlug(key.slug)
  }

  async get (idOrSlug: string, viewer: Viewer, include: Set<string> = new Set()): Promise<Article> {
    const row = await this.findRaw(idOrSlug)
    if (row === undefined) {
      // A slug the article had before leads to it.
      const key = parseIdOrSlug(idOrSlug)
      const movedTo = 'slug' in key ? await this.deps.slugs.resolve('article', key.slug) : undefined
      const target = movedTo === undefined ? undefined : await this.deps.storage.articles.byId(movedTo)
      if (target !== undefined && 'slug' in key && (viewer.editor || isPubliclyReadable(target, this.deps.clock()))) throw new Moved(key.slug, target.slug)
      throw new NotFound(`Article ${idOrSlug}`)
    }
    if (!viewer.editor && !isPubliclyReadable(row, this.deps.clock())) throw new NotFound(`Article ${idOrSlug}`)
    const article = toArticle(row, await this.deps.storage.articles.tagsOf(row.id), viewer.editor)
    await this.addIncludes([article], include)
    return article
  }

  // Summaries of the given articles, whatever their state, keyed by id.
  async summariesByIds (ids: number[]): Promise<Map<number, ArticleSummary>> {
    const rows = await this.deps.storage.articles.summaries(ids)
    const tags = await this.deps.storage.articles.tagsFor(ids)
    return new Map(rows.map(r => [r.id, toSummary(r, tags.get(r.id) ?? [], false)]))
  }

  async list (q: ArticleListQueryT, viewer: Viewer, withBody: boolean): Promise<ArticleList> {
    if (q.status !== undefined && !viewer.editor && q.status !== 'published') {
      throw new Unauthorized('Listing by status needs a key')
    }
    const filter = await resolveFilters(q, this.deps.categories, this.deps.tags)
    if (filter === undefined) return { data: [], nextCursor: null, ...(q.count === true ? { total: 0 } : {}) }
    // The schema's defaults always fill these.
    const sort = q.sort as ArticleSort
    const limit = q.limit as number
    const spec: ArticleListSpec = {
      audience: viewer.editor ? 'editor' : 'public',
      status: viewer.editor ? q.status : undefined,
      sort,
      filter,
      limit: limit + 1,
      withBody,
      now: this.deps.clock()
    }
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, sort)
      spec.after = { value: c.value as number, id: c.id }
    }
    const rows = await this.deps.storage.articles.list(spec)
    const page = rows.slice(0, limit)
    const tagMap = await this.deps.storage.articles.tagsFor(page.map(r => r.id))
    const data = page.map(r => withBody ? toArticle(r as ArticleRow, tagMap.get(r.id) ?? [], viewer.editor) : toSummary(r, tagMap.get(r.id) ?? [], viewer.editor))
    const last = page[page.length - 1]
    const nextCursor = rows.length > limit ? encodeCursor(sort, last.sortValue, last.id) : null
    const result: ArticleList = { data, nextCursor }
    if (q.count === true) result.total = await this.deps.storage.articles.count(spec)
    return result
  }

  async addIncludes (articles: ArticleSummary[], include: Set<string>): Promise<void> {
    if (articles.length === 0) return
    if (include.has('category')) {
      const ids = [...new Set(articles.map(a => a.categoryId).filter((id): id is number => id !== null))]
      const refs = new Map((await this.deps.categories.refs(ids)).map(c => [c.id, c]))
      for (const a of articles) a.category = a.categoryId === null ? null : refs.get(a.categoryId) as CategoryRef
    }
    if (include.has('media')) {
      const attached = await this.deps.media.attachedTo(articles.map(a => a.id))
      for (const a of articles) a.media = attached.get(a.id) ?? []
    }
  }
}
