import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.ts'
import type { Clock } from '../../domain/clock.ts'
import type { Khabar, Services } from '../../compose.ts'

declare module 'fastify' {
  interface FastifyInstance {
    khabar: Khabar
    services: Services
    clock: Clock
    config: Config
  }
}

// khabar as src/compose.ts built it, for the routes. The background work starts once
// the app is ready; the storage closes last, after everything that uses it (onClose
// runs in reverse).
export default fp(async function khabar (app: FastifyInstance, opts: { khabar: Khabar }) {
  const built = opts.khabar
  app.addHook('onReady', async () => { built.startBackground(app.log) })
  app.addHook('onClose', async () => { await built.close() })
  if (built.config.KHABAR_ADMIN_KEY !== undefined) await built.services.keys.ensureAdmin(built.config.KHABAR_ADMIN_KEY)
  // With read replicas, a read without a key (what the public cache serves, and what may lag
  // the primary by a replica's delay) is answered from a replica; a request with a key, and
  // every write, from the primary.
  const replicaReads = built.storage.replicaReads
  // Only PostgreSQL has replicas: tested with TEST_DATABASE_URL (test/storage/postgres.test.ts),
  // never run on a machine without a server.
  /* c8 ignore next 6 */
  if (replicaReads !== undefined) {
    app.addHook('onRequest', (request, _reply, done) => {
      if ((request.method === 'GET' || request.method === 'HEAD') && request.headers.authorization === undefined) replicaReads(done)
      else done()
    })
  }
  app.decorate('khabar', built)
  app.decorate('config', built.config)
  app.decorate('clock', built.clock)
  app.decorate('services', built.services)
}, { name: 'khabar-composed' })
