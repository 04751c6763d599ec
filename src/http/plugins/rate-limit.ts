import fp from 'fastify-plugin'
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { HttpProblem } from '../problems.ts'

type Limiter = ReturnType<FastifyInstance['rateLimit']>

const MINUTE = 60_000
// Addresses remembered per limit. The store is an LRU: a flood of addresses evicts the
// quietest ones instead of growing memory.
const ADDRESSES = 10_000
// An OPTIONS request changes nothing (CORS answers preflights before any limit).
const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Per client address (request.ip, so TRUST_PROXY applies), per minute: reads generous,
// writes tighter. A route may set its own limit with `config.rateLimit: { max }`, counted
// apart from the others, or opt out with `config.rateLimit: false`.
export default fp(async function rateLimitPlugin (app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  await app.register(rateLimit, {
    // The plugin's own hooks are route hooks, which run after every global hook: after
    // auth (a flood of wrong keys would each cost a lookup) and after the response cache
    // (cached reads would go uncounted). Ours below is global and registered first.
    global: false,
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (request, context) => new HttpProblem(429, 'rate-limited',
      `At most ${context.max} ${kind(request)} a minute from one address; try again in ${context.after}`)
  })

  const limiter = (options: RateLimitOptions): Limiter => app.rateLimit({ timeWindow: MINUTE, cache: ADDRESSES, ...options })
  const reads = limiter({ max: config.RATE_LIMIT_READS })
  const writes = limiter({ max: config.RATE_LIMIT_WRITES })
  // A route's own limit counts apart from the others, keyed by its config object.
  const own = new WeakMap<RateLimitOptions, Limiter>()

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.config.rateLimit
    if (route === false) return
    let limit = route === undefined ? (READS.has(request.method) ? reads : writes) : own.get(route)
    if (limit === undefined) {
      limit = limiter(route as RateLimitOptions)
      own.set(route as RateLimitOptions, limit)
    }
    // Marks the request as limited, so the plugin's route hook for `config.rateLimit`
    // passes it through.
    await limit.call(app, request, reply)
  })
}, { name: 'rate-limit' })

function kind (request: FastifyRequest): string {
  if (request.routeOptions.config.rateLimit !== undefined) return 'requests to this route'
  return READS.has(request.method) ? 'reads' : 'writes'
}
