import { and, eq, ne } from 'drizzle-orm'
import type { CountedTag, TagStore } from '../../domain/taxonomy/tag-store.ts'
import type { TagRow } from '../../domain/rows.ts'
import type { Connection } from './database.ts'
import { tags } from './schema.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

const COUNT_SQL = `(SELECT count(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
  WHERE at.tag_id = t.id AND ${PUBLIC_VISIBLE_SQL})`

interface PageParams { after: string | number | null, afterId: number, limit: number, now: number }

export function sqliteTagStore ({ db, sqlite }: Connection): TagStore {
  const cols = 't.id, t.slug, t.name, t.created_at AS createdAt, t.updated_at AS updatedAt'
  const byName = sqlite.prepare<[PageParams], CountedTag>(`SELECT ${cols}, ${COUNT_SQL} AS articleCount FROM tags t
    WHERE (@after IS NULL OR (t.name, t.id) > (@after, @afterId)) ORDER BY t.name, t.id LIMIT @limit`)
  const byCount = sqlite.prepare<[PageParams], CountedTag>(`SELECT * FROM (SELECT ${cols}, ${COUNT_SQL} AS articleCount FROM tags t)
    WHERE (@after IS NULL OR (articleCount, id) < (@after, @afterId)) ORDER BY articleCount DESC, id DESC LIMIT @limit`)
  const countOne = sqlite.prepare<[{ id: number, now: number }], number>(`SELECT ${COUNT_SQL} AS n FROM tags t WHERE t.id = @id`).pluck()
  // Prepared once: every article write names its tags.
  const idByName = sqlite.prepare<[string], number>('SELECT id FROM tags WHERE name = ?').pluck()
  const insert = sqlite.prepare<[string, string, number, number], TagRow>(`INSERT INTO tags (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)
    RETURNING id, slug, name, created_at AS createdAt, updated_at AS updatedAt`)
  const touchArticles = sqlite.prepare<[{ id: number, now: number }]>(`UPDATE articles SET version = version + 1, updated_at = @now
    WHERE id IN (SELECT article_id FROM article_tags WHERE tag_id = @id)`)
  return {
    page: async (sort, after, afterId, limit, now) => (sort === '-articleCount' ? byCount : byName).all({ after, afterId, limit, now }),
    byId: async (id) => db.select().from(tags).where(eq(tags.id, id)).get(),
    bySlug: async (slug) => db.select().from(tags).where(eq(tags.slug, slug)).get(),
    byName: async (name) => db.select().from(tags).where(eq(tags.name, name)).get(),
    idByName: async (name) => idByName.get(name),
    publicCount: async (id, now) => countOne.get({ id, now }) as number,
    slugTaken: async (slug, exceptId) => {
      const where = exceptId === undefined ? eq(tags.slug, slug) : and(eq(tags.slug, slug), ne(tags.id, exceptId))
      return db.select({ id: tags.id }).from(tags).where(where).get() !== undefined
    },
    insert: async (slug, name, at) => insert.get(slug, name, at, at) as TagRow,
    update: async (id, set) => db.update(tags).set(set).where(eq(tags.id, id)).returning().get() as TagRow,
    touchArticles: async (id, now) => { touchArticles.run({ id, now }) },
    delete: async (id) => db.delete(tags).where(eq(tags.id, id)).run().changes === 1
  }
}
