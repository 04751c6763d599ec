import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdOrSlugParams, problems, ref, security } from '../../../schemas/common.ts'
import { viewerOf } from '../../helpers.ts'

const tags = ['views']

export default async function viewRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { views } = app.services
  app.post('/:idOrSlug/views', {
    // Its own limit per client address, apart from the other writes (see rate-limit.ts).
    config: { rateLimit: { max: app.config.RATE_LIMIT_VIEWS } },
    schema: {
      summary: 'Count one view of a published article',
      description: 'Answers 202 before anything is written; counts reach the database within a second. ' +
        'The same client (address and user agent) counts once per article per 30 minutes.',
      tags,
      operationId: 'postArticleView',
      security: security.optional,
      params: IdOrSlugParams,
      response: { 202: ref('ViewAccepted'), ...problems(404) }
    }
  }, async (request, reply) => {
    const counted = await views.record(request.params.idOrSlug, request.ip, String(request.headers['user-agent']))
    reply.code(202).header('cache-control', 'no-store')
    return { counted }
  })

  app.get('/:idOrSlug/views', {
    schema: {
      summary: 'View counts of an article: total, last 24 hours, 7 and 30 days, per day',
      description: 'Totals and a per-day series of the views counted for a published article. Views are counted in the background, so a view just posted may take a second to appear.',
      tags,
      operationId: 'getArticleViews',
      security: security.optional,
      params: IdOrSlugParams,
      response: { 200: ref('ViewStats'), ...problems(301, 404) }
    }
  }, async (request) => views.stats(request.params.idOrSlug, viewerOf(request)))
}
