import type { SlugKind } from '../enums.ts'
import type { Clock } from '../clock.ts'
import { Moved, NotFound } from '../errors.ts'
import { parseIdOrSlug } from './choose-slug.ts'
import type { SlugStore } from './slug-store.ts'

// The slugs articles, categories and tags had before. An old slug keeps leading to
// its resource (the reads answer 301) and nobody else may take it until it is freed.
export class SlugHistory {
  constructor (private readonly deps: { store: SlugStore, clock: Clock }) {}

  // A resource moved from one slug to another: the old one now leads to it, and the
  // new one (if it was one of its own old slugs) is current again.
  async moved (kind: SlugKind, id: number, from: string, to: string): Promise<void> {
    if (from === to) return
    await this.deps.store.record(kind, from, id, this.deps.clock())
    await this.deps.store.forget(kind, to, id)
  }

  // The resource an old slug leads to.
  async resolve (kind: SlugKind, slug: string): Promise<number | undefined> {
    return await this.deps.store.target(kind, slug)
  }

  // The error for a lookup that found nothing: Moved to the current slug when the
  // slug is an old one of a resource that still exists, else NotFound.
  async missing (kind: SlugKind, idOrSlug: string, currentSlug: (id: number) => Promise<string | undefined>, what: string): Promise<Error> {
    const key = parseIdOrSlug(idOrSlug)
    const id = 'slug' in key ? await this.resolve(kind, key.slug) : undefined
    const to = id === undefined ? undefined : await currentSlug(id)
    return to === undefined || !('slug' in key) ? new NotFound(`${what} ${idOrSlug}`) : new Moved(key.slug, to)
  }

  // Whether an old slug of another resource holds this one.
  async heldByOther (kind: SlugKind, slug: string, id?: number): Promise<boolean> {
    const owner = await this.deps.store.target(kind, slug)
    return owner !== undefined && owner !== id
  }

  async list (kind: SlugKind, id: number): Promise<Array<{ slug: string, createdAt: number }>> {
    return await this.deps.store.list(kind, id)
  }

  // Frees one old slug of a resource; false when it had no such old slug.
  async free (kind: SlugKind, id: number, slug: string): Promise<boolean> {
    if (await this.deps.store.target(kind, slug) !== id) return false
    await this.deps.store.forget(kind, slug, id)
    return true
  }

  // A resource deleted for good frees all its old slugs.
  async forgetAll (kind: SlugKind, id: number): Promise<void> {
    await this.deps.store.forgetAll(kind, id)
  }
}
