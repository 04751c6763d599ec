import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, dirname, posix, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const TEST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
export const TWIN_DIR = join(TEST_DIR, 'postgres')

// Test files about SQLite itself (its schema, upgrades of old files, its transactions), and
// the schema drift test, which checks PostgreSQL itself whenever TEST_DATABASE_URL is set.
const NO_TWIN = new Set(['storage/sqlite-schema.test.ts', 'storage/sqlite-upgrade.test.ts', 'storage/sqlite-transactions.test.ts', 'storage/schema-drift.test.ts'])

function testFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith('.test.ts'))
    .map(e => relative(TEST_DIR, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter(f => !f.startsWith('postgres/'))
    .sort()
}

// A test file runs on both engines when it builds the app or runs the CLI on a database.
const usesDatabase = (source: string): boolean => /from '(\.\.\/)*(\.\/)?(helper|support\/cli)\.ts'/.test(source) && /\b(build|cli)\(/.test(source)

/** Every twin there should be: its path under test/ and its text. */
export function expectedTwins (): Map<string, string> {
  const out = new Map<string, string>()
  for (const file of testFiles(TEST_DIR)) {
    if (NO_TWIN.has(file) || !usesDatabase(readFileSync(join(TEST_DIR, file), 'utf8'))) continue
    const twin = `postgres/${file}`
    const up = posix.relative(posix.dirname(twin), '.') || '.'
    out.set(twin, `// The tests of test/${file}, on PostgreSQL (TEST_DATABASE_URL), in a process of their own.
// Written by \`npm run test:twins\`; test/postgres-twins.test.ts checks that every twin is there.
import { runOnPostgres } from '${up}/support/postgres-twin.ts'

await runOnPostgres(async () => await import('${up}/${file}'))
`)
  }
  return out
}

export function actualTwins (): Map<string, string> {
  const out = new Map<string, string>()
  if (!existsSync(TWIN_DIR)) return out
  for (const e of readdirSync(TWIN_DIR, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue
    const file = relative(TEST_DIR, join(e.parentPath, e.name)).split(sep).join('/')
    out.set(file, readFileSync(join(TEST_DIR, file), 'utf8'))
  }
  return out
}
