import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import type { CategoryRef } from '../../domain/shapes/articles.ts'
import type { CategoryStore } from '../../domain/taxonomy/category-store.ts'
import type { Connection } from './database.ts'
import { articles, categories } from './schema.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

export function sqliteCategoryStore ({ db, sqlite }: Connection): CategoryStore {
  // Prepared once: an import looks a category up on every line.
  const byId = db.select().from(categories).where(eq(categories.id, sql.placeholder('id'))).prepare()
  const bySlug = db.select().from(categories).where(eq(categories.slug, sql.placeholder('slug'))).prepare()
  const counts = sqlite.prepare<[{ now: number }], { categoryId: number, n: number }>(`SELECT category_id AS categoryId, count(*) AS n
    FROM articles a WHERE ${PUBLIC_VISIBLE_SQL} AND category_id IS NOT NULL GROUP BY category_id`)
  const subtree = sqlite.prepare<[number], number>(`WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
    SELECT id FROM sub`).pluck()
  const refs = sqlite.prepare<[string], CategoryRef>('SELECT id, slug, name, parent_id AS parentId FROM categories WHERE id IN (SELECT value FROM json_each(?))')
  return {
    all: async () => db.select().from(categories).orderBy(categories.position, categories.id).all(),
    byId: async (id) => byId.get({ id }),
    bySlug: async (slug) => bySlug.get({ slug }),
    refs: async (ids) => refs.all(JSON.stringify(ids)),
    publicCounts: async (now) => new Map(counts.all({ now }).map(r => [r.categoryId, r.n])),
    subtreeIds: async (id) => subtree.all(id),
    children: async (parentId) => db.select().from(categories).where(parentId === null ? isNull(categories.parentId) : eq(categories.parentId, parentId)).all(),
    hasChildren: async (id) => db.select({ id: categories.id }).from(categories).where(eq(categories.parentId, id)).get() !== undefined,
    slugTaken: async (slug, exceptId) => {
      const where = exceptId === undefined ? eq(categories.slug, slug) : and(eq(categories.slug, slug), ne(categories.id, exceptId))
      return db.select({ id: categories.id }).from(categories).where(where).get() !== undefined
    },
    hasArticles: async (id) => db.select({ id: articles.id }).from(articles).where(eq(articles.categoryId, id)).limit(1).get() !== undefined,
    moveArticles: async (from, to, at) => {
      db.update(articles).set({ categoryId: to, version: sql`${articles.version} + 1`, updatedAt: at }).where(eq(articles.categoryId, from)).run()
    },
    insert: async (row) => db.insert(categories).values(row).returning().get(),
    update: async (id, set) => db.update(categories).set(set).where(eq(categories.id, id)).returning().get() as Awaited<ReturnType<CategoryStore['insert']>>,
    delete: async (id) => { db.delete(categories).where(eq(categories.id, id)).run() }
  }
}
