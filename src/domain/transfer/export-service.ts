import type { ArticleImport } from '../shapes/transfer.ts'
import type { Storage } from '../storage.ts'
import type { MediaService } from '../media/media-service.ts'
import { toInput } from '../articles/article-rows.ts'

// GET /v1/export and `khabar export`: every article not in the trash, by id, as the
// lines POST /v1/import takes back (importing them again changes nothing). Read a
// page at a time, each page a query of its own: nothing is held open between
// pages, so a slow reader never keeps a transaction (or the whole archive) around.
export class ExportService {
  constructor (private readonly deps: { storage: Storage, media: MediaService }) {}

  // NDJSON lines, each ending in a newline; `since` in ms (updatedAt at or after it).
  async * lines (since: number | null = null, pageSize = 200): AsyncGenerator<string> {
    let after = 0
    for (;;) {
      const rows = await this.deps.storage.exports.page(after, since, pageSize)
      if (rows.length === 0) return
      const ids = rows.map(r => r.id)
      const tags = await this.deps.storage.articles.tagsFor(ids)
      const categoryIds = [...new Set(rows.map(r => r.categoryId).filter((id): id is number => id !== null))]
      const slugs = new Map((await this.deps.storage.categories.refs(categoryIds)).map(c => [c.id, c.slug]))
      const media = await this.deps.media.attachedTo(ids)
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
