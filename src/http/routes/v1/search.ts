import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { SearchQuerySchema, SuggestQuerySchema } from '../../../domain/shapes/search.ts'
import { ref, security } from '../../schemas/common.ts'
import { listOf, sendList } from '../helpers.ts'
import type { SearchQuery } from '../../../domain/search/search-service.ts'

const tags = ['search']

// Public search over published articles, Arabic-aware (docs/ARABIC.md).
export default async function searchRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { search } = app.services

  app.get('/', {
    schema: {
      summary: 'Search published articles',
      description: 'Diacritics, tatweel, hamza forms of alef, final yaa, taa marbuta and the attached prefixes و ف ب ك ل ال do not stop a match. ' +
        'Words are ANDed. A q without any letter or digit is a 400.',
      tags,
      operationId: 'searchArticles',
      security: security.optional,
      querystring: SearchQuerySchema,
      response: { 200: listOf('SearchHit') }
    }
  }, async (request, reply) => {
    const page = await search.search(request.query as SearchQuery)
    return sendList(request, reply, page.data, page.nextCursor)
  })

  app.get('/suggest', {
    schema: {
      summary: 'Titles for a search box: whose words start with the last word typed',
      description: 'For typeahead: titles of published articles whose words start with what was typed, the last word taken as a prefix, Arabic normalised as search does (hamza forms, taa marbuta, diacritics and tatweel do not matter).',
      tags,
      operationId: 'suggestArticles',
      security: security.optional,
      querystring: SuggestQuerySchema,
      response: {
        200: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'array', maxItems: 10, items: ref('Suggestion') } } }
      }
    }
  }, async (request) => ({ data: await search.suggest(request.query.q) }))
}
