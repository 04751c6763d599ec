import type Database from 'better-sqlite3'
import type { ArticleImport } from '../shapes/transfer.ts'
import type { MediaService } from '../media/media-service.ts'
import { FULL_COLUMNS, toInput, type RawArticle } from '../articles/article-rows.ts'

// GET /v1/export and `khabar export`: every article not in the trash, by id, as the
// lines POST /v1/import takes back (importing them again changes nothing). Read a
// page at a time, each page a statement of its own: nothing is held open between
// pages, so a slow reader never keeps a transaction (or the whole archive) around.
export class ExportService {
  private readonly page: Database.Statement<[{ after: number, since: number | null, limit: number }], RawArticle>
  private readonly tagsOf: Database.Statement<[string], { articleId: number, name: string }>
  private readonly categorySlugs: Database.Statement<[string], { id: number, slug: string }>

  constructor (sqlite: Database.Database, private readonly media: MediaService) {
    this.page = sqlite.prepare(`SELECT ${FULL_COLUMNS} FROM articles a
      WHERE a.deleted_at IS NULL AND a.id > @after AND (@since IS NULL OR a.updated_at >= @since)
      ORDER BY a.id LIMIT @limit`)
    this.tagsOf = sqlite.prepare(`SELECT at.article_id AS articleId, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
      WHERE at.article_id IN (SELECT value FROM json_each(?)) ORDER BY at.article_id, at.position, t.id`)
    this.categorySlugs = sqlite.prepare('SELECT id, slug FROM categories WHERE id IN (SELECT value FROM json_each(?))')
  }

  // NDJSON lines, each ending in a newline; `since` in ms (updatedAt at or after it).
  * lines (since: number | null = null, pageSize = 200): Generator<string> {
    let after = 0
    for (;;) {
      const rows = this.page.all({ after, since, limit: pageSize })
      if (rows.length === 0) return
      const ids = rows.map(r => r.id)
      const tags = new Map<number, string[]>()
      for (const { articleId, name } of this.tagsOf.all(JSON.stringify(ids))) {
        tags.set(articleId, [...(tags.get(articleId) ?? []), name])
      }
      const categoryIds = [...new Set(rows.map(r => r.categoryId))]
      const slugs = new Map(this.categorySlugs.all(JSON.stringify(categoryIds)).map(c => [c.id, c.slug]))
      const media = this.media.attachedTo(ids)
      for (const row of rows) {
        const line: Required<Omit<ArticleImport, 'categoryId'>> = {
          ...toInput(row, tags.get(row.id) ?? []),
          category: row.categoryId === null ? null : slugs.get(row.categoryId) as string,
          media: (media.get(row.id) ?? []).map(m => ({
            url: m.url,
            kind: m.kind,
            title: m.title,
            caption: m.caption,
            alt: m.alt,
            credit: m.credit,
            thumbnailUrl: m.thumbnailUrl,
            durationSeconds: m.durationSeconds,
            width: m.width,
            height: m.height,
            role: m.role,
            position: m.position
          }))
        }
        yield JSON.stringify(line) + '\n'
      }
      after = rows[rows.length - 1].id
    }
  }
}
