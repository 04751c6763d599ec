import { and, eq, ne, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../storage/sqlite/database.ts'
import { categories, articles, type CategoryRow } from '../../storage/sqlite/schema.ts'
import type { Category, CategoryCreate, CategoryPatch } from '../shapes/taxonomy.ts'
import { conflict, invalidField, notFound } from '../errors.ts'
import { hasBidiOverride } from '../../text/index.ts'
import { chooseSlug, parseIdOrSlug } from '../slugs/choose-slug.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import { iso, type Clock } from '../clock.ts'
import { PUBLIC_VISIBLE_SQL } from '../articles/visibility.ts'

export class CategoryService {
  private readonly counts: Database.Statement<[{ now: number }], { categoryId: number, n: number }>
  private readonly subtree: Database.Statement<[number], { id: number }>

  // Prepared once: an import looks a category up on every line.
  private readonly byId
  private readonly bySlug

  constructor (private readonly db: Db, sqlite: Database.Database, private readonly clock: Clock, private readonly slugs: SlugHistory) {
    this.byId = db.select().from(categories).where(eq(categories.id, sql.placeholder('id'))).prepare()
    this.bySlug = db.select().from(categories).where(eq(categories.slug, sql.placeholder('slug'))).prepare()
    this.counts = sqlite.prepare(`SELECT category_id AS categoryId, count(*) AS n FROM articles a
      WHERE ${PUBLIC_VISIBLE_SQL} AND category_id IS NOT NULL GROUP BY category_id`)
    this.subtree = sqlite.prepare(`WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
      SELECT id FROM sub`)
  }

  list (tree: boolean): Category[] {
    const rows = this.db.select().from(categories).orderBy(categories.position, categories.id).all()
    const counts = this.articleCounts()
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

  get (idOrSlug: string): Category {
    const row = this.find(idOrSlug)
    if (row === undefined) throw this.slugs.missing('category', idOrSlug, id => this.db.select({ slug: categories.slug }).from(categories).where(eq(categories.id, id)).get()?.slug, 'Category')
    return toApi(row, this.articleCounts().get(row.id) ?? 0)
  }

  find (idOrSlug: string): CategoryRow | undefined {
    const key = parseIdOrSlug(idOrSlug)
    return 'id' in key ? this.byId.get({ id: key.id }) : this.bySlug.get({ slug: key.slug })
  }

  // The category and every category below it, for filters that include subcategories.
  subtreeIds (id: number): number[] {
    return this.subtree.all(id).map(r => r.id)
  }

  create (input: CategoryCreate): Category {
    checkName(input.name)
    if (input.parentId != null) this.requireParent(input.parentId)
    const now = this.clock()
    const slug = chooseSlug({ requested: input.slug, source: input.name, fallback: 'category', what: 'category', isTaken: s => this.slugTaken(s) })
    const row = this.db.insert(categories).values({
      slug,
      name: input.name,
      description: input.description ?? null,
      parentId: input.parentId ?? null,
      position: input.position ?? 0,
      createdAt: now,
      updatedAt: now
    }).returning().get()
    return toApi(row, 0)
  }

  update (id: number, input: CategoryPatch): Category {
    const current = this.db.select().from(categories).where(eq(categories.id, id)).get()
    if (current === undefined) throw notFound(`Category ${id}`)
    if (input.name !== undefined) checkName(input.name)
    if (input.parentId != null) {
      this.requireParent(input.parentId)
      if (this.subtreeIds(id).includes(input.parentId)) {
        throw conflict('category-cycle', `Category ${input.parentId} is ${id} or below it: the tree would have a cycle`)
      }
    }
    const slug = input.slug === undefined || input.slug === current.slug
      ? current.slug
      : chooseSlug({ requested: input.slug, source: '', fallback: 'category', what: 'category', isTaken: s => this.slugTaken(s, id) })
    const row = this.db.update(categories).set({
      slug,
      name: input.name ?? current.name,
      description: input.description === undefined ? current.description : input.description,
      parentId: input.parentId === undefined ? current.parentId : input.parentId,
      position: input.position ?? current.position,
      updatedAt: this.clock()
    }).where(eq(categories.id, id)).returning().get()
    this.slugs.moved('category', id, current.slug, slug)
    return toApi(row, this.articleCounts().get(id) ?? 0)
  }

  // Articles in any state count: a draft must not point at a category that is gone.
  delete (id: number, reassignTo: number | undefined): void {
    const current = this.db.select().from(categories).where(eq(categories.id, id)).get()
    if (current === undefined) throw notFound(`Category ${id}`)
    const child = this.db.select({ id: categories.id }).from(categories).where(eq(categories.parentId, id)).get()
    if (child !== undefined) throw conflict('category-has-children', `Category ${id} has subcategories; move or delete them first`)
    if (reassignTo === id) throw invalidField('/querystring/reassignTo', 'must be another category')
    if (reassignTo !== undefined && this.db.select({ id: categories.id }).from(categories).where(eq(categories.id, reassignTo)).get() === undefined) {
      throw invalidField('/querystring/reassignTo', `category ${reassignTo} does not exist`)
    }
    this.db.transaction((tx) => {
      const used = tx.select({ id: articles.id }).from(articles).where(eq(articles.categoryId, id)).limit(1).get()
      if (used !== undefined) {
        if (reassignTo === undefined) throw conflict('category-not-empty', `Category ${id} still has articles; pass ?reassignTo=ID to move them`)
        tx.update(articles).set({ categoryId: reassignTo, version: sql`${articles.version} + 1`, updatedAt: this.clock() })
          .where(eq(articles.categoryId, id)).run()
      }
      tx.delete(categories).where(eq(categories.id, id)).run()
      this.slugs.forgetAll('category', id)
    })
  }

  private requireParent (parentId: number): void {
    const parent = this.db.select({ id: categories.id }).from(categories).where(eq(categories.id, parentId)).get()
    if (parent === undefined) throw invalidField('/body/parentId', `category ${parentId} does not exist`)
  }

  private slugTaken (slug: string, exceptId?: number): boolean {
    const where = exceptId === undefined ? eq(categories.slug, slug) : and(eq(categories.slug, slug), ne(categories.id, exceptId))
    return this.db.select({ id: categories.id }).from(categories).where(where).get() !== undefined ||
      this.slugs.heldByOther('category', slug, exceptId)
  }

  private articleCounts (): Map<number, number> {
    return new Map(this.counts.all({ now: this.clock() }).map(r => [r.categoryId, r.n]))
  }
}

function checkName (name: string): void {
  if (hasBidiOverride(name)) throw invalidField('/body/name', 'must not contain bidi override characters')
  if (name.trim() === '') throw invalidField('/body/name', 'must not be blank')
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
