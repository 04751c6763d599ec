import type Database from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { Moved, notFound } from '../errors.ts'
import { parseIdOrSlug } from './choose-slug.ts'

export type SlugKind = 'article' | 'category' | 'tag'

// The slugs articles, categories and tags had before. An old slug keeps leading to
// its resource (the reads answer 301) and nobody else may take it until it is freed.
export class SlugHistory {
  private readonly insert: Database.Statement<[SlugKind, string, number, number]>
  private readonly forgetOwn: Database.Statement<[SlugKind, string, number]>
  private readonly target: Database.Statement<[SlugKind, string], number>
  private readonly listOf: Database.Statement<[SlugKind, number], { slug: string, createdAt: number }>
  private readonly freeOne: Database.Statement<[SlugKind, number, string]>
  private readonly freeAll: Database.Statement<[SlugKind, number]>

  constructor (sqlite: Database.Database, private readonly clock: Clock) {
    this.insert = sqlite.prepare(`INSERT INTO slug_history (kind, slug, target_id, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind, slug) DO UPDATE SET target_id = excluded.target_id, created_at = excluded.created_at`)
    this.forgetOwn = sqlite.prepare('DELETE FROM slug_history WHERE kind = ? AND slug = ? AND target_id = ?')
    this.target = sqlite.prepare('SELECT target_id FROM slug_history WHERE kind = ? AND slug = ?').pluck() as Database.Statement<[SlugKind, string], number>
    this.listOf = sqlite.prepare('SELECT slug, created_at AS createdAt FROM slug_history WHERE kind = ? AND target_id = ? ORDER BY created_at DESC, slug')
    this.freeOne = sqlite.prepare('DELETE FROM slug_history WHERE kind = ? AND target_id = ? AND slug = ?')
    this.freeAll = sqlite.prepare('DELETE FROM slug_history WHERE kind = ? AND target_id = ?')
  }

  // A resource moved from one slug to another: the old one now leads to it, and the
  // new one (if it was one of its own old slugs) is current again.
  moved (kind: SlugKind, id: number, from: string, to: string): void {
    if (from === to) return
    this.insert.run(kind, from, id, this.clock())
    this.forgetOwn.run(kind, to, id)
  }

  // The resource an old slug leads to.
  resolve (kind: SlugKind, slug: string): number | undefined {
    return this.target.get(kind, slug)
  }

  // The error for a lookup that found nothing: a 301 to the current slug when the
  // slug is an old one of a resource that still exists, else a 404.
  missing (kind: SlugKind, idOrSlug: string, currentSlug: (id: number) => string | undefined, what: string): Error {
    const key = parseIdOrSlug(idOrSlug)
    const id = 'slug' in key ? this.resolve(kind, key.slug) : undefined
    const to = id === undefined ? undefined : currentSlug(id)
    return to === undefined || !('slug' in key) ? notFound(`${what} ${idOrSlug}`) : new Moved(key.slug, to)
  }

  // Whether an old slug of another resource holds this one.
  heldByOther (kind: SlugKind, slug: string, id?: number): boolean {
    const owner = this.target.get(kind, slug)
    return owner !== undefined && owner !== id
  }

  list (kind: SlugKind, id: number): Array<{ slug: string, createdAt: number }> {
    return this.listOf.all(kind, id)
  }

  free (kind: SlugKind, id: number, slug: string): boolean {
    return this.freeOne.run(kind, id, slug).changes === 1
  }

  // A resource deleted for good frees all its old slugs.
  forgetAll (kind: SlugKind, id: number): void {
    this.freeAll.run(kind, id)
  }
}
