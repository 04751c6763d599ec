import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.ts'
import { HttpProblem } from '../problems.ts'

export const RETRY_AFTER_SECONDS = 10
// How often the plugin samples the event loop delay (its default).
const SAMPLE_INTERVAL = 1000
// Building the app compiles every schema in one synchronous stretch (over a second on
// a slow machine), and the first samples after it average that stretch in: without a
// grace period the first second after start would be all 503s.
export const STARTUP_GRACE = 2 * SAMPLE_INTERVAL

// When the event loop lags (mean delay over a second above MAX_EVENT_LOOP_DELAY), new
// requests are refused at once with 503 rather than queued behind the backlog. /health
// still answers: a busy process is alive, and restarting it would lose buffered views.
// /ready does answer 503, which takes the instance out of a load balancer for a while.
export default fp(async function underPressurePlugin (app: FastifyInstance, opts: { config: Config }) {
  let from = Infinity
  app.addHook('onReady', async () => { from = Date.now() + STARTUP_GRACE })
  await app.register(underPressure, {
    maxEventLoopDelay: opts.config.MAX_EVENT_LOOP_DELAY,
    sampleInterval: SAMPLE_INTERVAL,
    exposeStatusRoute: false,
    pressureHandler: async (request) => {
      if (request.routeOptions.url === '/health' || Date.now() < from) return
      throw new HttpProblem(503, 'overloaded',
        `The server is overloaded; try again in ${RETRY_AFTER_SECONDS} seconds`,
        { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } })
    }
  })
}, { name: 'under-pressure' })
