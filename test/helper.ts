import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import app from '../src/http/app.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { fastifyOptions } from '../src/http/options.ts'
import type { ViewOptions } from '../src/domain/views/view-service.ts'

export interface TestContext { teardown: (fn: () => unknown) => void }

export interface TestApp extends FastifyInstance {
  // A settable clock for scheduled publishing: tests move it instead of sleeping.
  now: { ms: number }
  adminKey: string
  editorKey: string
}

export const ADMIN_KEY = 'khb_test-admin-key-0123456789abcdef'

// Tests send thousands of requests from one address, and a long run of inject() calls
// never yields to the event loop, which under-pressure would read as saturation. Tests of
// those limits pass their own values, or '' for the defaults.
export const TEST_LIMITS = { RATE_LIMIT_READS: '1000000', RATE_LIMIT_WRITES: '1000000', MAX_EVENT_LOOP_DELAY: '0' }

// The app on a fresh SQLite file, built with the server's own options.
export async function build (t: TestContext, env: Record<string, string> = {}, options: { views?: Partial<ViewOptions> } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-test-'))
  const config: Config = loadConfig({ DATABASE_PATH: join(dir, 'khabar.db'), LOG_LEVEL: 'silent', KHABAR_ADMIN_KEY: ADMIN_KEY, ...TEST_LIMITS, ...env })
  const now = { ms: Date.parse('2026-11-26T12:00:00.000Z') }
  const fastify = Fastify(fastifyOptions(config))
  await fastify.register(app, { config, clock: () => now.ms, views: options.views })
  await fastify.ready()
  t.teardown(async () => {
    await fastify.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const testApp = fastify as unknown as TestApp
  testApp.now = now
  testApp.adminKey = ADMIN_KEY
  testApp.editorKey = fastify.services.keys.create('test editor', 'editor').key
  return testApp
}

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

export function json<T = any> (res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T
}
