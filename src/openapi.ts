import Fastify from 'fastify'
import app from './http/app.ts'
import { loadConfig } from './config.ts'
import { fastifyOptions } from './http/options.ts'
import { compose } from './compose.ts'

// The OpenAPI document the server serves at /openapi.json, as committed text.
export async function generateOpenApi (): Promise<string> {
  const config = loadConfig({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' })
  const server = Fastify(fastifyOptions(config))
  await server.register(app, { khabar: await compose(config) })
  await server.ready()
  try {
    return JSON.stringify(server.swagger(), null, 2) + '\n'
  } finally {
    await server.close()
  }
}
