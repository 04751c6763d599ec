import { eq } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../storage/sqlite/database.ts'
import { articles, articleMedia } from '../../storage/sqlite/schema.ts'
import type { Article, ArticleInput, CategoryRef } from '../shapes/articles.ts'
import type { AttachedMedia, MediaAttach } from '../shapes/media.ts'
import { conflict, invalidField, notFound, preconditionFailed, badRequest, type ProblemItem } from '../errors.ts'
import { hasBidiOverride, sanitizeBody, sanitizedToText, readingTimeMinutes } from '../../text/index.ts'
import { cleanTagName, type TagService } from '../taxonomy/tag-service.ts'
import type { MediaService } from '../media/media-service.ts'
import { HAS_VIDEO_SQL } from '../media/media-service.ts'
import { chooseSlug } from '../slugs/choose-slug.ts'
import type { SearchService } from '../search/search-service.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import type { RevisionService } from './revision-service.ts'
import type { Clock } from '../clock.ts'
import type { ArticleQueries, Viewer } from './article-queries.ts'
import { toMs, type RawArticle } from './article-rows.ts'

type Columns = typeof articles.$inferInsert
// What columnsFor works out on the way that is not a column: the text of the body.
interface Derived { text?: string }

// The columns the search index is made of.
const SEARCHED_COLUMNS = new Set(['title', 'subtitle', 'excerpt', 'body'])

// Every column a new article row is written with, as the insert statement names them.
interface NewRow {
  slug: string
  title: string
  subtitle: string | null
  excerpt: string | null
  body: string
  lang: string
  status: string
  publishedAt: number | null
  now: number
  categoryId: number | null
  author: string | null
  sourceName: string | null
  sourceUrl: string | null
  breaking: number
  readingTimeMinutes: number
  commentCount: number
  externalId: string | null
}

// The publishing rules: slugs, status and publishedAt, sanitizing, versions.
// The statements of the write path are prepared once: building a query with Drizzle costs
// about 0.2 ms a call (PERF.md), more than the write itself, and an import makes thousands.
export class ArticleService {
  private readonly refreshHasVideo: Database.Statement<[number]>
  private readonly insertRow: Database.Statement<[NewRow]>
  private readonly slugOwner: Database.Statement<[string], number>
  private readonly externalIdOwner: Database.Statement<[string], number>
  private readonly categoryById: Database.Statement<[number], CategoryRef>
  private readonly deleteTags: Database.Statement<[number]>
  private readonly insertTag: Database.Statement<[number, number, number]>

  constructor (
    private readonly db: Db,
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    readonly queries: ArticleQueries,
    private readonly tags: TagService,
    private readonly media: MediaService,
    private readonly search: SearchService,
    private readonly revisions: RevisionService,
    private readonly slugs: SlugHistory
  ) {
    this.refreshHasVideo = sqlite.prepare(`${HAS_VIDEO_SQL} WHERE id = ?`)
    this.insertRow = sqlite.prepare(`INSERT INTO articles (slug, title, subtitle, excerpt, body, lang, status, published_at,
        created_at, updated_at, category_id, author, source_name, source_url, breaking, reading_time_minutes, comment_count, external_id)
      VALUES (@slug, @title, @subtitle, @excerpt, @body, @lang, @status, @publishedAt,
        @now, @now, @categoryId, @author, @sourceName, @sourceUrl, @breaking, @readingTimeMinutes, @commentCount, @externalId)`)
    this.slugOwner = sqlite.prepare('SELECT id FROM articles WHERE slug = ?').pluck() as Database.Statement<[string], number>
    this.externalIdOwner = sqlite.prepare('SELECT id FROM articles WHERE external_id = ?').pluck() as Database.Statement<[string], number>
    this.categoryById = sqlite.prepare('SELECT id, slug, name, parent_id AS parentId FROM categories WHERE id = ?')
    this.deleteTags = sqlite.prepare('DELETE FROM article_tags WHERE article_id = ?')
    this.insertTag = sqlite.prepare('INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)')
  }

  create (input: ArticleInput & { title: string }): Article {
    return this.sqlite.transaction(() => this.queries.get(String(this.createRow(input)), { editor: true }))()
  }

  // Creates the article (tags and search index included) and returns its id: create()
  // without reading the article back, for imports.
  createRow (input: ArticleInput & { title: string }): number {
    const now = this.clock()
    const derived: Derived = {}
    const columns = this.columnsFor(input, undefined, now, derived)
    return this.sqlite.transaction(() => {
      const slug = chooseSlug({ requested: input.slug, source: input.title, fallback: 'article', what: 'article', isTaken: s => this.slugTaken(s) })
      const id = Number(this.insertRow.run({
        slug,
        title: input.title,
        subtitle: columns.subtitle ?? null,
        excerpt: columns.excerpt ?? null,
        body: columns.body ?? '',
        lang: columns.lang ?? 'ar',
        status: columns.status ?? 'draft',
        publishedAt: columns.publishedAt ?? null,
        now,
        categoryId: columns.categoryId ?? null,
        author: columns.author ?? null,
        sourceName: columns.sourceName ?? null,
        sourceUrl: columns.sourceUrl ?? null,
        breaking: columns.breaking === true ? 1 : 0,
        readingTimeMinutes: columns.readingTimeMinutes ?? 0,
        commentCount: columns.commentCount ?? 0,
        externalId: columns.externalId ?? null
      }).lastInsertRowid)
      if (input.tags !== undefined) this.setTags(id, input.tags)
      this.search.indexNew(id, { title: input.title, subtitle: columns.subtitle ?? null, excerpt: columns.excerpt ?? null, text: derived.text ?? '' })
      return id
    })()
  }

  // A PATCH. Nothing changed means no new version.
  update (id: number, input: ArticleInput, ifMatch: string | undefined): Article {
    return this.sqlite.transaction(() => {
      const current = this.requireRow(id)
      checkIfMatch(ifMatch, current.version)
      const now = this.clock()
      const columns = this.columnsFor(input, current, now)
      if (input.slug !== undefined) {
        columns.slug = chooseSlug({ requested: input.slug, source: '', fallback: 'article', what: 'article', isTaken: s => this.slugTaken(s, id) })
      }
      const changed = Object.entries(columns).filter(([key, value]) => stored(current, key) !== value)
      const currentTags = this.queries.tagsOf(id)
      const tagsChanged = input.tags !== undefined && !sameTags(currentTags, input.tags)
      if (changed.length === 0 && !tagsChanged) return this.queries.get(String(id), { editor: true })
      this.revisions.keep(current, currentTags)
      if (columns.slug !== undefined) this.slugs.moved('article', id, current.slug, columns.slug)
      if (tagsChanged) this.setTags(id, input.tags as string[])
      this.db.update(articles).set({ ...Object.fromEntries(changed), updatedAt: now, version: current.version + 1 })
        .where(eq(articles.id, id)).run()
      // Visibility is applied when searching: only a change of the text needs a reindex.
      if (changed.some(([key]) => SEARCHED_COLUMNS.has(key))) this.search.index(id)
      return this.queries.get(String(id), { editor: true })
    })()
  }

  trash (id: number): void {
    const current = this.requireRow(id)
    if (current.deletedAt !== null) return
    this.bump(id, { deletedAt: this.clock() })
  }

  restore (id: number): Article {
    const current = this.requireRow(id)
    if (current.deletedAt === null) throw conflict('not-in-trash', `Article ${id} is not in the trash`)
    this.bump(id, { deletedAt: null })
    return this.queries.get(String(id), { editor: true })
  }

  deletePermanently (id: number): void {
    this.sqlite.transaction(() => {
      const res = this.db.delete(articles).where(eq(articles.id, id)).run()
      if (res.changes === 0) throw notFound(`Article ${id}`)
      this.search.remove(id)
      this.slugs.forgetAll('article', id)
    })()
  }

  listMedia (idOrSlug: string, viewer: Viewer): AttachedMedia[] {
    const article = this.queries.get(idOrSlug, viewer)
    return this.media.attachedTo([article.id]).get(article.id) ?? []
  }

  setMedia (id: number, items: MediaAttach): AttachedMedia[] {
    this.requireRow(id)
    const errors: ProblemItem[] = []
    const seen = new Set<number>()
    items.forEach((item, i) => {
      if (seen.has(item.mediaId)) errors.push({ path: `/body/${i}/mediaId`, message: `media ${item.mediaId} is listed twice` })
      else if (!this.media.exists(item.mediaId)) errors.push({ path: `/body/${i}/mediaId`, message: `media ${item.mediaId} does not exist` })
      seen.add(item.mediaId)
    })
    const featured = items.filter(i => i.role === 'featured').length
    if (featured > 1) errors.push({ path: '/body', message: 'at most one item may be featured' })
    if (errors.length > 0) throw badRequest('Some media items cannot be attached', errors)
    this.sqlite.transaction(() => {
      this.db.delete(articleMedia).where(eq(articleMedia.articleId, id)).run()
      if (items.length > 0) {
        this.db.insert(articleMedia).values(items.map((item, i) => ({
          articleId: id, mediaId: item.mediaId, role: item.role, position: item.position ?? i
        }))).run()
      }
      this.refreshHasVideo.run(id)
      this.bump(id, {})
    })()
    return this.media.attachedTo([id]).get(id) ?? []
  }

  categoryRef (id: number): CategoryRef | undefined {
    return this.categoryById.get(id)
  }

  // Makes an earlier version current again, as a new version (so it can be undone
  // too). Its slug comes back only while no other article holds it, its category only
  // while it exists; media attachments are not part of revisions.
  restoreRevision (id: number, revision: number, ifMatch: string | undefined): Article {
    return this.sqlite.transaction(() => {
      this.requireRow(id)
      const { article } = this.revisions.get(id, revision)
      const input: ArticleInput = { ...article }
      if (this.slugTaken(article.slug, id)) delete input.slug
      if (article.categoryId !== null && this.categoryRef(article.categoryId) === undefined) input.categoryId = null
      if (article.externalId !== null && this.externalIdTaken(article.externalId, id)) delete input.externalId
      return this.update(id, input, ifMatch)
    })()
  }

  private bump (id: number, set: Partial<Columns>): void {
    const current = this.requireRow(id)
    this.revisions.keep(current, this.queries.tagsOf(id))
    this.db.update(articles).set({ ...set, updatedAt: this.clock(), version: current.version + 1 }).where(eq(articles.id, id)).run()
  }

  private requireRow (id: number): RawArticle {
    const row = this.queries.findRaw(String(id))
    if (row === undefined) throw notFound(`Article ${id}`)
    return row
  }

  // The stored columns an input sets, checked and derived (slug and tags aside).
  private columnsFor (input: ArticleInput, current: RawArticle | undefined, now: number, derived: Derived = {}): Partial<Columns> {
    const out: Partial<Columns> = {}
    if (input.title !== undefined) {
      if (hasBidiOverride(input.title)) throw invalidField('/body/title', 'must not contain bidi override characters (U+202A–U+202E, U+2066–U+2069)')
      if (input.title.trim() === '') throw invalidField('/body/title', 'must not be blank')
      out.title = input.title
    }
    for (const key of ['subtitle', 'excerpt', 'author', 'lang', 'commentCount'] as const) {
      if (input[key] !== undefined) (out as any)[key] = input[key]
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
      if (input.categoryId !== null && this.categoryRef(input.categoryId) === undefined) {
        throw invalidField('/body/categoryId', `category ${input.categoryId} does not exist`)
      }
      out.categoryId = input.categoryId
    }
    if (input.externalId !== undefined) {
      if (input.externalId !== null) {
        const clash = this.externalIdOwner.get(input.externalId)
        if (clash !== undefined && clash !== current?.id) throw conflict('external-id-taken', `Article ${clash} already has externalId "${input.externalId}"`)
      }
      out.externalId = input.externalId
    }
    // Drafts have no publication time; a published or archived article without one
    // is published now; a future time means scheduled.
    const status = input.status ?? current?.status ?? 'draft'
    if (input.status !== undefined) out.status = input.status
    if (status === 'draft') {
      out.publishedAt = null
    } else if (input.publishedAt != null) {
      out.publishedAt = toMs(input.publishedAt, '/body/publishedAt')
    } else if (input.publishedAt === null || current?.publishedAt == null) {
      out.publishedAt = now
    }
    return out
  }

  private setTags (id: number, names: string[]): void {
    const ids = this.tags.ensure(names)
    this.deleteTags.run(id)
    ids.forEach((tagId, position) => { this.insertTag.run(id, tagId, position) })
  }

  // Taken: another article's slug, or one of its old slugs (they keep leading to it).
  private slugTaken (slug: string, exceptId?: number): boolean {
    const owner = this.slugOwner.get(slug)
    return (owner !== undefined && owner !== exceptId) || this.slugs.heldByOther('article', slug, exceptId)
  }

  private externalIdTaken (externalId: string, exceptId: number): boolean {
    const owner = this.externalIdOwner.get(externalId)
    return owner !== undefined && owner !== exceptId
  }
}

// A stored column as the input would give it (booleans come back from SQLite as 0/1).
function stored (row: RawArticle, key: string): unknown {
  const value = (row as any)[key]
  return key === 'breaking' ? value === 1 || value === true : value
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
  if (!ok) throw preconditionFailed(`The article is at version ${version}; fetch it again and reapply your change`)
}
