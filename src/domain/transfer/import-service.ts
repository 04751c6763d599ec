import { createHash } from 'node:crypto'
import { ArticleImportSchema, type ArticleImport, type ImportMediaItem, type ImportResult } from '../shapes/transfer.ts'
import type { ArticleInput } from '../shapes/articles.ts'
import type { MediaAttach } from '../shapes/media.ts'
import { compileShape } from '../shapes/validate.ts'
import { NUL_MESSAGE, nulPath } from '../shapes/nul.ts'
import type { Storage } from '../storage.ts'
import { Conflict, DomainError, Invalid, invalid, nestedIn } from '../errors.ts'
import { canonicalMediaUrl, parseMediaUrl } from '../media/providers.ts'
import { slugify, normalizeSlugInput, MAX_SLUG_LENGTH } from '../../text/index.ts'
import type { ArticleService } from '../articles/article-service.ts'
import { articleDefaults } from '../articles/article-rows.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { MediaService } from '../media/media-service.ts'
import type { SlugHistory } from '../slugs/slug-history.ts'
import type { PendingIndex, SearchService } from '../search/search-service.ts'
import type { ImportTarget } from './transfer-store.ts'
import { ndjsonLines, type ByteSource } from './ndjson.ts'

export interface ImportOptions {
  dryRun?: boolean
  // A batch is one transaction; each line in it is a savepoint of its own.
  batchLines?: number
  batchBytes?: number
  maxLineBytes?: number
  maxErrors?: number
  // Committed articles are indexed for search once this many are waiting, and at the end.
  indexEvery?: number
  // Called after each batch with the lines read so far.
  // Awaited: the next batch waits for it.
  onBatch?: (linesRead: number, result: ImportResult) => void | Promise<void>
}

// A batch holds the event loop while it is written: at about 0.5 ms an article on a
// 2-core machine, 100 lines keep every other request waiting some 50 ms, and committing
// per 100 rather than per 1,000 costs little in WAL mode (a commit does not sync) once the
// search index is written apart, 1,000 articles at a time (bench/RESULTS.md, "Import").
export const IMPORT_DEFAULTS = { batchLines: 100, batchBytes: 4 * 1024 * 1024, maxLineBytes: 2 * 1024 * 1024, maxErrors: 100, indexEvery: 1000 }

type Outcome = 'created' | 'updated' | 'unchanged'
type LineError = ImportResult['errors'][number]['errors'][number]
interface Pending { line: number, input: ArticleImport, hash: string }

const ROLLBACK = Symbol('dry run')
const DIGITS_ONLY = /^[0-9]+$/

export interface ImportServiceOptions {
  storage: Storage
  articles: ArticleService
  categories: CategoryService
  media: MediaService
  slugs: SlugHistory
  search: SearchService
}

// POST /v1/import and `khabar import`: NDJSON lines upserted through the article,
// media and taxonomy services, so every rule of POST /v1/articles applies and search
// stays in sync. The stream is read between batches, never inside one: a batch is one
// transaction, and each line in it a nested one (a savepoint), so a line that fails
// leaves nothing behind and its neighbours are kept.
export class ImportService {
  // A line is checked exactly as the body of POST /v1/articles is.
  private readonly validate = compileShape<ArticleImport>(ArticleImportSchema)

  constructor (private readonly deps: ImportServiceOptions) {}

  private get store (): Storage['imports'] {
    return this.deps.storage.imports
  }

  async run (source: ByteSource, options: ImportOptions = {}): Promise<ImportResult> {
    const opts = { ...IMPORT_DEFAULTS, ...options }
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [], moreErrors: 0, dryRun: opts.dryRun === true }
    const fail = (line: number, errors: LineError[]): void => {
      result.failed++
      result.errors.push({ line, errors })
      // Lines fail in reading order and at commit: keep the lowest line numbers.
      if (result.errors.length > opts.maxErrors) {
        result.errors.sort((a, b) => a.line - b.line).pop()
        result.moreErrors++
      }
    }
    let batch: Pending[] = []
    let batchBytes = 0
    let linesRead = 0
    // The committed articles the search index has yet to take, indexed a thousand or so at
    // a time (SearchService.indexPending), and whatever is left when the import ends, however
    // it ends. Until then a search may miss them; a crash in between is mended at the next
    // start (SearchService.catchUp).
    const toIndex: PendingIndex = new Map()
    const flush = async (): Promise<void> => {
      await this.commit(batch, result, fail, result.dryRun, toIndex)
      batch = []
      batchBytes = 0
      if (toIndex.size >= opts.indexEvery) {
        await this.deps.search.indexPending(toIndex)
        toIndex.clear()
      }
      await opts.onBatch?.(linesRead, result)
    }
    try {
      for await (const raw of ndjsonLines(source, opts.maxLineBytes)) {
        linesRead = raw.line
        if ('error' in raw) {
          fail(raw.line, [{ path: '', message: raw.error }])
          continue
        }
        // A line already imported, byte for byte, into an article nobody has changed since:
        // the answer is known without parsing it (a re-import of a whole archive).
        const hash = createHash('sha256').update(raw.text).digest('base64')
        if (await this.store.alreadyImported(hash)) {
          result.unchanged++
          continue
        }
        const parsed = this.parse(raw.text)
        if ('errors' in parsed) {
          fail(raw.line, parsed.errors)
          continue
        }
        batch.push({ line: raw.line, input: parsed.input, hash })
        batchBytes += raw.bytes
        if (batch.length >= opts.batchLines || batchBytes >= opts.batchBytes) {
          await flush()
          // A stream that is ahead of the import never makes the loop wait for I/O, so the
          // batches would follow each other without a break: let other requests in.
          await new Promise(resolve => setImmediate(resolve))
        }
      }
      if (batch.length > 0) await flush()
    } finally {
      if (toIndex.size > 0) await this.deps.search.indexPending(toIndex)
    }
    result.errors.sort((a, b) => a.line - b.line)
    return result
  }

  private parse (text: string): { input: ArticleImport } | { errors: LineError[] } {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (err) {
      return { errors: [{ path: '', message: `is not JSON: ${(err as Error).message}` }] }
    }
    const nul = nulPath(data)
    if (nul !== undefined) return { errors: [{ path: nul, message: NUL_MESSAGE }] }
    const checked = this.validate(data)
    return 'value' in checked ? { input: checked.value } : checked
  }

  private async commit (batch: Pending[], result: ImportResult, fail: (line: number, errors: LineError[]) => void, dryRun: boolean, toIndex: PendingIndex): Promise<void> {
    // Counted apart and added once the batch is in: a batch that fails as a whole
    // (the disk, not a line) leaves no count behind.
    const tally = { created: 0, updated: 0, unchanged: 0 }
    const failures: Array<[number, LineError[]]> = []
    const pending: PendingIndex = new Map()
    try {
      await this.deps.storage.transaction(async () => {
        for (const { line, input, hash } of batch) {
          // The line's own articles to index, kept only once the line is in.
          const index: PendingIndex = new Map()
          try {
            const { outcome, id } = await this.deps.storage.transaction(async () => await this.upsert(input, hash, index))
            await this.store.remember(id, hash)
            tally[outcome]++
            for (const [id, text] of index) pending.set(id, text)
          } catch (err) {
            failures.push([line, lineErrors(err)])
          }
        }
        if (dryRun) throw ROLLBACK
      })
    } catch (err) {
      if (err !== ROLLBACK) throw err
    }
    if (!dryRun) for (const [id, text] of pending) toIndex.set(id, text)
    result.created += tally.created
    result.updated += tally.updated
    result.unchanged += tally.unchanged
    for (const [line, errors] of failures) fail(line, errors)
  }

  private async upsert (line: ArticleImport, hash: string, index: PendingIndex): Promise<{ outcome: Outcome, id: number }> {
    const existing = await this.find(line, hash)
    const input = await this.articleInput(line)
    const media = await this.resolveMedia(line.media ?? [])
    if (existing === undefined) {
      const id = await this.deps.articles.createRow({ ...input, title: line.title }, { index })
      if (media.length > 0) await this.deps.articles.attachMedia(id, media)
      return { outcome: 'created', id }
    }
    const mediaChanged = !sameMedia(await this.deps.storage.media.attachments(existing.id), media)
    const article = await this.deps.articles.update(existing.id, input, undefined, { index })
    const bumped = article.version !== existing.version
    if (mediaChanged) {
      // One line, one new version: the media ride along with a change of the fields,
      // or make the change themselves through setMedia.
      if (bumped) await this.deps.articles.attachMedia(existing.id, media)
      else await this.deps.articles.setMedia(existing.id, media)
    }
    return { outcome: bumped || mediaChanged ? 'updated' : 'unchanged', id: existing.id }
  }

  // The article the line is about: by externalId, else by slug. A slug held by an
  // article that came from elsewhere (another externalId) is another article.
  private async find (line: ArticleImport, hash: string): Promise<ImportTarget | undefined> {
    if (line.externalId != null) {
      const found = await this.store.byExternalId(line.externalId)
      if (found !== undefined) return found
    }
    // A line that names no article (no externalId, no slug) is the article the same line
    // made before, if any: running a file again never makes its articles twice.
    if (line.slug === undefined) return line.externalId == null ? await this.store.byLineHash(hash) : undefined
    const slug = slugify(normalizeSlugInput(line.slug), MAX_SLUG_LENGTH)
    // A digits-only slug is refused when the article is made; it never names one.
    if (DIGITS_ONLY.test(slug)) return undefined
    const found = await this.store.bySlug(slug)
    if (found !== undefined && line.externalId != null && found.externalId !== null) {
      throw new Conflict('slug-taken', `The slug "${slug}" belongs to article ${found.id}, imported as "${found.externalId}"`)
    }
    return found
  }

  // The whole article as the line describes it: a field left out takes the value
  // POST /v1/articles would give it, so an import makes the article look as if it had
  // been created from the line. slug and externalId identify it and are kept, and
  // publishedAt left out keeps the time it was first published.
  private async articleInput (line: ArticleImport): Promise<ArticleInput> {
    if (line.category !== undefined && line.categoryId !== undefined) {
      throw invalid('category', 'give category or categoryId, not both')
    }
    const { category, media: _media, ...fields } = line
    if (category !== undefined) fields.categoryId = await this.categoryId(category)
    return { ...articleDefaults(), ...fields }
  }

  private async categoryId (slug: string | null): Promise<number | null> {
    if (slug === null) return null
    const clean = slugify(normalizeSlugInput(slug), MAX_SLUG_LENGTH)
    if (clean === '' || DIGITS_ONLY.test(clean)) throw invalid('category', 'must be a slug with at least one letter')
    // A slug the category had before still names it (as GET /v1/categories/{slug} follows
    // it), so an archive exported before a rename imports into the renamed category. Else
    // the top-level category named after the slug is the one meant (names are unique among
    // siblings, and a tag an article names is the existing tag of that name); else a new
    // one is made, named after its slug (which slugify has cleaned of anything a name may
    // not hold) until an editor renames it.
    const name = clean.replace(/-/g, ' ')
    return (await this.deps.categories.find(clean))?.id ?? await this.deps.slugs.resolve('category', clean) ??
      await this.deps.categories.named(name, null) ?? (await this.deps.categories.create({ name, slug: clean })).id
  }

  // The media of a line as attachments, creating the items whose URL is new.
  private async resolveMedia (items: ImportMediaItem[]): Promise<MediaAttach> {
    const seen = new Set<string>()
    let featured = 0
    const out: MediaAttach = []
    for (const [i, item] of items.entries()) {
      const url = parseMediaUrl(item.url)
      if (url === null) throw invalid(`media/${i}/url`, 'must be an absolute http or https URL')
      // youtu.be/ID and youtube.com/watch?v=ID are one item, listed twice.
      const canonical = canonicalMediaUrl(url)
      if (seen.has(canonical)) throw invalid(`media/${i}/url`, 'is listed twice')
      seen.add(canonical)
      const { role = 'inline', position = i, ...fields } = item
      if (role === 'featured' && ++featured > 1) throw invalid(`media/${i}/role`, 'at most one item may be featured')
      let mediaId = await this.deps.media.idByUrl(url)
      if (mediaId === undefined) {
        try {
          mediaId = await this.deps.media.createId(fields)
        } catch (err) {
          throw nestedIn(err, `media/${i}`)
        }
      }
      out.push({ mediaId, role, position })
    }
    return out
  }
}

function sameMedia (current: Array<{ mediaId: number, role: string, position: number }>, wanted: MediaAttach): boolean {
  const key = (m: { mediaId: number, role: string, position?: number }): string => `${m.position as number}:${m.mediaId}:${m.role}`
  const sorted = [...wanted].sort((a, b) => (a.position as number) - (b.position as number) || a.mediaId - b.mediaId)
  return current.length === sorted.length && current.every((m, i) => key(m) === key(sorted[i]))
}

// What a failed line reports, each error pointing into the line (/title, /media/0/url):
// the services' refusals are the line's fault. Anything else (a full disk, a broken
// database) stops the import.
function lineErrors (err: unknown): LineError[] {
  if (err instanceof Invalid) return err.fields.map(f => ({ path: `/${f.field}`.replace(/^\/$/, ''), message: f.message }))
  if (err instanceof DomainError) return [{ path: '', message: err.message }]
  throw err
}
