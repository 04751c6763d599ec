import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { describeHttp } from '../openapi-http.ts'

export const OPENAPI_TAGS = [
  { name: 'articles', description: 'News articles: create, publish, schedule, trash, read' },
  { name: 'categories', description: 'The section tree (سياسة, اقتصاد, ...)' },
  { name: 'tags', description: 'Topics attached to articles' },
  { name: 'media', description: 'Links to video, images, audio and embeds hosted elsewhere' },
  { name: 'search', description: 'Arabic-aware full-text search, typeahead and related articles' },
  { name: 'views', description: 'View counts and most-read rankings' },
  { name: 'keys', description: 'API keys (admin only)' },
  { name: 'import', description: 'Bulk import and export of articles as NDJSON' },
  { name: 'operations', description: 'Health and readiness' }
]

// @fastify/swagger-ui's own strict policy (staticCSP: true), less upgrade-insecure-requests,
// which made browsers fetch the UI's scripts over https from a server on plain http (any
// host but localhost: a blank page), plus the hash of the inline <style> in the UI's logo.
const SWAGGER_UI_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "frame-ancestors 'self'",
  "img-src 'self' data: validator.swagger.io",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"
].join('; ')

// The OpenAPI document is generated from the route schemas. Shared shapes keep
// their $id as their name under components.schemas.
export default fp(async function swaggerPlugin (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'khabar',
        version: '1.0.0',
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'khabar maintainers' },
        description: 'Arabic-first headless CMS for news publishers. Reading published content needs no key; ' +
          'everything else needs `Authorization: Bearer <key>` (use Authorize above). Errors are RFC 9457 problem details.'
      },
      servers: [{ url: '/', description: 'The server that serves this document' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (khb_...)' }
        }
      },
      tags: OPENAPI_TAGS
    },
    // Called with the OpenAPI 3.1 document this plugin is set up to build.
    transformObject: (document) => describeHttp((document as { openapiObject: object }).openapiObject),
    refResolver: {
      // The resolver calls this only for a schema that has an $id.
      buildLocalReference: (json) => String(json.$id)
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { persistAuthorization: true, tryItOutEnabled: true, displayOperationId: false },
    staticCSP: SWAGGER_UI_CSP
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
