import type { Category, CategoryCreate, CategoryPatch } from '../shapes/taxonomy.ts'
import type { CategoryRef } from '../shapes/articles.ts'
import type { CategoryRow } from '../rows.ts'
import type { Storage } from '../storage.ts'
import { Conflict, NotFound, invalid } from '../errors.ts'
import { chooseSlug, parseIdOrSlug } from '../slugs/choose-slug.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import { iso, type Clock } from '../clock.ts'
import { checkName, cleanName } from './names.ts'

export class CategoryService {
  constructor (private readonly deps: { storage: Storage, clock: Clock, slugs: SlugHistory }) {}

  private get store (): Storage['categories'] {
    return this.deps.storage.categories
  }

  async list (tree: boolean): Promise<Category[]> {
    const rows = await this.store.all()
    const counts = await this.store.publicCounts(this.deps.clock())
    const all = rows.map(r => toApi(r, counts.get(r.id) ?? 0))
    if (!tree) return all
    const byId = new Map(all.map(c => [c.id, { ...c, children: [] as Category[] }]))
    const roots: Category[] = []
    for (const c of byId.values()) {
      const parent = c.parentId === null ? undefined : byId.get(c.parentId)
      if (parent === undefined) roots.push(c)
      else parent.children.push(c)
    }
    return roots
  }

  async get (idOrSlug: string): Promise<Category> {
    const row = await this.find(idOrSlug)
    if (row === undefined) throw await this.deps.slugs.missing('category', idOrSlug, async id => (await this.store.byId(id))?.slug, 'Category')
    return toApi(row, await this.countOf(row.id))
  }

  async find (idOrSlug: string): Promise<CategoryRow | undefined> {
    const key = parseIdOrSlug(idOrSlug)
    return 'id' in key ? await this.store.byId(key.id) : await this.store.bySlug(key.slug)
  }

  // The id of the category named `name` (as cleanName compares) directly under
  // `parentId` (null: the top level), other than `exceptId`. The first, should there be
  // two from before names were unique.
  async named (name: string, parentId: number | null, exceptId?: number): Promise<number | undefined> {
    const wanted = cleanName(name)
    return (await this.store.children(parentId)).find(c => c.id !== exceptId && cleanName(c.name) === wanted)?.id
  }

  async refs (ids: number[]): Promise<CategoryRef[]> {
    return await this.store.refs(ids)
  }

  // The category and every category below it, for filters that include subcategories.
  async subtreeIds (id: number): Promise<number[]> {
    return await this.store.subtreeIds(id)
  }

  async create (input: CategoryCreate): Promise<Category> {
    const name = checkName(input.name)
    const parentId = input.parentId ?? null
    if (parentId !== null) await this.requireParent(parentId)
    const now = this.deps.clock()
    const row = await this.deps.storage.transaction(async () => {
      await this.refuseSibling(name, parentId)
      const slug = await chooseSlug({ requested: input.slug, source: name, fallback: 'category', what: 'category', isTaken: async s => await this.slugTaken(s) })
      return await this.store.insert({
        slug,
        name,
        description: input.description ?? null,
        parentId,
        position: input.position ?? 0,
        createdAt: now,
        updatedAt: now
      })
    })
    return toApi(row, 0)
  }

  async update (id: number, input: CategoryPatch): Promise<Category> {
    const current = await this.store.byId(id)
    if (current === undefined) throw new NotFound(`Category ${id}`)
    const name = input.name === undefined ? current.name : checkName(input.name)
    const parentId = input.parentId === undefined ? current.parentId : input.parentId
    if (input.parentId != null) {
      await this.requireParent(input.parentId)
      if ((await this.subtreeIds(id)).includes(input.parentId)) {
        throw new Conflict('category-cycle', `Category ${input.parentId} is ${id} or below it: the tree would have a cycle`)
      }
    }
    const slug = input.slug === undefined || input.slug === current.slug
      ? current.slug
      : await chooseSlug({ requested: input.slug, source: '', fallback: 'category', what: 'category', isTaken: async s => await this.slugTaken(s, id) })
    const row = await this.deps.storage.transaction(async () => {
      // Only a rename or a move is checked, so two categories that shared a name before
      // the rule can still be changed otherwise (and one renamed apart).
      if (cleanName(name) !== cleanName(current.name) || parentId !== current.parentId) await this.refuseSibling(cleanName(name), parentId, id)
      const updated = await this.store.update(id, {
        slug,
        name,
        description: input.description === undefined ? current.description : input.description,
        parentId,
        position: input.position ?? current.position,
        updatedAt: this.deps.clock()
      })
      await this.deps.slugs.moved('category', id, current.slug, slug)
      return updated
    })
    return toApi(row, await this.countOf(id))
  }

  // Articles in any state count: a draft must not point at a category that is gone.
  async delete (id: number, reassignTo: number | undefined): Promise<void> {
    if (await this.store.byId(id) === undefined) throw new NotFound(`Category ${id}`)
    if (await this.store.hasChildren(id)) throw new Conflict('category-has-children', `Category ${id} has subcategories; move or delete them first`)
    if (reassignTo === id) throw invalid('reassignTo', 'must be another category')
    if (reassignTo !== undefined && await this.store.byId(reassignTo) === undefined) {
      throw invalid('reassignTo', `category ${reassignTo} does not exist`)
    }
    await this.deps.storage.transaction(async () => {
      if (await this.store.hasArticles(id)) {
        if (reassignTo === undefined) throw new Conflict('category-not-empty', `Category ${id} still has articles; pass ?reassignTo=ID to move them`)
        await this.store.moveArticles(id, reassignTo, this.deps.clock())
      }
      await this.store.delete(id)
      await this.deps.slugs.forgetAll('category', id)
    })
  }

  // A category's name is unique among its siblings (the top level counts as one parent),
  // compared as tags compare theirs (cleanName). Checked here, not by an index: databases
  // from before the rule may hold such pairs, and a migration must not fail on them.
  private async refuseSibling (name: string, parentId: number | null, self?: number): Promise<void> {
    const clash = await this.named(name, parentId, self)
    if (clash === undefined) return
    const where = parentId === null ? 'at the top level' : `under category ${parentId}`
    throw new Conflict('category-exists', `A category named "${name}" already exists ${where}: category ${clash}`, { existingId: clash })
  }

  private async requireParent (parentId: number): Promise<void> {
    if (await this.store.byId(parentId) === undefined) throw invalid('parentId', `category ${parentId} does not exist`)
  }

  private async slugTaken (slug: string, exceptId?: number): Promise<boolean> {
    return await this.store.slugTaken(slug, exceptId) || await this.deps.slugs.heldByOther('category', slug, exceptId)
  }

  private async countOf (id: number): Promise<number> {
    return (await this.store.publicCounts(this.deps.clock())).get(id) ?? 0
  }
}

function toApi (row: CategoryRow, articleCount: number): Category {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    parentId: row.parentId,
    position: row.position,
    articleCount,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt)
  }
}
