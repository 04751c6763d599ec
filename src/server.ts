import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import closeWithGrace from 'close-with-grace'
import { loadConfig, type Config } from './config.ts'
import { loadEnvFile } from './env-file.ts'
import { fastifyOptions } from './http/options.ts'
import app from './http/app.ts'
import { compose } from './compose.ts'
import { startMessages } from './start-message.ts'

// The only place that listens. Settings come from the environment, and from ./.env for
// what the environment leaves unset. Migrations run as khabar is composed; SIGINT and
// SIGTERM finish requests in flight, then close the app (and with it the database).
export async function start (): Promise<void> {
  let config: Config
  try {
    loadEnvFile()
    config = loadConfig()
  } catch (err) {
    console.error(`khabar: invalid settings: ${(err as Error).message}`)
    process.exit(1)
  }
  const server = Fastify(fastifyOptions(config, { isTTY: process.stdout.isTTY }))
  const khabar = await compose(config)
  await server.register(app, { khabar })

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) server.log.error({ err }, 'shutting down after an error')
    else server.log.info({ signal }, 'shutting down')
    await server.close()
  })

  let address: string
  try {
    address = await server.listen({ port: config.PORT, host: config.HOST })
  } catch (err) {
    server.log.error({ err }, 'could not start')
    process.exit(1)
  }
  const hasAdmin = await khabar.services.keys.hasActiveAdmin()
  for (const line of startMessages({ config, address, hasAdmin, cwd: process.cwd() })) server.log.info(line)
}

const entry = process.argv[1] === undefined ? '' : realpathSync(process.argv[1])
if (entry === fileURLToPath(import.meta.url)) await start()
