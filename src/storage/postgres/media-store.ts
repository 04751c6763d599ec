import type { MediaStore } from '../../domain/media/media-store.ts'
import type { Attachment, MediaRow } from '../../domain/rows.ts'
import type { MediaRole } from '../../domain/enums.ts'
import type { Sql } from './database.ts'
import { HAS_VIDEO_SQL } from '../sql.ts'

const COLS = `m.id, m.url, m.canonical_url AS "canonicalUrl", m.kind, m.provider, m.embed_url AS "embedUrl", m.title, m.caption, m.alt, m.credit,
  m.thumbnail_url AS "thumbnailUrl", m.duration_seconds AS "durationSeconds", m.width, m.height,
  m.created_at AS "createdAt", m.updated_at AS "updatedAt"`

const SETTABLE: Record<string, string> = {
  url: 'url',
  canonicalUrl: 'canonical_url',
  kind: 'kind',
  provider: 'provider',
  embedUrl: 'embed_url',
  title: 'title',
  caption: 'caption',
  alt: 'alt',
  credit: 'credit',
  thumbnailUrl: 'thumbnail_url',
  durationSeconds: 'duration_seconds',
  width: 'width',
  height: 'height'
}

export function pgMediaStore (sql: Sql): MediaStore {
  return {
    list: async (f) => await sql.rows<MediaRow>(`SELECT ${COLS} FROM media m
      WHERE (@kind::text IS NULL OR m.kind = @kind) AND (@provider::text IS NULL OR m.provider = @provider)
        AND (@article::bigint IS NULL OR m.id IN (SELECT am.media_id FROM article_media am JOIN articles a ON a.id = am.article_id
          WHERE am.article_id = @article AND (@editor::boolean OR (a.deleted_at IS NULL AND a.status <> 'draft' AND a.published_at <= @now))))
        AND (@beforeId::bigint IS NULL OR m.id < @beforeId)
      ORDER BY m.id DESC LIMIT @limit`, {
      kind: f.kind, provider: f.provider, article: f.article, beforeId: f.beforeId, limit: f.limit, now: f.now, editor: !f.publicOnly
    }),
    byId: async (id) => await sql.one<MediaRow>(`SELECT ${COLS} FROM media m WHERE m.id = @id`, { id }),
    idByUrl: async (url) => await sql.value<number>('SELECT id FROM media WHERE url = @url', { url }),
    idByCanonicalUrl: async (canonicalUrl) => await sql.value<number>('SELECT id FROM media WHERE canonical_url = @canonicalUrl', { canonicalUrl }),
    insert: async (row, now) => await sql.value<number>(`INSERT INTO media (url, canonical_url, kind, provider, embed_url, title, caption, alt, credit,
        thumbnail_url, duration_seconds, width, height, created_at, updated_at)
      VALUES (@url, @canonicalUrl, @kind, @provider, @embedUrl, @title, @caption, @alt, @credit,
        @thumbnailUrl, @durationSeconds, @width, @height, @now, @now) RETURNING id`, { ...row, now }) as number,
    update: async (id, set, at) => {
      const names = Object.keys(set).filter(n => (set as Record<string, unknown>)[n] !== undefined)
      const assignments = [...names.map(n => `${SETTABLE[n]} = @${n}`), 'updated_at = @at']
      return await sql.one<MediaRow>(`UPDATE media m SET ${assignments.join(', ')} WHERE m.id = @id RETURNING ${COLS}`, { ...set, at, id }) as MediaRow
    },
    delete: async (id) => await sql.run('DELETE FROM media WHERE id = @id', { id }) === 1,
    attachedTo: async (articleIds) => await sql.rows<MediaRow & { articleId: number, role: MediaRole, position: number }>(`SELECT ${COLS},
        am.article_id AS "articleId", am.role, am.position
      FROM article_media am JOIN media m ON m.id = am.media_id
      WHERE am.article_id = ANY(@ids::bigint[]) ORDER BY am.article_id, am.position, m.id`, { ids: articleIds }),
    articlesShowing: async (mediaId) => await sql.column<number>('SELECT article_id FROM article_media WHERE media_id = @mediaId', { mediaId }),
    attachments: async (articleId) => await sql.rows<Attachment>(`SELECT media_id AS "mediaId", role, position FROM article_media
      WHERE article_id = @articleId ORDER BY position, media_id`, { articleId }),
    setAttachments: async (articleId, items) => {
      await sql.run('DELETE FROM article_media WHERE article_id = @articleId', { articleId })
      if (items.length > 0) {
        await sql.run(`INSERT INTO article_media (article_id, media_id, role, position)
          SELECT @articleId, m, r, p FROM unnest(@media::bigint[], @roles::text[], @positions::bigint[]) AS x(m, r, p)`, {
          articleId, media: items.map(i => i.mediaId), roles: items.map(i => i.role), positions: items.map(i => i.position)
        })
      }
      await sql.run(`${HAS_VIDEO_SQL} WHERE id = @articleId`, { articleId })
    },
    refreshArticles: async (articleIds, at) => {
      if (articleIds.length > 0) await sql.run(`${HAS_VIDEO_SQL}, version = version + 1, updated_at = @at WHERE id = ANY(@ids::bigint[])`, { at, ids: articleIds })
    }
  }
}
