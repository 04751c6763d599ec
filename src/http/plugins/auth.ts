import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify'
import { forbidden, unauthorized } from '../problems.ts'
import type { Principal } from '../../domain/keys/key-service.ts'
import type { Role } from '../../domain/enums.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyInstance {
    requireRole: (role: Role) => onRequestHookHandler
  }
  interface FastifyContextConfig {
    // A route that never looks at keys (health and readiness): an Authorization header,
    // good or bad, is not read.
    keyless?: boolean
  }
}

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i

// Who is calling. No Authorization header is an anonymous reader; a header that is
// malformed, unknown or revoked is a 401, never silently anonymous.
export default fp(async function auth (app: FastifyInstance) {
  app.decorateRequest('principal', null)
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    if (header === undefined || request.routeOptions.config.keyless === true) return
    const match = BEARER.exec(header)
    if (match === null) throw unauthorized('Authorization must be "Bearer <key>"')
    const principal = await app.services.keys.authenticate(match[1])
    if (principal === null) throw unauthorized('The key is unknown or revoked')
    request.principal = principal
  })
  app.decorate('requireRole', (role: Role): onRequestHookHandler => async (request) => {
    if (request.principal === null) throw unauthorized('This needs a key: Authorization: Bearer <key>')
    if (role === 'admin' && request.principal.role !== 'admin') throw forbidden('This needs an admin key')
  })
}, { name: 'auth', dependencies: ['khabar-composed'] })
