import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CachedResponse, PublicCache } from '../../cache/public-cache.ts'
import { chooseEncoding, compressors, COMPRESS_THRESHOLD } from './compress.ts'

declare module 'fastify' {
  interface FastifyReply {
    // Put before the body hash in the ETag; article reads put their version there so
    // the ETag also works as If-Match on a PATCH.
    etagPrefix: string
    fromCache: boolean
  }
}

// Headers a cached response is replayed with.
const REPLAYED = ['content-type', 'etag', 'last-modified', 'link', 'cache-control', 'vary'] as const

// FNV-1a over the serialized body: cheap, and exact enough to tell two bodies apart.
function fnv1a (text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(36) + text.length.toString(36)
}

function matches (ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true
  const bare = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some(tag => tag.trim().replace(/^W\//, '') === bare)
}

function notModified (request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  const ifNoneMatch = request.headers['if-none-match']
  if (ifNoneMatch === undefined || !matches(ifNoneMatch, etag)) return false
  reply.code(304)
  reply.removeHeader('content-type')
  reply.removeHeader('content-length')
  return true
}

// What a read's answer depends on besides its URL: the key (a key-holder sees drafts) and
// the encoding; Origin is there already when CORS is on (@fastify/cors puts it first).
function vary (reply: FastifyReply): void {
  const present = reply.getHeader('vary')
  reply.header('vary', present === undefined ? 'Authorization, Accept-Encoding' : `${String(present)}, Authorization, Accept-Encoding`)
}

// A cached body as the request accepts it: compressed once per entry and encoding.
function replay (cache: PublicCache, request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): Buffer {
  const encoding = entry.body.length < COMPRESS_THRESHOLD ? undefined : chooseEncoding(request.headers['accept-encoding'])
  if (encoding === undefined) return entry.body
  reply.header('content-encoding', encoding)
  return cache.encoded(request.url, entry, encoding, compressors[encoding])
}

// ETag and If-None-Match on every successful read; public caching only for what
// anyone may read, and never for a response that depended on a key. Public
// answers are also kept, finished, in the response cache and replayed from there.
export default fp(async function httpCache (app: FastifyInstance) {
  const cache = app.khabar.publicCache
  app.decorateReply('etagPrefix', '')
  app.decorateReply('fromCache', false)

  // Runs after auth: a key-holder is never answered from the public cache.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.principal !== null) return
    const hit = await cache.get(request.url)
    if (hit === undefined) return
    reply.fromCache = true
    reply.headers(hit.headers)
    if (notModified(request, reply, hit.headers.etag)) return await reply.send('')
    return await reply.send(replay(cache, request, reply, hit))
  })

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.fromCache) return payload
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload
    vary(reply)
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload
    if (request.principal !== null) {
      reply.header('cache-control', 'private, no-store')
    } else if (reply.getHeader('cache-control') === undefined) {
      reply.header('cache-control', 'public, max-age=60, stale-while-revalidate=300')
    }
    const etag = `"${reply.etagPrefix}${fnv1a(payload)}"`
    reply.header('etag', etag)
    if (request.principal === null && request.method === 'GET' && !String(reply.getHeader('cache-control')).includes('no-store')) {
      const headers: Record<string, string> = {}
      for (const name of REPLAYED) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers[name] = String(value)
      }
      const entry = await cache.set(request.url, payload, headers)
      return notModified(request, reply, etag) ? '' : replay(cache, request, reply, entry)
    }
    return notModified(request, reply, etag) ? '' : payload
  })
}, { name: 'http-cache', dependencies: ['auth', 'khabar-composed'] })
