import Fastify from 'fastify'
import app from './app.ts'
import { loadConfig } from '../config.ts'
import { fastifyOptions } from './options.ts'

// The OpenAPI document the server serves at /openapi.json, as committed text.
export async function generateOpenApi (): Promise<string> {
  const config = loadConfig({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' })
  const server = Fastify(fastifyOptions(config))
  await server.register(app, { config })
  await server.ready()
  try {
    return JSON.stringify(server.swagger(), null, 2) + '\n'
  } finally {
    await server.close()
  }
}
