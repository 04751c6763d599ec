import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyReply {
    // Put before the body hash in the ETag; article reads put their version there so
    // the ETag also works as If-Match on a PATCH.
    etagPrefix: string
  }
}

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

// ETag and If-None-Match on every successful read; public caching only for what
// anyone may read, and never for a response that depended on a key.
export default fp(async function httpCache (app: FastifyInstance) {
  app.decorateReply('etagPrefix', '')
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload
    reply.header('vary', 'Authorization')
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload
    if (request.principal !== null) {
      reply.header('cache-control', 'private, no-store')
    } else if (reply.getHeader('cache-control') === undefined) {
      reply.header('cache-control', 'public, max-age=60, stale-while-revalidate=300')
    }
    const etag = `"${reply.etagPrefix}${fnv1a(payload)}"`
    reply.header('etag', etag)
    const ifNoneMatch = request.headers['if-none-match']
    if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) {
      reply.code(304)
      reply.removeHeader('content-type')
      reply.removeHeader('content-length')
      return ''
    }
    return payload
  })
}, { name: 'http-cache', dependencies: ['auth'] })
