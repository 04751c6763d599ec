import { eq, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../storage/sqlite/database.ts'
import { media, type MediaRow } from '../../storage/sqlite/schema.ts'
import type { AttachedMedia, Media, MediaCreate, MediaPatch } from '../shapes/media.ts'
import { conflict, invalidField, notFound } from '../errors.ts'
import { parseMediaUrl, deriveProvider, inferKind } from './providers.ts'
import { iso, type Clock } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'

// `editor`: the caller has a key. Without one, `article` must name an article the public
// may read (as GET /v1/articles/{id}/media): drafts, scheduled and trashed ones do not exist.
export interface MediaListQuery { kind?: string, provider?: string, article?: number, limit: number, cursor?: string, editor?: boolean }

// Recomputes articles.has_video for the articles a media item is attached to.
export const HAS_VIDEO_SQL = `UPDATE articles SET has_video = EXISTS (
  SELECT 1 FROM article_media am JOIN media m ON m.id = am.media_id WHERE am.article_id = articles.id AND m.kind = 'video')`

export class MediaService {
  private readonly listStmt: Database.Statement
  private readonly attachedStmt: Database.Statement<[string], MediaRow & { articleId: number, role: AttachedMedia['role'], position: number }>
  private readonly refreshForMedia: Database.Statement<[{ mediaId: number, now: number }]>
  private readonly idByUrl: Database.Statement<[string], number>
  private readonly insertRow: Database.Statement<[Record<string, string | number | null>]>

  constructor (private readonly db: Db, private readonly sqlite: Database.Database, private readonly clock: Clock) {
    const cols = `m.id, m.url, m.kind, m.provider, m.embed_url AS embedUrl, m.title, m.caption, m.alt, m.credit,
      m.thumbnail_url AS thumbnailUrl, m.duration_seconds AS durationSeconds, m.width, m.height,
      m.created_at AS createdAt, m.updated_at AS updatedAt`
    this.listStmt = sqlite.prepare(`SELECT ${cols} FROM media m
      WHERE (@kind IS NULL OR m.kind = @kind) AND (@provider IS NULL OR m.provider = @provider)
        AND (@article IS NULL OR m.id IN (SELECT am.media_id FROM article_media am JOIN articles a ON a.id = am.article_id
          WHERE am.article_id = @article AND (@editor = 1 OR (a.deleted_at IS NULL AND a.status <> 'draft' AND a.published_at <= @now))))
        AND (@afterId IS NULL OR m.id < @afterId)
      ORDER BY m.id DESC LIMIT @limit`)
    this.attachedStmt = sqlite.prepare(`SELECT ${cols}, am.article_id AS articleId, am.role, am.position
      FROM article_media am JOIN media m ON m.id = am.media_id
      WHERE am.article_id IN (SELECT value FROM json_each(?)) ORDER BY am.article_id, am.position, m.id`)
    this.idByUrl = sqlite.prepare('SELECT id FROM media WHERE url = ?').pluck() as Database.Statement<[string], number>
    // Prepared once: imports create an item per line.
    this.insertRow = sqlite.prepare(`INSERT INTO media (url, kind, provider, embed_url, title, caption, alt, credit,
        thumbnail_url, duration_seconds, width, height, created_at, updated_at)
      VALUES (@url, @kind, @provider, @embedUrl, @title, @caption, @alt, @credit,
        @thumbnailUrl, @durationSeconds, @width, @height, @now, @now)`)
    this.refreshForMedia = sqlite.prepare(`${HAS_VIDEO_SQL}, version = version + 1, updated_at = @now
      WHERE id IN (SELECT article_id FROM article_media WHERE media_id = @mediaId)`)
  }

  list (q: MediaListQuery): { data: Media[], nextCursor: string | null } {
    const afterId = q.cursor === undefined ? null : decodeCursor(q.cursor, '-id').id
    const rows = this.listStmt.all({
      kind: q.kind ?? null, provider: q.provider ?? null, article: q.article ?? null, afterId, limit: q.limit + 1, editor: q.editor === true ? 1 : 0, now: this.clock()
    }) as MediaRow[]
    const page = rows.slice(0, q.limit)
    const last = page[page.length - 1]
    return { data: page.map(toApi), nextCursor: rows.length > q.limit ? encodeCursor('-id', last.id, last.id) : null }
  }

  get (id: number): Media {
    const row = this.db.select().from(media).where(eq(media.id, id)).get()
    if (row === undefined) throw notFound(`Media ${id}`)
    return toApi(row)
  }

  exists (id: number): boolean {
    return this.db.select({ id: media.id }).from(media).where(eq(media.id, id)).get() !== undefined
  }

  // The media attached to each of the given articles, in order.
  attachedTo (articleIds: number[]): Map<number, AttachedMedia[]> {
    const out = new Map<number, AttachedMedia[]>()
    for (const row of this.attachedStmt.all(JSON.stringify(articleIds))) {
      const { articleId, role, position, ...item } = row
      let list = out.get(articleId)
      if (list === undefined) out.set(articleId, list = [])
      list.push({ ...toApi(item), role, position })
    }
    return out
  }

  create (input: MediaCreate): Media {
    return this.get(this.createId(input))
  }

  // Creates the item and returns its id (create() without reading it back, for imports).
  createId (input: MediaCreate): number {
    const derived = derive(input.url, '/body/url')
    const thumbnailUrl = input.thumbnailUrl == null ? null : derive(input.thumbnailUrl, '/body/thumbnailUrl').url
    const existing = this.idByUrl.get(derived.url)
    if (existing !== undefined) throw conflict('media-exists', `This URL is already media ${existing}`)
    return Number(this.insertRow.run({
      url: derived.url,
      kind: input.kind ?? derived.kind,
      provider: derived.provider,
      embedUrl: derived.embedUrl,
      title: input.title ?? null,
      caption: input.caption ?? null,
      alt: input.alt ?? null,
      credit: input.credit ?? null,
      thumbnailUrl,
      durationSeconds: input.durationSeconds ?? null,
      width: input.width ?? null,
      height: input.height ?? null,
      now: this.clock()
    }).lastInsertRowid)
  }

  update (id: number, input: MediaPatch): Media {
    const current = this.db.select().from(media).where(eq(media.id, id)).get()
    if (current === undefined) throw notFound(`Media ${id}`)
    const changes: Partial<MediaRow> = {}
    if (input.url !== undefined) {
      const derived = derive(input.url, '/body/url')
      const clash = this.db.select({ id: media.id }).from(media).where(eq(media.url, derived.url)).get()
      if (clash !== undefined && clash.id !== id) throw conflict('media-exists', `This URL is already media ${clash.id}`)
      Object.assign(changes, { url: derived.url, provider: derived.provider, embedUrl: derived.embedUrl })
    }
    if (input.thumbnailUrl !== undefined) {
      changes.thumbnailUrl = input.thumbnailUrl === null ? null : derive(input.thumbnailUrl, '/body/thumbnailUrl').url
    }
    for (const key of ['kind', 'title', 'caption', 'alt', 'credit', 'durationSeconds', 'width', 'height'] as const) {
      if (input[key] !== undefined) (changes as any)[key] = input[key]
    }
    const now = this.clock()
    const row = this.sqlite.transaction(() => {
      const updated = this.db.update(media).set({ ...changes, updatedAt: now }).where(eq(media.id, id)).returning().get()
      // The articles showing this item changed too: their hasVideo, and what include=media returns.
      this.refreshForMedia.run({ mediaId: id, now })
      return updated
    })()
    return toApi(row)
  }

  delete (id: number): void {
    this.sqlite.transaction(() => {
      const affected = this.db.all<{ id: number }>(sql`SELECT article_id AS id FROM article_media WHERE media_id = ${id}`).map(r => r.id)
      const res = this.db.delete(media).where(eq(media.id, id)).run()
      if (res.changes === 0) throw notFound(`Media ${id}`)
      if (affected.length > 0) {
        this.sqlite.prepare(`${HAS_VIDEO_SQL}, version = version + 1, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))`)
          .run(this.clock(), JSON.stringify(affected))
      }
    })()
  }
}

function derive (raw: string, path: string): { url: string, provider: Media['provider'], embedUrl: string | null, kind: Media['kind'] } {
  const url = parseMediaUrl(raw)
  if (url === null) throw invalidField(path, 'must be an absolute http or https URL')
  const info = deriveProvider(url)
  return { url: url.href, provider: info.provider, embedUrl: info.embedUrl, kind: inferKind(url, info.provider) }
}

function toApi (row: MediaRow): Media {
  return {
    id: row.id,
    url: row.url,
    kind: row.kind,
    provider: row.provider,
    embedUrl: row.embedUrl,
    title: row.title,
    caption: row.caption,
    alt: row.alt,
    credit: row.credit,
    thumbnailUrl: row.thumbnailUrl,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt)
  }
}
