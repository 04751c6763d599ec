import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { Id, problems, ref, security, noContent } from '../../schemas/common.ts'
import { iso } from '../../../domain/clock.ts'
import { NotFound } from '../../../domain/errors.ts'
import type { SlugKind } from '../../../domain/enums.ts'
import { normalizeSlugInput } from '../../../text/index.ts'

// Old slugs of articles, categories or tags (editors): list them, and free one so
// another resource may take it. Registered once per kind under its prefix.
export default async function slugRoutes (app: FastifyInstance, opts: { kind: SlugKind, tag: string, exists: (id: number) => Promise<boolean> }): Promise<void> {
  const slugs = app.services.slugs
  const editor = app.requireRole('editor')
  const what = opts.kind[0].toUpperCase() + opts.kind.slice(1)
  const a = opts.kind === 'article' ? 'an' : 'a'
  const requireTarget = async (id: number): Promise<void> => { if (!await opts.exists(id)) throw new NotFound(`${what} ${id}`) }

  app.get<{ Params: { id: number } }>('/:id/slugs', {
    onRequest: editor,
    schema: {
      summary: `Old slugs of ${a} ${opts.kind}, which still lead to it`,
      description: `Slugs the ${opts.kind} had before, newest first. Each still answers 301 to the current one until it is freed.`,
      tags: [opts.tag],
      operationId: `list${what}OldSlugs`,
      security: security.required,
      params: Type.Object({ id: Id }, { additionalProperties: false }),
      response: {
        200: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'array', items: ref('OldSlug') } } },
        ...problems(403, 404)
      }
    }
  }, async (request) => {
    await requireTarget(request.params.id)
    return { data: (await slugs.list(opts.kind, request.params.id)).map(s => ({ slug: s.slug, createdAt: iso(s.createdAt) })) }
  })

  app.delete<{ Params: { id: number, slug: string } }>('/:id/slugs/:slug', {
    onRequest: editor,
    schema: {
      summary: `Free an old slug of ${a} ${opts.kind}: it stops leading there and may be taken by another`,
      description: `The old slug stops answering 301 (it becomes a 404) and another ${opts.kind} may take it.`,
      tags: [opts.tag],
      operationId: `free${what}OldSlug`,
      security: security.required,
      params: Type.Object({ id: Id, slug: Type.String({ minLength: 1, maxLength: 600 }) }, { additionalProperties: false }),
      response: { 204: noContent('Freed'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    await requireTarget(request.params.id)
    if (!await slugs.free(opts.kind, request.params.id, normalizeSlugInput(request.params.slug))) {
      throw new NotFound(`Old slug "${request.params.slug}" of ${opts.kind} ${request.params.id}`)
    }
    return await reply.code(204).send()
  })
}
