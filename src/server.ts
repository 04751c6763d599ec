import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import closeWithGrace from 'close-with-grace'
import { loadConfig, type Config } from './config.ts'
import { fastifyOptions } from './http/options.ts'
import app from './http/app.ts'
import { compose } from './compose.ts'

// The only place that listens. Migrations run as khabar is composed; SIGINT and SIGTERM
// finish requests in flight, then close the app (and with it the database).
export async function start (): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    console.error(`khabar: invalid settings: ${(err as Error).message}`)
    process.exit(1)
  }
  const server = Fastify(fastifyOptions(config))
  await server.register(app, { khabar: compose(config) })

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) server.log.error({ err }, 'shutting down after an error')
    else server.log.info({ signal }, 'shutting down')
    await server.close()
  })

  try {
    await server.listen({ port: config.PORT, host: config.HOST })
  } catch (err) {
    server.log.error({ err }, 'could not start')
    process.exit(1)
  }
}

const entry = process.argv[1] === undefined ? '' : realpathSync(process.argv[1])
if (entry === fileURLToPath(import.meta.url)) await start()
