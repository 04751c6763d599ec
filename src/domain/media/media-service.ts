import type { AttachedMedia, Media, MediaCreate, MediaPatch } from '../shapes/media.ts'
import type { MediaKind, MediaProvider } from '../enums.ts'
import type { MediaRow } from '../rows.ts'
import type { Storage } from '../storage.ts'
import type { NewMedia } from './media-store.ts'
import { Conflict, NotFound, invalid } from '../errors.ts'
import { parseMediaUrl, deriveProvider, inferKind } from './providers.ts'
import { iso, type Clock } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'

// `editor`: the caller has a key. Without one, `article` must name an article the public
// may read (as GET /v1/articles/{id}/media): drafts, scheduled and trashed ones do not exist.
export interface MediaListQuery { kind?: MediaKind, provider?: MediaProvider, article?: number, limit: number, cursor?: string, editor?: boolean }

export class MediaService {
  constructor (private readonly deps: { storage: Storage, clock: Clock }) {}

  private get store (): Storage['media'] {
    return this.deps.storage.media
  }

  async list (q: MediaListQuery): Promise<{ data: Media[], nextCursor: string | null }> {
    const beforeId = q.cursor === undefined ? undefined : decodeCursor(q.cursor, '-id').id
    const rows = await this.store.list({
      kind: q.kind, provider: q.provider, article: q.article, beforeId, limit: q.limit + 1, publicOnly: q.editor !== true, now: this.deps.clock()
    })
    const page = rows.slice(0, q.limit)
    const last = page[page.length - 1]
    return { data: page.map(toApi), nextCursor: rows.length > q.limit ? encodeCursor('-id', last.id, last.id) : null }
  }

  async get (id: number): Promise<Media> {
    const row = await this.store.byId(id)
    if (row === undefined) throw new NotFound(`Media ${id}`)
    return toApi(row)
  }

  async exists (id: number): Promise<boolean> {
    return await this.store.byId(id) !== undefined
  }

  // The item with this URL, as stored (normalised), if there is one.
  async idByUrl (url: string): Promise<number | undefined> {
    return await this.store.idByUrl(url)
  }

  // The media attached to each of the given articles, in order.
  async attachedTo (articleIds: number[]): Promise<Map<number, AttachedMedia[]>> {
    const out = new Map<number, AttachedMedia[]>()
    for (const row of await this.store.attachedTo(articleIds)) {
      const { articleId, role, position, ...item } = row
      let list = out.get(articleId)
      if (list === undefined) out.set(articleId, list = [])
      list.push({ ...toApi(item), role, position })
    }
    return out
  }

  async create (input: MediaCreate): Promise<Media> {
    return await this.get(await this.createId(input))
  }

  // Creates the item and returns its id (create() without reading it back, for imports).
  async createId (input: MediaCreate): Promise<number> {
    const derived = derive(input.url, 'url')
    const thumbnailUrl = input.thumbnailUrl == null ? null : derive(input.thumbnailUrl, 'thumbnailUrl').url
    const existing = await this.store.idByUrl(derived.url)
    if (existing !== undefined) throw new Conflict('media-exists', `This URL is already media ${existing}`)
    return await this.store.insert({
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
      height: input.height ?? null
    }, this.deps.clock())
  }

  async update (id: number, input: MediaPatch): Promise<Media> {
    if (await this.store.byId(id) === undefined) throw new NotFound(`Media ${id}`)
    const changes: Partial<NewMedia> = {}
    if (input.url !== undefined) {
      const derived = derive(input.url, 'url')
      const clash = await this.store.idByUrl(derived.url)
      if (clash !== undefined && clash !== id) throw new Conflict('media-exists', `This URL is already media ${clash}`)
      Object.assign(changes, { url: derived.url, provider: derived.provider, embedUrl: derived.embedUrl })
    }
    if (input.thumbnailUrl !== undefined) {
      changes.thumbnailUrl = input.thumbnailUrl === null ? null : derive(input.thumbnailUrl, 'thumbnailUrl').url
    }
    for (const key of ['kind', 'title', 'caption', 'alt', 'credit', 'durationSeconds', 'width', 'height'] as const) {
      if (input[key] !== undefined) (changes as Record<string, unknown>)[key] = input[key]
    }
    const now = this.deps.clock()
    const row = await this.deps.storage.transaction(async () => {
      const updated = await this.store.update(id, changes, now)
      // The articles showing this item changed too: their hasVideo, and what include=media returns.
      await this.store.refreshArticles(await this.store.articlesShowing(id), now)
      return updated
    })
    return toApi(row)
  }

  async delete (id: number): Promise<void> {
    await this.deps.storage.transaction(async () => {
      const affected = await this.store.articlesShowing(id)
      if (!await this.store.delete(id)) throw new NotFound(`Media ${id}`)
      await this.store.refreshArticles(affected, this.deps.clock())
    })
  }
}

function derive (raw: string, field: string): { url: string, provider: MediaProvider, embedUrl: string | null, kind: MediaKind } {
  const url = parseMediaUrl(raw)
  if (url === null) throw invalid(field, 'must be an absolute http or https URL')
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
