import fp from 'fastify-plugin'
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { HttpProblem } from '../problems.ts'
import type { SharedStore } from './rate-limit-redis.ts'

type Limiter = ReturnType<FastifyInstance['rateLimit']>

export interface RateLimitPluginOptions {
  config: Config
  // With REDIS_URL, the counts' keys are khabar-rl: and then this (empty by default):
  // tests give each run its own, so runs sharing one Redis do not share counts.
  namespace?: string
}

const MINUTE = 60_000
// Addresses remembered per limit. The store is an LRU: a flood of addresses evicts the
// quietest ones instead of growing memory.
const ADDRESSES = 10_000
// An OPTIONS request changes nothing (CORS answers preflights before any limit).
const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Per client address (request.ip, so TRUST_PROXY applies), per minute: reads generous,
// writes tighter. A route may set its own limit with `config.rateLimit: { max }`, counted
// apart from the others, or opt out with `config.rateLimit: false`. The counts are in
// memory, per process, or with REDIS_URL in Redis, shared by every process using it.
async function rateLimitPlugin (app: FastifyInstance, opts: RateLimitPluginOptions): Promise<void> {
  const { config } = opts
  let shared: SharedStore = {}
  // Imported only here, so a process without REDIS_URL never loads ioredis. Taken only by
  // test/http/plugins/rate-limit-redis.test.ts, which runs when TEST_REDIS_URL is set.
  /* c8 ignore next 4 */
  if (config.REDIS_URL !== undefined) {
    const { redisStore } = await import('./rate-limit-redis.ts')
    shared = await redisStore(app, config.REDIS_URL, opts.namespace)
  }
  await app.register(rateLimit, {
    // The plugin's own hooks are route hooks, which run after every global hook: after
    // auth (a flood of wrong keys would each cost a lookup) and after the response cache
    // (cached reads would go uncounted). Ours below is global and registered first.
    global: false,
    ...shared,
    errorResponseBuilder: (request, context) => new HttpProblem(429, 'rate-limited',
      `At most ${context.max} ${kind(request)} a minute from one address; try again in ${context.after}`)
  })

  // Each limiter names its counts: in memory each has a store of its own, but in Redis
  // they all share one key space (the plugin's keys for app.rateLimit() differ by route,
  // and these have none), where reads, writes and views would otherwise add up.
  const limiter = (name: string, options: RateLimitOptions): Limiter => app.rateLimit({
    timeWindow: MINUTE,
    cache: ADDRESSES,
    ...options,
    keyGenerator: (request) => `${name}:${request.ip}`
  })
  const reads = limiter('reads', { max: config.RATE_LIMIT_READS })
  const writes = limiter('writes', { max: config.RATE_LIMIT_WRITES })
  // A route's own limit counts apart from the others, per route: its method and URL
  // pattern name the same counts in every process.
  const own = new Map<string, Limiter>()

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.config.rateLimit
    if (route === false) return
    let limit: Limiter | undefined
    if (route === undefined) {
      limit = READS.has(request.method) ? reads : writes
    } else {
      const name = `${String(request.routeOptions.method)} ${request.routeOptions.url}`
      limit = own.get(name)
      if (limit === undefined) {
        limit = limiter(name, route as RateLimitOptions)
        own.set(name, limit)
      }
    }
    // Marks the request as limited, so the plugin's route hook for `config.rateLimit`
    // passes it through.
    await limit.call(app, request, reply)
  })
}

// Not `export default fp(async function …)`: TypeScript 5.9 does not rewrite the .ts of a
// dynamic import inside an `export default` expression, and dist/ would import a .ts file.
export default fp(rateLimitPlugin, { name: 'rate-limit' })

function kind (request: FastifyRequest): string {
  if (request.routeOptions.config.rateLimit !== undefined) return 'requests to this route'
  return READS.has(request.method) ? 'reads' : 'writes'
}
