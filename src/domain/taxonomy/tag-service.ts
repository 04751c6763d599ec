import { and, eq, ne } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../storage/sqlite/database.ts'
import { tags, type TagRow } from '../../storage/sqlite/schema.ts'
import type { Tag, TagCreate, TagPatch } from '../shapes/taxonomy.ts'
import { conflict, invalidField, notFound } from '../errors.ts'
import { hasBidiOverride } from '../../text/index.ts'
import { chooseSlug, parseIdOrSlug } from '../slugs/choose-slug.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import { iso, type Clock } from '../clock.ts'
import { PUBLIC_VISIBLE_SQL } from '../articles/visibility.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'

export type TagSort = 'name' | '-articleCount'

// A tag's name as stored: NFC, trimmed, inner whitespace collapsed, so "دمشق" and
// " دمشق " are one tag.
export const cleanTagName = (name: string): string => name.normalize('NFC').replace(/\s+/gu, ' ').trim()

const COUNT_SQL = `(SELECT count(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
  WHERE at.tag_id = t.id AND ${PUBLIC_VISIBLE_SQL})`

export class TagService {
  private readonly listByName: Database.Statement
  private readonly listByCount: Database.Statement
  private readonly countOne: Database.Statement<[{ id: number, now: number }], { n: number }>
  private readonly touchArticles: Database.Statement<[{ id: number, now: number }]>

  // Prepared once: every article write names its tags.
  private readonly idByName: Database.Statement<[string], number>
  private readonly insertRow: Database.Statement<[string, string, number, number]>

  constructor (private readonly db: Db, sqlite: Database.Database, private readonly clock: Clock, private readonly slugs: SlugHistory) {
    this.idByName = sqlite.prepare('SELECT id FROM tags WHERE name = ?').pluck() as Database.Statement<[string], number>
    this.insertRow = sqlite.prepare('INSERT INTO tags (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
    const cols = 't.id, t.slug, t.name, t.created_at AS createdAt, t.updated_at AS updatedAt'
    this.listByName = sqlite.prepare(`SELECT ${cols}, ${COUNT_SQL} AS articleCount FROM tags t
      WHERE (@after IS NULL OR (t.name, t.id) > (@after, @afterId)) ORDER BY t.name, t.id LIMIT @limit`)
    this.listByCount = sqlite.prepare(`SELECT * FROM (SELECT ${cols}, ${COUNT_SQL} AS articleCount FROM tags t)
      WHERE (@after IS NULL OR (articleCount, id) < (@after, @afterId)) ORDER BY articleCount DESC, id DESC LIMIT @limit`)
    this.countOne = sqlite.prepare(`SELECT ${COUNT_SQL} AS n FROM tags t WHERE t.id = @id`)
    // Articles list their tags by name: renaming or deleting a tag changes them (a new version).
    this.touchArticles = sqlite.prepare(`UPDATE articles SET version = version + 1, updated_at = @now
      WHERE id IN (SELECT article_id FROM article_tags WHERE tag_id = @id)`)
  }

  list (opts: { sort: TagSort, limit: number, cursor?: string }): { data: Tag[], nextCursor: string | null } {
    const byCount = opts.sort === '-articleCount'
    let after: string | number | null = null
    let afterId = 0
    if (opts.cursor !== undefined) {
      const c = decodeCursor(opts.cursor, opts.sort, byCount ? 'number' : 'string')
      after = c.value
      afterId = c.id
    }
    const stmt = byCount ? this.listByCount : this.listByName
    const rows = stmt.all({ after, afterId, limit: opts.limit + 1, now: this.clock() }) as Array<TagRow & { articleCount: number }>
    const page = rows.slice(0, opts.limit)
    const last = page[page.length - 1]
    const nextCursor = rows.length > opts.limit ? encodeCursor(opts.sort, byCount ? last.articleCount : last.name, last.id) : null
    return { data: page.map(r => toApi(r, r.articleCount)), nextCursor }
  }

  get (idOrSlug: string): Tag {
    const key = parseIdOrSlug(idOrSlug)
    const row = this.db.select().from(tags).where('id' in key ? eq(tags.id, key.id) : eq(tags.slug, key.slug)).get()
    if (row === undefined) throw this.slugs.missing('tag', idOrSlug, id => this.db.select({ slug: tags.slug }).from(tags).where(eq(tags.id, id)).get()?.slug, 'Tag')
    return toApi(row, this.countOf(row.id))
  }

  find (idOrSlug: string): TagRow | undefined {
    const key = parseIdOrSlug(idOrSlug)
    return this.db.select().from(tags).where('id' in key ? eq(tags.id, key.id) : eq(tags.slug, key.slug)).get()
  }

  create (input: TagCreate): Tag {
    const name = checkName(input.name)
    if (this.byName(name) !== undefined) throw conflict('tag-exists', `A tag named "${name}" already exists`)
    const now = this.clock()
    const slug = chooseSlug({ requested: input.slug, source: name, fallback: 'tag', what: 'tag', isTaken: s => this.slugTaken(s) })
    const row = this.db.insert(tags).values({ slug, name, createdAt: now, updatedAt: now }).returning().get()
    return toApi(row, 0)
  }

  update (id: number, input: TagPatch): Tag {
    const current = this.db.select().from(tags).where(eq(tags.id, id)).get()
    if (current === undefined) throw notFound(`Tag ${id}`)
    const name = input.name === undefined ? current.name : checkName(input.name)
    const clash = this.byName(name)
    if (clash !== undefined && clash.id !== id) throw conflict('tag-exists', `A tag named "${name}" already exists`)
    const slug = input.slug === undefined || input.slug === current.slug
      ? current.slug
      : chooseSlug({ requested: input.slug, source: '', fallback: 'tag', what: 'tag', isTaken: s => this.slugTaken(s, id) })
    const now = this.clock()
    const row = this.db.transaction((tx) => {
      if (name !== current.name) this.touchArticles.run({ id, now })
      this.slugs.moved('tag', id, current.slug, slug)
      return tx.update(tags).set({ name, slug, updatedAt: now }).where(eq(tags.id, id)).returning().get()
    })
    return toApi(row, this.countOf(id))
  }

  // Removes the tag from every article that has it (the join rows cascade).
  delete (id: number): void {
    this.db.transaction((tx) => {
      this.touchArticles.run({ id, now: this.clock() })
      const res = tx.delete(tags).where(eq(tags.id, id)).run()
      if (res.changes === 0) throw notFound(`Tag ${id}`)
      this.slugs.forgetAll('tag', id)
    })
  }

  // The ids of the named tags, creating the missing ones (articles name tags freely).
  // Named by an article, a tag obeys the rules of POST /v1/tags: no bidi overrides.
  ensure (names: string[]): number[] {
    const bad = names.findIndex(hasBidiOverride)
    if (bad !== -1) throw invalidField(`/body/tags/${bad}`, 'must not contain bidi override characters')
    const clean = [...new Set(names.map(cleanTagName).filter(n => n !== ''))]
    if (clean.length === 0) return []
    const now = this.clock()
    return clean.map((name) => {
      const known = this.idByName.get(name)
      if (known !== undefined) return known
      const slug = chooseSlug({ requested: undefined, source: name, fallback: 'tag', what: 'tag', isTaken: s => this.slugTaken(s) })
      return Number(this.insertRow.run(slug, name, now, now).lastInsertRowid)
    })
  }

  private byName (name: string): TagRow | undefined {
    return this.db.select().from(tags).where(eq(tags.name, name)).get()
  }

  private countOf (id: number): number {
    return (this.countOne.get({ id, now: this.clock() }) as { n: number }).n
  }

  private slugTaken (slug: string, exceptId?: number): boolean {
    const where = exceptId === undefined ? eq(tags.slug, slug) : and(eq(tags.slug, slug), ne(tags.id, exceptId))
    return this.db.select({ id: tags.id }).from(tags).where(where).get() !== undefined ||
      this.slugs.heldByOther('tag', slug, exceptId)
  }
}

function checkName (raw: string): string {
  const name = cleanTagName(raw)
  if (name === '') throw invalidField('/body/name', 'must not be blank')
  if (hasBidiOverride(name)) throw invalidField('/body/name', 'must not contain bidi override characters')
  return name
}

function toApi (row: TagRow, articleCount: number): Tag {
  return { id: row.id, slug: row.slug, name: row.name, articleCount, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) }
}
