import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { HttpProblem } from '../problems.ts'
import { NUL_MESSAGE, nulPath } from '../../domain/shapes/nul.ts'

// Query strings are short: filters, a cursor, include and fields lists. Anything longer
// is refused before a hook or a validator spends time on it.
export const MAX_QUERY_LENGTH = 4096
// A body answered before it was read (a 413, a 401 before the upload) is read to its end
// and dropped, so the client can read the answer; past this much more, the connection
// is cut instead.
export const MAX_DRAINED = 64 * 1024 * 1024

export default fp(async function requestLimits (app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    const start = request.url.indexOf('?')
    if (start !== -1 && request.url.length - start - 1 > MAX_QUERY_LENGTH) {
      throw new HttpProblem(414, 'uri-too-long', `The query string is longer than ${MAX_QUERY_LENGTH} characters`)
    }
  })
  // Before the schemas: a NUL anywhere is the one error reported (src/domain/shapes/nul.ts).
  app.addHook('preValidation', async (request) => {
    for (const [context, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const path = nulPath(value)
      if (path !== undefined) {
        throw Object.assign(new Error(`${context}${path} ${NUL_MESSAGE}`), {
          statusCode: 400,
          validationContext: context,
          validation: [{ instancePath: path, params: {}, message: NUL_MESSAGE }]
        })
      }
    }
  })
  app.addHook('onResponse', async (request) => {
    const raw = request.raw
    if (raw.complete) return
    let left = MAX_DRAINED
    raw.on('data', (chunk: Buffer) => {
      left -= chunk.length
      if (left < 0) raw.socket.destroy()
    })
    raw.resume()
  })
}, { name: 'request-limits' })
