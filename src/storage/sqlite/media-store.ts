import { eq } from 'drizzle-orm'
import type { MediaFilter, MediaStore } from '../../domain/media/media-store.ts'
import type { Attachment, MediaRow } from '../../domain/rows.ts'
import type { MediaRole } from '../../domain/enums.ts'
import type { Connection } from './database.ts'
import { media } from './schema.ts'
import { HAS_VIDEO_SQL } from '../sql.ts'

type ListParams = Omit<Required<MediaFilter>, 'publicOnly' | 'kind' | 'provider' | 'article' | 'beforeId'> &
  { kind: string | null, provider: string | null, article: number | null, beforeId: number | null, editor: number }

export function sqliteMediaStore ({ db, sqlite }: Connection): MediaStore {
  const cols = `m.id, m.url, m.canonical_url AS canonicalUrl, m.kind, m.provider, m.embed_url AS embedUrl, m.title, m.caption, m.alt, m.credit,
    m.thumbnail_url AS thumbnailUrl, m.duration_seconds AS durationSeconds, m.width, m.height,
    m.created_at AS createdAt, m.updated_at AS updatedAt`
  const list = sqlite.prepare<[ListParams], MediaRow>(`SELECT ${cols} FROM media m
    WHERE (@kind IS NULL OR m.kind = @kind) AND (@provider IS NULL OR m.provider = @provider)
      AND (@article IS NULL OR m.id IN (SELECT am.media_id FROM article_media am JOIN articles a ON a.id = am.article_id
        WHERE am.article_id = @article AND (@editor = 1 OR (a.deleted_at IS NULL AND a.status <> 'draft' AND a.published_at <= @now))))
      AND (@beforeId IS NULL OR m.id < @beforeId)
    ORDER BY m.id DESC LIMIT @limit`)
  const attached = sqlite.prepare<[string], MediaRow & { articleId: number, role: MediaRole, position: number }>(`SELECT ${cols},
      am.article_id AS articleId, am.role, am.position
    FROM article_media am JOIN media m ON m.id = am.media_id
    WHERE am.article_id IN (SELECT value FROM json_each(?)) ORDER BY am.article_id, am.position, m.id`)
  const idByUrl = sqlite.prepare<[string], number>('SELECT id FROM media WHERE url = ?').pluck()
  const idByCanonicalUrl = sqlite.prepare<[string], number>('SELECT id FROM media WHERE canonical_url = ?').pluck()
  // Prepared once: imports create an item per line.
  const insert = sqlite.prepare(`INSERT INTO media (url, canonical_url, kind, provider, embed_url, title, caption, alt, credit,
      thumbnail_url, duration_seconds, width, height, created_at, updated_at)
    VALUES (@url, @canonicalUrl, @kind, @provider, @embedUrl, @title, @caption, @alt, @credit,
      @thumbnailUrl, @durationSeconds, @width, @height, @now, @now)`)
  const showing = sqlite.prepare<[number], number>('SELECT article_id FROM article_media WHERE media_id = ?').pluck()
  const attachments = sqlite.prepare<[number], Attachment>('SELECT media_id AS mediaId, role, position FROM article_media WHERE article_id = ? ORDER BY position, media_id')
  const detachAll = sqlite.prepare<[number]>('DELETE FROM article_media WHERE article_id = ?')
  const attachOne = sqlite.prepare<[number, number, string, number]>('INSERT INTO article_media (article_id, media_id, role, position) VALUES (?, ?, ?, ?)')
  const refreshHasVideo = sqlite.prepare<[number]>(`${HAS_VIDEO_SQL} WHERE id = ?`)
  const refreshArticles = sqlite.prepare<[number, string]>(`${HAS_VIDEO_SQL}, version = version + 1, updated_at = ?
    WHERE id IN (SELECT value FROM json_each(?))`)
  return {
    list: async (f) => list.all({
      kind: f.kind ?? null, provider: f.provider ?? null, article: f.article ?? null, beforeId: f.beforeId ?? null, limit: f.limit, now: f.now, editor: f.publicOnly ? 0 : 1
    }),
    byId: async (id) => db.select().from(media).where(eq(media.id, id)).get(),
    idByUrl: async (url) => idByUrl.get(url),
    idByCanonicalUrl: async (canonicalUrl) => idByCanonicalUrl.get(canonicalUrl),
    insert: async (row, now) => Number(insert.run({ ...row, now }).lastInsertRowid),
    update: async (id, set, at) => db.update(media).set({ ...set, updatedAt: at }).where(eq(media.id, id)).returning().get() as MediaRow,
    delete: async (id) => db.delete(media).where(eq(media.id, id)).run().changes === 1,
    attachedTo: async (articleIds) => attached.all(JSON.stringify(articleIds)),
    articlesShowing: async (mediaId) => showing.all(mediaId),
    attachments: async (articleId) => attachments.all(articleId),
    setAttachments: async (articleId, items) => {
      detachAll.run(articleId)
      for (const m of items) attachOne.run(articleId, m.mediaId, m.role, m.position)
      refreshHasVideo.run(articleId)
    },
    refreshArticles: async (articleIds, at) => {
      if (articleIds.length > 0) refreshArticles.run(at, JSON.stringify(articleIds))
    }
  }
}
