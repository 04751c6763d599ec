import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export const OPENAPI_TAGS = [
  { name: 'articles', description: 'News articles: create, publish, schedule, trash, read' },
  { name: 'categories', description: 'The section tree (سياسة, اقتصاد, ...)' },
  { name: 'tags', description: 'Topics attached to articles' },
  { name: 'media', description: 'Links to video, images, audio and embeds hosted elsewhere' },
  { name: 'views', description: 'View counts and most-read rankings' },
  { name: 'keys', description: 'API keys (admin only)' },
  { name: 'operations', description: 'Health and readiness' }
]

// The OpenAPI document is generated from the route schemas. Shared shapes keep
// their $id as their name under components.schemas.
export default fp(async function swaggerPlugin (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'khabar',
        version: '1.0.0',
        description: 'Arabic-first headless CMS for news publishers. Reading published content needs no key; ' +
          'everything else needs `Authorization: Bearer <key>` (use Authorize above). Errors are RFC 9457 problem details.'
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (khb_...)' }
        }
      },
      tags: OPENAPI_TAGS
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}`
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { persistAuthorization: true, tryItOutEnabled: true, displayOperationId: false },
    staticCSP: true
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
