import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
type LogLevel = typeof LOG_LEVELS[number]
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const
type LogFormat = typeof LOG_FORMATS[number]

// One schema is both the runtime check and the type of the settings.
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ minLength: 1, default: './data/khabar.db' }),
  // postgres://… keeps everything in PostgreSQL instead of the SQLite file at DATABASE_PATH.
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://[^\\s]+$' })),
  // Comma-separated postgres:// URLs of read replicas: reads without a key go to them.
  DATABASE_REPLICA_URLS: Type.String({ default: '', pattern: '^(postgres(ql)?://[^\\s,]+(\\s*,\\s*postgres(ql)?://[^\\s,]+)*)?$' }),
  // redis://… or rediss://…: rate limits counted across every khabar process on it.
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://[^\\s]+$' })),
  // An enum rather than a union of literals: one clear error, not one per level.
  LOG_LEVEL: Type.Unsafe<LogLevel>({ type: 'string', enum: [...LOG_LEVELS], default: 'info' }),
  // auto: words on a terminal, one JSON object a line otherwise (a pipe, a file, a container).
  LOG_FORMAT: Type.Unsafe<LogFormat>({ type: 'string', enum: [...LOG_FORMATS], default: 'auto' }),
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
  // When set, an admin key with exactly this value exists after start; adminKeyProblem
  // refuses placeholders and guessable values.
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
  const config = envSchema<Config>({ schema: ConfigSchema, data, env: false, dotenv: false })
  const problem = config.KHABAR_ADMIN_KEY === undefined ? undefined : adminKeyProblem(config.KHABAR_ADMIN_KEY)
  if (problem !== undefined) throw new Error(`env/KHABAR_ADMIN_KEY ${problem}; generate one with: ${GENERATE_KEY}`)
  return config
}

// What marks a value copied from a README or a template rather than generated.
export const PLACEHOLDER_WORDS = ['choose', 'change-me', 'change_me', 'changeme', 'replace-me', 'replaceme', 'example',
  'placeholder', 'secret-here', 'your-', 'your_', 'dummy'] as const
// (No 'xxxx': a random key has four of one letter about once in 25,000; the run is counted
// as the 1 bit it is by estimatedKeyBits.)
// Not 12: `openssl rand -hex 16` (32 characters of 16) would have fewer than 12 about once
// in 60 draws, fewer than 10 about once in 9000.
export const MIN_KEY_DISTINCT = 10
export const MIN_KEY_BITS = 100
// What the messages suggest: 256 random bits, on any machine with OpenSSL.
export const GENERATE_KEY = 'openssl rand -base64 32'

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/]
const CLASS_SIZES = [26, 26, 10, 33]

// The part of a key that is not the khb_ prefix every generated key carries.
const keyBody = (key: string): string => key.startsWith('khb_') ? key.slice(4) : key

// A rough estimate of the bits an attacker must guess, for a key of printable ASCII (it
// takes hex for letters and digits, so it is generous with hex). Each character counts log2 of the characters of the classes the key uses (26 lower case
// letters, 26 upper case, 10 digits, 33 symbols), except one that repeats the character
// before it or steps by one from it (aaaa, abcd, 9876): that counts 1 bit. The khb_ prefix
// counts nothing.
export function estimatedKeyBits (key: string): number {
  const body = keyBody(key)
  const pool = CLASSES.reduce((n, re, i) => re.test(body) ? n + CLASS_SIZES[i] : n, 0)
  const perChar = Math.log2(pool)
  let bits = 0
  for (let i = 0; i < body.length; i++) {
    const step = i === 0 ? Infinity : Math.abs(body.charCodeAt(i) - body.charCodeAt(i - 1))
    bits += step <= 1 ? 1 : perChar
  }
  return bits
}

// Why a KHABAR_ADMIN_KEY value must not be used, or undefined when it may. The schema
// has already checked its length and characters; this refuses what a person typed or
// copied: a placeholder word, too few distinct characters (khb_ aside), too few estimated bits.
export function adminKeyProblem (key: string): string | undefined {
  const lower = key.toLowerCase()
  const word = PLACEHOLDER_WORDS.find(w => lower.includes(w))
  if (word !== undefined) return `looks like a placeholder (it contains "${word}")`
  const distinct = new Set(keyBody(key)).size
  if (distinct < MIN_KEY_DISTINCT) return `has too few distinct characters (${distinct}, at least ${MIN_KEY_DISTINCT})`
  const bits = Math.floor(estimatedKeyBits(key))
  if (bits < MIN_KEY_BITS) return `is too easy to guess (about ${bits} bits, at least ${MIN_KEY_BITS})`
  return undefined
}

// A database URL fit for a log line or a message: the password is not shown.
export function redactedUrl (url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://(an unreadable URL)'
  }
}

// Where the data is, in words: the PostgreSQL database or the SQLite file.
export function databaseName (config: Pick<Config, 'DATABASE_PATH' | 'DATABASE_URL'>): string {
  return config.DATABASE_URL === undefined ? config.DATABASE_PATH : `PostgreSQL ${redactedUrl(config.DATABASE_URL)}`
}

export function replicaUrls (config: Pick<Config, 'DATABASE_REPLICA_URLS'>): string[] {
  return config.DATABASE_REPLICA_URLS.split(',').map(s => s.trim()).filter(Boolean)
}

export function corsOrigins (config: Config): string[] {
  return config.CORS_ORIGINS.split(',').map(s => s.trim()).filter(Boolean)
}
