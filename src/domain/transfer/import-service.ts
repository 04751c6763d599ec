import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AjvCompiler } from '@fastify/ajv-compiler'
import { sharedSchemas } from '../../http/schemas/index.ts'
import { ArticleImportSchema, type ArticleImport, type ImportMediaItem, type ImportResult } from '../shapes/transfer.ts'
import type { ArticleInput } from '../shapes/articles.ts'
import type { MediaAttach } from '../shapes/media.ts'
import { HttpProblem, conflict, invalidField, type ProblemItem } from '../errors.ts'
import { ajvCustomOptions } from '../../http/options.ts'
import { parseMediaUrl } from '../media/providers.ts'
import { slugify, normalizeSlugInput, MAX_SLUG_LENGTH } from '../../text/index.ts'
import { HAS_VIDEO_SQL } from '../media/media-service.ts'
import type { Services } from '../../http/plugins/services.ts'
import type { PendingIndex } from '../search/search-service.ts'
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
  onBatch?: (linesRead: number, result: ImportResult) => void
}

// A batch runs synchronously and holds the event loop while it does: at about 0.5 ms an
// article on a 2-core machine, 100 lines keep every other request waiting some 50 ms, and
// committing per 100 rather than per 1,000 costs little in WAL mode (a commit does not
// sync) once the search index is written apart, 1,000 articles at a time
// (bench/RESULTS.md, "Import").
export const IMPORT_DEFAULTS = { batchLines: 100, batchBytes: 4 * 1024 * 1024, maxLineBytes: 2 * 1024 * 1024, maxErrors: 100, indexEvery: 1000 }

type Outcome = 'created' | 'updated' | 'unchanged'
interface Pending { line: number, input: ArticleImport, hash: string }
interface Validate { (data: unknown): boolean, errors?: Array<{ instancePath: string, message?: string, params: Record<string, unknown> }> | null }
interface Existing { id: number, version: number, externalId: string | null }

const ROLLBACK = Symbol('dry run')
const DIGITS_ONLY = /^[0-9]+$/

// POST /v1/import and `khabar import`: NDJSON lines upserted through the article,
// media and taxonomy services, so every rule of POST /v1/articles applies and search
// stays in sync. A batch runs synchronously in one transaction, never across an
// await: the app shares one connection, and a request served while a batch waited
// for the network would otherwise write inside it.
export class ImportService {
  private readonly validate: Validate
  private readonly byExternalId: Database.Statement<[string], Existing>
  private readonly bySlug: Database.Statement<[string], Existing>
  private readonly mediaByUrl: Database.Statement<[string], number>
  private readonly attachedOf: Database.Statement<[number], { mediaId: number, role: string, position: number }>
  private readonly detachAll: Database.Statement<[number]>
  private readonly attachOne: Database.Statement<[number, number, string, number]>
  private readonly refreshHasVideo: Database.Statement<[number]>
  private readonly upsertLine: (input: ArticleImport, hash: string) => { outcome: Outcome, id: number }
  private readonly byLineHash: Database.Statement<[string], Existing>
  private readonly alreadyImported: Database.Statement<[string], number>
  private readonly remember: Database.Statement<[{ id: number, hash: string }]>

  constructor (private readonly sqlite: Database.Database, private readonly services: Services) {
    // The app's own ajv settings (unknown fields refused, no coercion of body values)
    // over the shared schemas, so a line is checked exactly as POST /v1/articles is.
    const compile = AjvCompiler()(sharedSchemas as any, { customOptions: { ...ajvCustomOptions, coerceTypes: false } })
    this.validate = compile({ schema: ArticleImportSchema, method: 'POST', url: '/v1/import', httpPart: 'body' }) as Validate
    const cols = 'id, version, external_id AS externalId'
    this.byExternalId = sqlite.prepare(`SELECT ${cols} FROM articles WHERE external_id = ?`)
    this.bySlug = sqlite.prepare(`SELECT ${cols} FROM articles WHERE slug = ?`)
    this.byLineHash = sqlite.prepare(`SELECT ${cols} FROM articles WHERE id = (SELECT article_id FROM import_state WHERE line_hash = ? LIMIT 1)`)
    this.mediaByUrl = sqlite.prepare('SELECT id FROM media WHERE url = ?').pluck() as Database.Statement<[string], number>
    this.attachedOf = sqlite.prepare('SELECT media_id AS mediaId, role, position FROM article_media WHERE article_id = ? ORDER BY position, media_id')
    this.detachAll = sqlite.prepare('DELETE FROM article_media WHERE article_id = ?')
    this.attachOne = sqlite.prepare('INSERT INTO article_media (article_id, media_id, role, position) VALUES (?, ?, ?, ?)')
    this.refreshHasVideo = sqlite.prepare(`${HAS_VIDEO_SQL} WHERE id = ?`)
    // A row of import_state is deleted when its article's version moves (migration 0006).
    this.alreadyImported = sqlite.prepare(`SELECT article_id FROM import_state
      WHERE line_hash = ? AND epoch = (SELECT value FROM catalog_epoch WHERE id = 1) LIMIT 1`).pluck() as Database.Statement<[string], number>
    this.remember = sqlite.prepare(`INSERT INTO import_state (article_id, line_hash, version, epoch)
      SELECT @id, @hash, a.version, (SELECT value FROM catalog_epoch WHERE id = 1) FROM articles a WHERE a.id = @id
      ON CONFLICT (article_id) DO UPDATE SET line_hash = excluded.line_hash, version = excluded.version, epoch = excluded.epoch`)
    // Called inside the batch's transaction, this is a savepoint: a line that fails
    // leaves nothing behind, and its neighbours are kept.
    this.upsertLine = sqlite.transaction((input: ArticleImport, hash: string) => this.upsert(input, hash))
  }

  async run (source: ByteSource, options: ImportOptions = {}): Promise<ImportResult> {
    const opts = { ...IMPORT_DEFAULTS, ...options }
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [], moreErrors: 0, dryRun: opts.dryRun === true }
    const fail = (line: number, errors: ProblemItem[]): void => {
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
    // a time (see SearchService.collect), and whatever is left when the import ends, however
    // it ends. Until then a search may miss them; a crash in between is mended at the next
    // start (indexStale).
    const toIndex: PendingIndex = new Map()
    const flush = (): void => {
      this.commit(batch, result, fail, result.dryRun, toIndex)
      batch = []
      batchBytes = 0
      if (toIndex.size >= opts.indexEvery) {
        this.services.search.indexPending(toIndex)
        toIndex.clear()
      }
      opts.onBatch?.(linesRead, result)
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
        if (this.alreadyImported.get(hash) !== undefined) {
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
          flush()
          // A stream that is ahead of the import never makes the loop wait for I/O, so the
          // batches would follow each other without a break: let other requests in.
          await new Promise(resolve => setImmediate(resolve))
        }
      }
      if (batch.length > 0) flush()
    } finally {
      if (toIndex.size > 0) this.services.search.indexPending(toIndex)
    }
    result.errors.sort((a, b) => a.line - b.line)
    return result
  }

  private parse (text: string): { input: ArticleImport } | { errors: ProblemItem[] } {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (err) {
      return { errors: [{ path: '', message: `is not JSON: ${(err as Error).message}` }] }
    }
    if (this.validate(data)) return { input: data as ArticleImport }
    return {
      // ajv sets errors, each with a message, whenever it returns false.
      errors: (this.validate.errors as NonNullable<Validate['errors']>).map(e => {
        // A required or unknown property points at itself rather than at its parent.
        const name = e.params.missingProperty ?? e.params.additionalProperty
        return { path: `${e.instancePath}${typeof name === 'string' ? `/${name}` : ''}`, message: e.message as string }
      })
    }
  }

  private commit (batch: Pending[], result: ImportResult, fail: (line: number, errors: ProblemItem[]) => void, dryRun: boolean, toIndex: PendingIndex): void {
    // Counted apart and added once the batch is in: a batch that fails as a whole
    // (the disk, not a line) leaves no count behind.
    const tally = { created: 0, updated: 0, unchanged: 0 }
    const failures: Array<[number, ProblemItem[]]> = []
    try {
      this.sqlite.transaction(() => {
        const pending = this.services.search.collect(() => {
          for (const { line, input, hash } of batch) {
            try {
              const { outcome, id } = this.upsertLine(input, hash)
              this.remember.run({ id, hash })
              tally[outcome]++
            } catch (err) {
              failures.push([line, lineErrors(err)])
            }
          }
        })
        if (dryRun) throw ROLLBACK
        for (const [id, text] of pending) toIndex.set(id, text)
      })()
    } catch (err) {
      if (err !== ROLLBACK) throw err
    }
    result.created += tally.created
    result.updated += tally.updated
    result.unchanged += tally.unchanged
    for (const [line, errors] of failures) fail(line, errors)
  }

  private upsert (line: ArticleImport, hash: string): { outcome: Outcome, id: number } {
    const { articles } = this.services
    const existing = this.find(line, hash)
    const input = this.articleInput(line)
    const media = this.resolveMedia(line.media ?? [])
    if (existing === undefined) {
      const id = articles.createRow({ ...input, title: line.title })
      if (media.length > 0) this.attach(id, media)
      return { outcome: 'created', id }
    }
    const mediaChanged = !sameMedia(this.attachedOf.all(existing.id), media)
    const article = articles.update(existing.id, input, undefined)
    const bumped = article.version !== existing.version
    if (mediaChanged) {
      // One line, one new version: the media ride along with a change of the fields,
      // or make the change themselves through setMedia.
      if (bumped) this.attach(existing.id, media)
      else articles.setMedia(existing.id, media)
    }
    return { outcome: bumped || mediaChanged ? 'updated' : 'unchanged', id: existing.id }
  }

  // The article the line is about: by externalId, else by slug. A slug held by an
  // article that came from elsewhere (another externalId) is another article.
  private find (line: ArticleImport, hash: string): Existing | undefined {
    if (line.externalId != null) {
      const found = this.byExternalId.get(line.externalId)
      if (found !== undefined) return found
    }
    // A line that names no article (no externalId, no slug) is the article the same line
    // made before, if any: running a file again never makes its articles twice.
    if (line.slug === undefined) return line.externalId == null ? this.byLineHash.get(hash) : undefined
    const slug = slugify(normalizeSlugInput(line.slug), MAX_SLUG_LENGTH)
    // A digits-only slug is refused when the article is made; it never names one.
    if (DIGITS_ONLY.test(slug)) return undefined
    const found = this.bySlug.get(slug)
    if (found !== undefined && line.externalId != null && found.externalId !== null) {
      throw conflict('slug-taken', `The slug "${slug}" belongs to article ${found.id}, imported as "${found.externalId}"`)
    }
    return found
  }

  // The whole article as the line describes it: a field left out takes the value
  // POST /v1/articles would give it, so an import makes the article look as if it had
  // been created from the line. slug and externalId identify it and are kept, and
  // publishedAt left out keeps the time it was first published.
  private articleInput (line: ArticleImport): ArticleInput {
    if (line.category !== undefined && line.categoryId !== undefined) {
      throw invalidField('/category', 'give category or categoryId, not both')
    }
    const input: ArticleInput = {
      title: line.title,
      subtitle: line.subtitle ?? null,
      excerpt: line.excerpt ?? null,
      body: line.body ?? '',
      lang: line.lang ?? 'ar',
      status: line.status ?? 'draft',
      categoryId: line.category === undefined ? line.categoryId ?? null : this.categoryId(line.category),
      tags: line.tags ?? [],
      author: line.author ?? null,
      source: line.source ?? null,
      breaking: line.breaking ?? false,
      commentCount: line.commentCount ?? 0
    }
    if (line.publishedAt !== undefined) input.publishedAt = line.publishedAt
    if (line.slug !== undefined) input.slug = line.slug
    if (line.externalId !== undefined) input.externalId = line.externalId
    return input
  }

  private categoryId (slug: string | null): number | null {
    if (slug === null) return null
    const { categories } = this.services
    const clean = slugify(normalizeSlugInput(slug), MAX_SLUG_LENGTH)
    if (clean === '' || DIGITS_ONLY.test(clean)) throw invalidField('/category', 'must be a slug with at least one letter')
    // A slug the category had before still names it (as GET /v1/categories/{slug} follows
    // it), so an archive exported before a rename imports into the renamed category. A
    // new one is named after its slug (which slugify has cleaned of anything a name may
    // not hold) until an editor renames it.
    return categories.find(clean)?.id ?? this.services.slugs.resolve('category', clean) ??
      categories.create({ name: clean.replace(/-/g, ' '), slug: clean }).id
  }

  // The media of a line as attachments, creating the items whose URL is new.
  private resolveMedia (items: ImportMediaItem[]): MediaAttach {
    const seen = new Set<string>()
    let featured = 0
    return items.map((item, i) => {
      const url = parseMediaUrl(item.url)
      if (url === null) throw invalidField(`/media/${i}/url`, 'must be an absolute http or https URL')
      if (seen.has(url.href)) throw invalidField(`/media/${i}/url`, 'is listed twice')
      seen.add(url.href)
      const { role = 'inline', position = i, ...fields } = item
      if (role === 'featured' && ++featured > 1) throw invalidField(`/media/${i}/role`, 'at most one item may be featured')
      let mediaId = this.mediaByUrl.get(url.href)
      if (mediaId === undefined) {
        try {
          mediaId = this.services.media.createId(fields)
        } catch (err) {
          throw rebase(err, `/media/${i}`)
        }
      }
      return { mediaId, role, position }
    })
  }

  private attach (articleId: number, media: MediaAttach): void {
    this.detachAll.run(articleId)
    for (const m of media) this.attachOne.run(articleId, m.mediaId, m.role, m.position as number)
    this.refreshHasVideo.run(articleId)
  }
}

function sameMedia (current: Array<{ mediaId: number, role: string, position: number }>, wanted: MediaAttach): boolean {
  const key = (m: { mediaId: number, role: string, position?: number }): string => `${m.position as number}:${m.mediaId}:${m.role}`
  const sorted = [...wanted].sort((a, b) => (a.position as number) - (b.position as number) || a.mediaId - b.mediaId)
  return current.length === sorted.length && current.every((m, i) => key(m) === key(sorted[i]))
}

// A service error points into a request body (/body/title); a line's errors point
// into the line (/title, /media/0/url).
function rebase (err: unknown, prefix: string): unknown {
  if (!(err instanceof HttpProblem) || err.errors === undefined) return err
  const errors = err.errors.map(e => ({ path: e.path.replace(/^\/body(?=\/|$)/, prefix), message: e.message }))
  return new HttpProblem(err.status, err.code, err.title, err.message, { errors })
}

// What a failed line reports: the services' refusals are the line's fault. Anything
// else (a full disk, a broken database) stops the import.
function lineErrors (err: unknown): ProblemItem[] {
  if (err instanceof HttpProblem) {
    const problem = rebase(err, '') as HttpProblem
    return problem.errors ?? [{ path: '', message: problem.message }]
  }
  throw err
}
