import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
type LogLevel = typeof LOG_LEVELS[number]

// One schema is both the runtime check and the type of the settings.
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ minLength: 1, default: './data/khabar.db' }),
  // An enum rather than a union of literals: one clear error, not one per level.
  LOG_LEVEL: Type.Unsafe<LogLevel>({ type: 'string', enum: [...LOG_LEVELS], default: 'info' }),
  // Comma-separated list of allowed origins; empty means no cross-origin access.
  CORS_ORIGINS: Type.String({ default: '' }),
  // Absolute base URL used for Location and Link headers; empty means "use the request's host".
  SITE_URL: Type.String({ default: '', pattern: '^(https?://[^\\s]+)?$' }),
  // Take the client address from X-Forwarded-For (only behind a proxy you run).
  TRUST_PROXY: Type.Boolean({ default: false }),
  // Views one client address may post per minute (the route is also deduped per article).
  RATE_LIMIT_VIEWS: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 600 }),
  // Reads (GET, HEAD, OPTIONS) and writes (everything else) one address may send per minute.
  RATE_LIMIT_READS: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1200 }),
  RATE_LIMIT_WRITES: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 120 }),
  // Mean event loop delay (ms) above which requests are refused with 503; 0 turns it off.
  MAX_EVENT_LOOP_DELAY: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  // Earlier versions kept per article; the oldest are dropped first.
  REVISIONS_KEEP: Type.Integer({ minimum: 1, maximum: 10_000, default: 50 }),
  // When set, an admin key with exactly this value exists after start.
  KHABAR_ADMIN_KEY: Type.Optional(Type.String({ minLength: 24, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' }))
})

export type Config = Static<typeof ConfigSchema>

export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const data: Record<string, string> = {}
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') data[key] = value
  }
  // ajv's coercion would take "0x10", "1e3" or " 80" for a number; a setting must be
  // written in digits.
  for (const [key, value] of Object.entries(data)) {
    const schema = ConfigSchema.properties[key as keyof typeof ConfigSchema.properties] as { type?: unknown }
    if (schema.type === 'integer' && !/^-?[0-9]+$/.test(value)) throw new Error(`env/${key} must be an integer written in digits`)
  }
  // env: false: only the given env counts (env-schema would otherwise merge process.env
  // underneath it, bringing back empty values and settings the caller left out).
  return envSchema<Config>({ schema: ConfigSchema, data, env: false, dotenv: false })
}

export function corsOrigins (config: Config): string[] {
  return config.CORS_ORIGINS.split(',').map(s => s.trim()).filter(Boolean)
}
