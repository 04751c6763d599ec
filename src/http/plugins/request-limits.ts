import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { HttpProblem } from '../problems.ts'

// Query strings are short: filters, a cursor, include and fields lists. Anything longer
// is refused before a hook or a validator spends time on it.
export const MAX_QUERY_LENGTH = 4096

export default fp(async function requestLimits (app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    const start = request.url.indexOf('?')
    if (start !== -1 && request.url.length - start - 1 > MAX_QUERY_LENGTH) {
      throw new HttpProblem(414, 'uri-too-long', `The query string is longer than ${MAX_QUERY_LENGTH} characters`)
    }
  })
}, { name: 'request-limits' })
