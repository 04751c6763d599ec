import type { Tag, TagCreate, TagPatch } from '../shapes/taxonomy.ts'
import type { TagSort } from '../enums.ts'
import type { TagRow } from '../rows.ts'
import type { Storage } from '../storage.ts'
import { Conflict, NotFound, invalid } from '../errors.ts'
import { hasBidiOverride } from '../../text/index.ts'
import { chooseSlug, parseIdOrSlug } from '../slugs/choose-slug.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import { iso, type Clock } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { checkName, cleanName } from './names.ts'

// A tag's name as stored and compared, the same rule as a category's (names.ts).
export const cleanTagName = cleanName

export class TagService {
  constructor (private readonly deps: { storage: Storage, clock: Clock, slugs: SlugHistory }) {}

  private get store (): Storage['tags'] {
    return this.deps.storage.tags
  }

  async list (opts: { sort: TagSort, limit: number, cursor?: string }): Promise<{ data: Tag[], nextCursor: string | null }> {
    const byCount = opts.sort === '-articleCount'
    let after: string | number | null = null
    let afterId = 0
    if (opts.cursor !== undefined) {
      const c = decodeCursor(opts.cursor, opts.sort, byCount ? 'number' : 'string')
      after = c.value
      afterId = c.id
    }
    const rows = await this.store.page(opts.sort, after, afterId, opts.limit + 1, this.deps.clock())
    const page = rows.slice(0, opts.limit)
    const last = page[page.length - 1]
    const nextCursor = rows.length > opts.limit ? encodeCursor(opts.sort, byCount ? last.articleCount : last.name, last.id) : null
    return { data: page.map(r => toApi(r, r.articleCount)), nextCursor }
  }

  async get (idOrSlug: string): Promise<Tag> {
    const row = await this.find(idOrSlug)
    if (row === undefined) throw await this.deps.slugs.missing('tag', idOrSlug, async id => (await this.store.byId(id))?.slug, 'Tag')
    return toApi(row, await this.store.publicCount(row.id, this.deps.clock()))
  }

  async find (idOrSlug: string): Promise<TagRow | undefined> {
    const key = parseIdOrSlug(idOrSlug)
    return 'id' in key ? await this.store.byId(key.id) : await this.store.bySlug(key.slug)
  }

  async create (input: TagCreate): Promise<Tag> {
    const name = checkName(input.name)
    const clash = await this.store.byName(name)
    if (clash !== undefined) throw tagExists(name, clash.id)
    const slug = await chooseSlug({ requested: input.slug, source: name, fallback: 'tag', what: 'tag', isTaken: async s => await this.slugTaken(s) })
    return toApi(await this.store.insert(slug, name, this.deps.clock()), 0)
  }

  async update (id: number, input: TagPatch): Promise<Tag> {
    const current = await this.store.byId(id)
    if (current === undefined) throw new NotFound(`Tag ${id}`)
    const name = input.name === undefined ? current.name : checkName(input.name)
    const clash = await this.store.byName(name)
    if (clash !== undefined && clash.id !== id) throw tagExists(name, clash.id)
    const slug = input.slug === undefined || input.slug === current.slug
      ? current.slug
      : await chooseSlug({ requested: input.slug, source: '', fallback: 'tag', what: 'tag', isTaken: async s => await this.slugTaken(s, id) })
    const now = this.deps.clock()
    const row = await this.deps.storage.transaction(async () => {
      if (name !== current.name) await this.store.touchArticles(id, now)
      await this.deps.slugs.moved('tag', id, current.slug, slug)
      return await this.store.update(id, { name, slug, updatedAt: now })
    })
    return toApi(row, await this.store.publicCount(id, now))
  }

  // Removes the tag from every article that has it.
  async delete (id: number): Promise<void> {
    await this.deps.storage.transaction(async () => {
      await this.store.touchArticles(id, this.deps.clock())
      if (!await this.store.delete(id)) throw new NotFound(`Tag ${id}`)
      await this.deps.slugs.forgetAll('tag', id)
    })
  }

  // The ids of the named tags, creating the missing ones (articles name tags freely).
  // Named by an article, a tag obeys the rules of POST /v1/tags: no bidi overrides.
  async ensure (names: string[]): Promise<number[]> {
    const bad = names.findIndex(hasBidiOverride)
    if (bad !== -1) throw invalid(`tags/${bad}`, 'must not contain bidi override characters')
    const clean = [...new Set(names.map(cleanTagName).filter(n => n !== ''))]
    const now = this.deps.clock()
    const ids: number[] = []
    for (const name of clean) {
      const known = await this.store.idByName(name)
      if (known !== undefined) {
        ids.push(known)
        continue
      }
      const slug = await chooseSlug({ requested: undefined, source: name, fallback: 'tag', what: 'tag', isTaken: async s => await this.slugTaken(s) })
      ids.push((await this.store.insert(slug, name, now)).id)
    }
    return ids
  }

  private async slugTaken (slug: string, exceptId?: number): Promise<boolean> {
    return await this.store.slugTaken(slug, exceptId) || await this.deps.slugs.heldByOther('tag', slug, exceptId)
  }
}

const tagExists = (name: string, existingId: number): Conflict =>
  new Conflict('tag-exists', `A tag named "${name}" already exists: tag ${existingId}`, { existingId })

function toApi (row: TagRow, articleCount: number): Tag {
  return { id: row.id, slug: row.slug, name: row.name, articleCount, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) }
}
