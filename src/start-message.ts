import { resolve } from 'node:path'
import { GENERATE_KEY, redactedUrl, type Config } from './config.ts'

export interface StartFacts {
  config: Pick<Config, 'DATABASE_PATH' | 'SITE_URL'> & Partial<Pick<Config, 'DATABASE_URL'>>
  // What listen() answered, e.g. http://127.0.0.1:3000 or http://[::]:3000.
  address: string
  // Whether an active admin key exists (KHABAR_ADMIN_KEY, once set, makes one).
  hasAdmin: boolean
  // The directory a relative DATABASE_PATH is taken from.
  cwd: string
}

export const CREATE_ADMIN = 'npx khabar keys create --role admin --name NAME'

// The lines the server logs once it listens, in words: where the data is, where the
// documentation is, and, while no one can administer it, how to get the first key.
export function startMessages ({ config, address, hasAdmin, cwd }: StartFacts): string[] {
  const database = config.DATABASE_URL !== undefined
    ? `database: PostgreSQL ${redactedUrl(config.DATABASE_URL)}`
    : config.DATABASE_PATH === ':memory:'
      ? 'database: in memory (:memory:), gone when the server stops'
      : `database: ${resolve(cwd, config.DATABASE_PATH)}`
  // A wildcard address (0.0.0.0 is already answered as 127.0.0.1) is no place to browse to.
  const base = config.SITE_URL !== '' ? config.SITE_URL.replace(/\/+$/, '') : address.replace('//[::]', '//localhost')
  const lines = [database, `Swagger UI: ${base}/docs, OpenAPI document: ${base}/openapi.json`]
  if (!hasAdmin) {
    lines.push(`no admin key yet: create one with \`${CREATE_ADMIN}\` (the key is the last line it prints), ` +
      `or restart with KHABAR_ADMIN_KEY set to a generated value (\`${GENERATE_KEY}\`)`)
  }
  return lines
}
