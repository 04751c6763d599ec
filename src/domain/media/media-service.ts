import type { AttachedMedia, Media, MediaCreate, MediaPatch } from '../shapes/media.ts'
import type { MediaKind, MediaProvider } from '../enums.ts'
import type { MediaRow } from '../rows.ts'
import type { Storage } from '../storage.ts'
import type { NewMedia } from './media-store.ts'
import { Conflict, NotFound, invalid } from '../errors.ts'
import { parseMediaUrl, deriveProvider, inferKind, canonicalMediaUrl, derivedThumbnail } from './providers.ts'
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

  // The item this URL shows (by its canonical form, see canonicalMediaUrl), if there is one.
  async idByUrl (url: URL): Promise<number | undefined> {
    return await this.store.idByCanonicalUrl(canonicalMediaUrl(url)) ?? await this.store.idByUrl(url.href)
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
    const kind = input.kind ?? derived.kind
    // Absent, the thumbnail is derived; null says there is none.
    const thumbnailUrl = input.thumbnailUrl === undefined
      ? derivedThumbnail(derived.parsed, kind)
      : input.thumbnailUrl === null ? null : httpUrl(input.thumbnailUrl, 'thumbnailUrl')
    await this.refuseDuplicate(derived)
    return await this.store.insert({
      url: derived.url,
      canonicalUrl: derived.canonicalUrl,
      kind,
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
    const current = await this.store.byId(id)
    if (current === undefined) throw new NotFound(`Media ${id}`)
    const changes: Partial<NewMedia> = {}
    let shown = new URL(current.url)
    // The URL the item has already is no change (and no clash: an item stored twice
    // before there were canonical URLs, left without one, keeps its own).
    const derived = input.url === undefined ? undefined : derive(input.url, 'url')
    if (derived !== undefined && derived.url !== current.url) {
      await this.refuseDuplicate(derived, id)
      Object.assign(changes, { url: derived.url, canonicalUrl: derived.canonicalUrl, provider: derived.provider, embedUrl: derived.embedUrl })
      shown = derived.parsed
    }
    if (input.thumbnailUrl !== undefined) {
      changes.thumbnailUrl = input.thumbnailUrl === null ? null : httpUrl(input.thumbnailUrl, 'thumbnailUrl')
    } else if (changes.url !== undefined || (input.kind !== undefined && input.kind !== current.kind)) {
      // A derived thumbnail follows the URL and kind; one the client gave (or cleared) stays.
      if (current.thumbnailUrl === derivedThumbnail(new URL(current.url), current.kind)) {
        changes.thumbnailUrl = derivedThumbnail(shown, input.kind ?? current.kind)
      }
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

  // One item per thing shown: a URL whose canonical form another item has is refused,
  // naming that item. So is one that another item has as it is, which only an item
  // stored twice before canonical URLs can (it was left without one).
  private async refuseDuplicate (derived: Derived, self?: number): Promise<void> {
    for (const holder of [await this.store.idByCanonicalUrl(derived.canonicalUrl), await this.store.idByUrl(derived.url)]) {
      if (holder !== undefined && holder !== self) {
        throw new Conflict('media-exists', `Media ${holder} already links to this item (${derived.canonicalUrl})`, { existingId: holder })
      }
    }
  }

  async delete (id: number): Promise<void> {
    await this.deps.storage.transaction(async () => {
      const affected = await this.store.articlesShowing(id)
      if (!await this.store.delete(id)) throw new NotFound(`Media ${id}`)
      await this.store.refreshArticles(affected, this.deps.clock())
    })
  }
}

interface Derived { url: string, parsed: URL, canonicalUrl: string, provider: MediaProvider, embedUrl: string | null, kind: MediaKind }

function derive (raw: string, field: string): Derived {
  const url = parseMediaUrl(raw)
  if (url === null) throw invalid(field, 'must be an absolute http or https URL')
  const info = deriveProvider(url)
  return { url: url.href, parsed: url, canonicalUrl: canonicalMediaUrl(url), provider: info.provider, embedUrl: info.embedUrl, kind: inferKind(url, info.provider) }
}

function httpUrl (raw: string, field: string): string {
  const url = parseMediaUrl(raw)
  if (url === null) throw invalid(field, 'must be an absolute http or https URL')
  return url.href
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
