import type { Article, ArticleInput } from '../shapes/articles.ts'
import type { AttachedMedia, MediaAttach } from '../shapes/media.ts'
import type { ArticleColumns, ArticleRow } from '../rows.ts'
import type { Storage } from '../storage.ts'
import { Conflict, Invalid, NotFound, PreconditionFailed, invalid, type FieldError } from '../errors.ts'
import { hasBidiOverride, sanitizeBody, sanitizedToText, readingTimeMinutes } from '../../text/index.ts'
import { cleanTagName, type TagService } from '../taxonomy/tag-service.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { MediaService } from '../media/media-service.ts'
import { chooseSlug } from '../slugs/choose-slug.ts'
import type { SearchService, PendingIndex } from '../search/search-service.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import type { RevisionService } from './revision-service.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries, Viewer } from './article-queries.ts'
import { articleDefaults, toMs } from './article-rows.ts'
import type { NewArticle } from './article-store.ts'

// What columnsFor works out on the way that is not a column: the text of the body.
interface Derived { text?: string }

// The columns the search index is made of.
const SEARCHED_COLUMNS = new Set(['title', 'subtitle', 'excerpt', 'body'])

export interface WriteOptions {
  // Where to put the articles the search index must take, instead of indexing them
  // now: an import collects a thousand or so and indexes them at once.
  index?: PendingIndex
}

export interface ArticleServiceOptions {
  storage: Storage
  clock: Clock
  queries: ArticleQueries
  categories: CategoryService
  tags: TagService
  media: MediaService
  search: SearchService
  revisions: RevisionService
  slugs: SlugHistory
}

// The publishing rules: slugs, status and publishedAt, sanitizing, versions.
export class ArticleService {
  constructor (private readonly deps: ArticleServiceOptions) {}

  private get store (): Storage['articles'] {
    return this.deps.storage.articles
  }

  async create (input: ArticleInput & { title: string }): Promise<Article> {
    return await this.deps.storage.transaction(async () => await this.deps.queries.get(String(await this.createRow(input)), { editor: true }))
  }

  // Creates the article (tags and search index included) and returns its id: create()
  // without reading the article back, for imports.
  async createRow (input: ArticleInput & { title: string }, options: WriteOptions = {}): Promise<number> {
    const now = this.deps.clock()
    const derived: Derived = {}
    const full = { ...articleDefaults(), ...input }
    // Every field has a value now, so every column but the slug and times does.
    const columns = await this.columnsFor(full, undefined, now, derived) as Omit<NewArticle, 'slug' | 'createdAt' | 'updatedAt' | 'externalId'> & Partial<NewArticle>
    return await this.deps.storage.transaction(async () => {
      const slug = await chooseSlug({ requested: input.slug, source: input.title, fallback: 'article', what: 'article', isTaken: async s => await this.slugTaken(s) })
      const id = await this.store.insert({ ...columns, slug, createdAt: now, updatedAt: now, externalId: columns.externalId ?? null })
      await this.setTags(id, full.tags)
      const text = { title: input.title, subtitle: columns.subtitle, excerpt: columns.excerpt, text: derived.text as string }
      if (options.index !== undefined) options.index.set(id, text)
      else await this.deps.search.indexNew(id, text)
      return id
    })
  }

  // A PATCH. Nothing changed means no new version.
  async update (id: number, input: ArticleInput, ifMatch: string | undefined, options: WriteOptions = {}): Promise<Article> {
    return await this.deps.storage.transaction(async () => {
      const current = await this.requireRow(id)
      checkIfMatch(ifMatch, current.version)
      const now = this.deps.clock()
      const columns = await this.columnsFor(input, current, now)
      if (input.slug !== undefined) {
        columns.slug = await chooseSlug({ requested: input.slug, source: '', fallback: 'article', what: 'article', isTaken: async s => await this.slugTaken(s, id) })
      }
      const changed = Object.entries(columns).filter(([key, value]) => current[key as keyof ArticleRow] !== value)
      const currentTags = await this.store.tagsOf(id)
      const tagsChanged = input.tags !== undefined && !sameTags(currentTags, input.tags)
      if (changed.length === 0 && !tagsChanged) return await this.deps.queries.get(String(id), { editor: true })
      await this.deps.revisions.keep(current, currentTags)
      if (columns.slug !== undefined) await this.deps.slugs.moved('article', id, current.slug, columns.slug)
      if (tagsChanged) await this.setTags(id, input.tags as string[])
      await this.store.update(id, { ...Object.fromEntries(changed), updatedAt: now, version: current.version + 1 })
      // Visibility is applied when searching: only a change of the text needs a reindex.
      if (changed.some(([key]) => SEARCHED_COLUMNS.has(key))) {
        if (options.index !== undefined) options.index.set(id, null)
        else await this.deps.search.index(id)
      }
      return await this.deps.queries.get(String(id), { editor: true })
    })
  }

  async trash (id: number): Promise<void> {
    await this.deps.storage.transaction(async () => {
      const current = await this.requireRow(id)
      if (current.deletedAt !== null) return
      await this.bump(current, { deletedAt: this.deps.clock() })
    })
  }

  async restore (id: number): Promise<Article> {
    return await this.deps.storage.transaction(async () => {
      const current = await this.requireRow(id)
      if (current.deletedAt === null) throw new Conflict('not-in-trash', `Article ${id} is not in the trash`)
      await this.bump(current, { deletedAt: null })
      return await this.deps.queries.get(String(id), { editor: true })
    })
  }

  async deletePermanently (id: number): Promise<void> {
    await this.deps.storage.transaction(async () => {
      if (!await this.store.delete(id)) throw new NotFound(`Article ${id}`)
      await this.deps.search.remove(id)
      await this.deps.slugs.forgetAll('article', id)
    })
  }

  async listMedia (idOrSlug: string, viewer: Viewer): Promise<AttachedMedia[]> {
    const article = await this.deps.queries.get(idOrSlug, viewer)
    return (await this.deps.media.attachedTo([article.id])).get(article.id) ?? []
  }

  // Replaces the media of an article, as a new version; the list attached and that version.
  async setMedia (id: number, items: MediaAttach): Promise<{ media: AttachedMedia[], version: number }> {
    await this.requireRow(id)
    const errors: FieldError[] = []
    const seen = new Set<number>()
    for (const [i, item] of items.entries()) {
      if (seen.has(item.mediaId)) errors.push({ field: `${i}/mediaId`, message: `media ${item.mediaId} is listed twice` })
      else if (!await this.deps.media.exists(item.mediaId)) errors.push({ field: `${i}/mediaId`, message: `media ${item.mediaId} does not exist` })
      seen.add(item.mediaId)
    }
    const featured = items.filter(i => i.role === 'featured').length
    if (featured > 1) errors.push({ field: '', message: 'at most one item may be featured' })
    if (errors.length > 0) throw new Invalid(errors, 'Some media items cannot be attached')
    const version = await this.deps.storage.transaction(async () => {
      // Read again inside: the version bumped is the one current when the change is made.
      const current = await this.requireRow(id)
      await this.attachMedia(id, items)
      await this.bump(current, {})
      return current.version + 1
    })
    return { media: (await this.deps.media.attachedTo([id])).get(id) ?? [], version }
  }

  // Attaches media to an article as part of a version being made (an import line's):
  // no new version of its own. The items exist; the caller resolved them.
  async attachMedia (id: number, items: MediaAttach): Promise<void> {
    await this.deps.storage.media.setAttachments(id, items.map((item, i) => ({ mediaId: item.mediaId, role: item.role, position: item.position ?? i })))
  }

  // One prepared lookup by id: an import checks the category of every line.
  private async categoryExists (id: number): Promise<boolean> {
    return await this.deps.storage.categories.byId(id) !== undefined
  }

  // Makes an earlier version current again, as a new version (so it can be undone
  // too). Its slug comes back only while no other article holds it, its category only
  // while it exists; media attachments are not part of revisions.
  async restoreRevision (id: number, revision: number, ifMatch: string | undefined): Promise<Article> {
    return await this.deps.storage.transaction(async () => {
      await this.requireRow(id)
      const { article } = await this.deps.revisions.get(id, revision)
      const input: ArticleInput = { ...article }
      if (await this.slugTaken(article.slug, id)) delete input.slug
      if (article.categoryId !== null && !await this.categoryExists(article.categoryId)) input.categoryId = null
      if (article.externalId !== null && await this.externalIdTaken(article.externalId, id)) delete input.externalId
      return await this.update(id, input, ifMatch)
    })
  }

  // A new version of the article as it is, with `set` changed; the old one is kept.
  private async bump (current: ArticleRow, set: Partial<ArticleColumns>): Promise<void> {
    await this.deps.revisions.keep(current, await this.store.tagsOf(current.id))
    await this.store.update(current.id, { ...set, updatedAt: this.deps.clock(), version: current.version + 1 })
  }

  private async requireRow (id: number): Promise<ArticleRow> {
    const row = await this.store.byId(id)
    if (row === undefined) throw new NotFound(`Article ${id}`)
    return row
  }

  // The stored columns an input sets, checked and derived (slug and tags aside).
  private async columnsFor (input: ArticleInput, current: ArticleRow | undefined, now: number, derived: Derived = {}): Promise<Partial<ArticleColumns>> {
    const out: Partial<ArticleColumns> = {}
    if (input.title !== undefined) {
      if (hasBidiOverride(input.title)) throw invalid('title', 'must not contain bidi override characters (U+202A–U+202E, U+2066–U+2069)')
      if (input.title.trim() === '') throw invalid('title', 'must not be blank')
      out.title = input.title
    }
    for (const key of ['subtitle', 'excerpt', 'author', 'lang', 'commentCount'] as const) {
      if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key]
    }
    if (input.breaking !== undefined) out.breaking = input.breaking
    if (input.body !== undefined) {
      out.body = sanitizeBody(input.body)
      derived.text = sanitizedToText(out.body)
      out.readingTimeMinutes = readingTimeMinutes(derived.text)
    }
    if (input.source !== undefined) {
      out.sourceName = input.source?.name ?? null
      out.sourceUrl = input.source?.url ?? null
    }
    if (input.categoryId !== undefined) {
      if (input.categoryId !== null && !await this.categoryExists(input.categoryId)) {
        throw invalid('categoryId', `category ${input.categoryId} does not exist`)
      }
      out.categoryId = input.categoryId
    }
    if (input.externalId !== undefined) {
      if (input.externalId !== null) {
        const clash = await this.store.idByExternalId(input.externalId)
        if (clash !== undefined && clash !== current?.id) throw new Conflict('external-id-taken', `Article ${clash} already has externalId "${input.externalId}"`, { existingId: clash })
      }
      out.externalId = input.externalId
    }
    // Drafts have no publication time; a published or archived article without one
    // is published now; a future time means scheduled. A new article always has a status
    // (articleDefaults), a changed one has its own.
    const status = input.status ?? (current as ArticleRow).status
    if (input.status !== undefined) out.status = input.status
    if (status === 'draft') {
      out.publishedAt = null
    } else if (input.publishedAt != null) {
      out.publishedAt = toMs(input.publishedAt, 'publishedAt')
    } else if (input.publishedAt === null || current?.publishedAt == null) {
      out.publishedAt = now
    }
    return out
  }

  private async setTags (id: number, names: string[]): Promise<void> {
    await this.store.setTags(id, await this.deps.tags.ensure(names))
  }

  // Taken: another article's slug, or one of its old slugs (they keep leading to it).
  private async slugTaken (slug: string, exceptId?: number): Promise<boolean> {
    const owner = await this.store.idBySlug(slug)
    return (owner !== undefined && owner !== exceptId) || await this.deps.slugs.heldByOther('article', slug, exceptId)
  }

  private async externalIdTaken (externalId: string, exceptId: number): Promise<boolean> {
    const owner = await this.store.idByExternalId(externalId)
    return owner !== undefined && owner !== exceptId
  }
}

function sameTags (current: string[], wanted: string[]): boolean {
  const clean = [...new Set(wanted.map(cleanTagName).filter(n => n !== ''))]
  return clean.length === current.length && clean.every((n, i) => n === current[i])
}

// If-Match takes the version ("7") or an ETag this server sent for the article
// ("7-1a2b3c"), weak or strong, or *.
export function checkIfMatch (header: string | undefined, version: number): void {
  if (header === undefined) return
  const ok = header.split(',').some((part) => {
    const value = part.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')
    return value === '*' || value === String(version) || value.startsWith(`${version}-`)
  })
  if (!ok) throw new PreconditionFailed(`The article is at version ${version}; fetch it again and reapply your change`)
}
