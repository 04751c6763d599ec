import type { CategoryRef } from '../../domain/shapes/articles.ts'
import type { CategoryStore } from '../../domain/taxonomy/category-store.ts'
import type { CountedTag, TagStore } from '../../domain/taxonomy/tag-store.ts'
import type { CategoryRow, TagRow } from '../../domain/rows.ts'
import type { Sql } from './database.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

const CATEGORY = 'id, slug, name, description, parent_id AS "parentId", position, created_at AS "createdAt", updated_at AS "updatedAt"'

export function pgCategoryStore (sql: Sql): CategoryStore {
  return {
    all: async () => await sql.rows<CategoryRow>(`SELECT ${CATEGORY} FROM categories ORDER BY position, id`),
    byId: async (id) => await sql.one<CategoryRow>(`SELECT ${CATEGORY} FROM categories WHERE id = @id`, { id }),
    bySlug: async (slug) => await sql.one<CategoryRow>(`SELECT ${CATEGORY} FROM categories WHERE slug = @slug`, { slug }),
    refs: async (ids) => await sql.rows<CategoryRef>('SELECT id, slug, name, parent_id AS "parentId" FROM categories WHERE id = ANY(@ids::bigint[])', { ids }),
    publicCounts: async (now) => {
      const rows = await sql.rows<{ categoryId: number, n: number }>(`SELECT category_id AS "categoryId", count(*) AS n
        FROM articles a WHERE ${PUBLIC_VISIBLE_SQL} AND category_id IS NOT NULL GROUP BY category_id`, { now })
      return new Map(rows.map(r => [r.categoryId, r.n]))
    },
    subtreeIds: async (id) => await sql.column<number>(`WITH RECURSIVE sub(id) AS (SELECT @id::bigint UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
      SELECT id FROM sub`, { id }),
    children: async (parentId) => parentId === null
      ? await sql.rows<CategoryRow>(`SELECT ${CATEGORY} FROM categories WHERE parent_id IS NULL ORDER BY id`)
      : await sql.rows<CategoryRow>(`SELECT ${CATEGORY} FROM categories WHERE parent_id = @parentId ORDER BY id`, { parentId }),
    hasChildren: async (id) => await sql.value('SELECT 1 FROM categories WHERE parent_id = @id LIMIT 1', { id }) !== undefined,
    slugTaken: async (slug, exceptId) => await sql.value('SELECT 1 FROM categories WHERE slug = @slug AND id <> @exceptId', { slug, exceptId: exceptId ?? 0 }) !== undefined,
    hasArticles: async (id) => await sql.value('SELECT 1 FROM articles WHERE category_id = @id LIMIT 1', { id }) !== undefined,
    moveArticles: async (from, to, at) => {
      await sql.run('UPDATE articles SET category_id = @to, version = version + 1, updated_at = @at WHERE category_id = @from', { from, to, at })
    },
    insert: async (row) => await sql.one<CategoryRow>(`INSERT INTO categories (slug, name, description, parent_id, position, created_at, updated_at)
      VALUES (@slug, @name, @description, @parentId, @position, @createdAt, @updatedAt) RETURNING ${CATEGORY}`, row as unknown as Record<string, unknown>) as CategoryRow,
    update: async (id, set) => await sql.one<CategoryRow>(`UPDATE categories SET slug = @slug, name = @name, description = @description,
      parent_id = @parentId, position = @position, updated_at = @updatedAt WHERE id = @id RETURNING ${CATEGORY}`, { ...set, id }) as CategoryRow,
    delete: async (id) => { await sql.run('DELETE FROM categories WHERE id = @id', { id }) }
  }
}

const TAG = 't.id, t.slug, t.name, t.created_at AS "createdAt", t.updated_at AS "updatedAt"'
const COUNT_SQL = `(SELECT count(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
  WHERE at.tag_id = t.id AND ${PUBLIC_VISIBLE_SQL})`

export function pgTagStore (sql: Sql): TagStore {
  // Names sort by code point (COLLATE "C"), as SQLite sorts them, whatever the database's
  // collation: the keyset cursor of the list depends on the order.
  const byName = `SELECT ${TAG}, ${COUNT_SQL} AS "articleCount" FROM tags t
    WHERE (@after::text IS NULL OR (t.name COLLATE "C", t.id) > (@after::text COLLATE "C", @afterId::bigint)) ORDER BY t.name COLLATE "C", t.id LIMIT @limit`
  const byCount = `SELECT * FROM (SELECT ${TAG}, ${COUNT_SQL} AS "articleCount" FROM tags t) x
    WHERE (@after::bigint IS NULL OR ("articleCount", id) < (@after::bigint, @afterId::bigint)) ORDER BY "articleCount" DESC, id DESC LIMIT @limit`
  const one = (where: string): string => `SELECT ${TAG} FROM tags t WHERE ${where}`
  return {
    page: async (sort, after, afterId, limit, now) => await sql.rows<CountedTag>(sort === '-articleCount' ? byCount : byName, { after, afterId, limit, now }),
    byId: async (id) => await sql.one<TagRow>(one('t.id = @id'), { id }),
    bySlug: async (slug) => await sql.one<TagRow>(one('t.slug = @slug'), { slug }),
    byName: async (name) => await sql.one<TagRow>(one('t.name = @name'), { name }),
    idByName: async (name) => await sql.value<number>('SELECT id FROM tags WHERE name = @name', { name }),
    publicCount: async (id, now) => await sql.value<number>(`SELECT ${COUNT_SQL} FROM tags t WHERE t.id = @id`, { id, now }) as number,
    slugTaken: async (slug, exceptId) => await sql.value('SELECT 1 FROM tags WHERE slug = @slug AND id <> @exceptId', { slug, exceptId: exceptId ?? 0 }) !== undefined,
    insert: async (slug, name, at) => await sql.one<TagRow>(`INSERT INTO tags AS t (slug, name, created_at, updated_at) VALUES (@slug, @name, @at, @at)
      RETURNING ${TAG}`, { slug, name, at }) as TagRow,
    update: async (id, set) => await sql.one<TagRow>(`UPDATE tags AS t SET name = @name, slug = @slug, updated_at = @updatedAt WHERE id = @id
      RETURNING ${TAG}`, { ...set, id }) as TagRow,
    touchArticles: async (id, now) => {
      await sql.run('UPDATE articles SET version = version + 1, updated_at = @now WHERE id IN (SELECT article_id FROM article_tags WHERE tag_id = @id)', { id, now })
    },
    delete: async (id) => await sql.run('DELETE FROM tags WHERE id = @id', { id }) === 1
  }
}
