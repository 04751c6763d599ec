import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

// The API answers JSON only: a browser that renders an answer anyway may load nothing,
// run nothing and frame nothing. Swagger UI's pages at /docs need more; they send their
// own policy (src/plugins/external/swagger.ts), which replaces this one on those routes
// because a header set on the reply wins over one helmet set on the raw response.
export const API_CSP = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"]
}

// Browsers honour these over https only; over plain http Chrome reports an ignored
// Cross-Origin-Opener-Policy as a console error on every Swagger UI page.
const HTTPS_ONLY = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin'
}

// Helmet's headers on every answer, errors included: nosniff, no referrer, same-origin
// resources, no framing.
export default fp(async function helmetPlugin (app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: false
  })
  // request.protocol follows X-Forwarded-Proto when TRUST_PROXY is on.
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.headers(HTTPS_ONLY)
  })
}, { name: 'helmet' })
