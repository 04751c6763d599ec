import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Viewer } from '../../domain/articles/article-queries.ts'
import { ref } from '../schemas/common.ts'

// A query whose schema fills these fields with their defaults: present, whatever the
// request left out.
export type Defaulted<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> }

export const viewerOf = (request: FastifyRequest): Viewer => ({ editor: request.principal !== null })

export const listOf = (itemId: string): object => ({
  type: 'object',
  additionalProperties: false,
  required: ['data', 'meta'],
  properties: { data: { type: 'array', items: ref(itemId) }, meta: ref('ListMeta') }
})

export const commaSet = (value: string | undefined): Set<string> =>
  new Set(value === undefined ? [] : value.split(','))

// The absolute (with SITE_URL) or root-relative URL of a path on this server.
export function urlFor (request: FastifyRequest, path: string): string {
  const base = request.server.config.SITE_URL.replace(/\/+$/, '')
  return `${base}${path}`
}

// Sends a list page, with a Link rel="next" header while there is a next page.
export function sendList (request: FastifyRequest, reply: FastifyReply, data: unknown[], nextCursor: string | null, total?: number): object {
  if (nextCursor !== null) {
    const [path, query = ''] = request.url.split('?')
    const params = new URLSearchParams(query)
    params.set('cursor', nextCursor)
    reply.header('link', `<${urlFor(request, path)}?${params.toString()}>; rel="next"`)
  }
  return { data, meta: total === undefined ? { nextCursor } : { nextCursor, total } }
}

// `fields=`: keep only the named fields (and id). The projection is not the full
// shape, so it is serialized as plain JSON rather than by the response schema.
export function project<T extends object> (reply: FastifyReply, items: T[], fields: string | undefined): object[] {
  if (fields === undefined) return items
  const keep = commaSet(fields)
  // id always; category and media are only there when include= asked for them.
  for (const always of ['id', 'category', 'media']) keep.add(always)
  reply.serializer(JSON.stringify).type('application/json; charset=utf-8')
  return items.map(item => Object.fromEntries(Object.entries(item).filter(([key]) => keep.has(key))))
}
