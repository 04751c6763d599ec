import { execFile } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import pg from 'pg'
import { getTableName, is, sql, type SQL } from 'drizzle-orm'
import { getTableConfig as sqliteConfig, SQLiteSyncDialect, SQLiteTable, sqliteTable, integer as sqliteInteger } from 'drizzle-orm/sqlite-core'
import { getTableConfig as pgConfig, PgDialect, PgTable, pgTable, integer, bigint, text, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import * as sqliteSchema from '../../src/storage/sqlite/schema.ts'
import * as pgSchema from '../../src/storage/postgres/schema.ts'
import { openDatabase, runMigrations } from '../../src/storage/sqlite/database.ts'
import { tempDir } from '../helper.ts'

// The SQLite and PostgreSQL Drizzle schemas describe one database: this keeps them equal,
// table by table, and the committed migrations of each equal to its schema.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PG_MIGRATIONS = join(ROOT, 'migrations/postgres')

const sqliteTables = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable))
const pgTables = (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable))

// Tables one engine has and the other's Drizzle schema has not, each with its counterpart.
// SQLite's full-text search lives in hand-written migrations (0002, 0005): two FTS5 virtual
// tables, articles_fts and article_titles_fts, and search_indexed (which article at which
// version they hold), none of them in its Drizzle schema. PostgreSQL keeps all of that in
// one ordinary table of its schema, search_index (tsvectors with GIN indexes, and the version).
const PG_ONLY: Record<string, string[]> = { search_index: ['articles_fts', 'article_titles_fts', 'search_indexed'] }
const SQLITE_ONLY: Record<string, string[]> = {}

// Which PostgreSQL column types stand for each SQLite one (Drizzle column types). SQLite
// stores every number as integer; PostgreSQL keeps ms times and counters that may pass 2^31
// in bigint (read back as JS numbers), and booleans as boolean.
const TYPES: Record<string, string[]> = {
  SQLiteInteger: ['PgInteger', 'PgBigInt53'],
  SQLiteBoolean: ['PgBoolean'],
  SQLiteText: ['PgText']
}

interface ColumnShape { type: string, notNull: boolean, hasDefault: boolean, generated: boolean, enumValues: string[] | null }
interface TableShape {
  name: string
  columns: Map<string, ColumnShape>
  primaryKey: string[]
  foreignKeys: string[]
  indexes: Map<string, { columns: string[], unique: boolean, where: string | null }>
}

const sqliteDialect = new SQLiteSyncDialect()
const pgDialect = new PgDialect()
const whereText = (where: SQL | undefined, render: (s: SQL) => string): string | null =>
  where === undefined ? null : render(where).replace(/\s+/g, ' ').trim()

function fkText (columns: string[], table: string, foreignColumns: string[], onDelete: string | undefined): string {
  return `(${columns.join(', ')}) -> ${table}(${foreignColumns.join(', ')}) on delete ${onDelete ?? 'no action'}`
}

function sqliteShape (table: SQLiteTable): TableShape {
  const config = sqliteConfig(table)
  return {
    name: config.name,
    columns: new Map(config.columns.map(c => [c.name, {
      type: c.columnType,
      notNull: c.notNull,
      hasDefault: c.hasDefault,
      generated: (c as { autoIncrement?: boolean }).autoIncrement === true,
      enumValues: c.enumValues ?? null
    }])),
    primaryKey: config.primaryKeys.length > 0 ? config.primaryKeys[0].columns.map(c => c.name) : config.columns.filter(c => c.primary).map(c => c.name),
    foreignKeys: config.foreignKeys.map((fk) => {
      const ref = fk.reference()
      return fkText(ref.columns.map(c => c.name), getTableName(ref.foreignTable), ref.foreignColumns.map(c => c.name), fk.onDelete)
    }).sort(),
    indexes: new Map(config.indexes.map(i => [i.config.name, {
      columns: i.config.columns.map(c => (c as { name: string }).name),
      unique: i.config.unique,
      where: whereText(i.config.where, s => sqliteDialect.sqlToQuery(s).sql)
    }]))
  }
}

function pgShape (table: PgTable): TableShape {
  const config = pgConfig(table)
  return {
    name: config.name,
    columns: new Map(config.columns.map(c => [c.name, {
      type: c.columnType,
      notNull: c.notNull,
      hasDefault: c.hasDefault,
      generated: c.generatedIdentity !== undefined,
      enumValues: c.enumValues ?? null
    }])),
    primaryKey: config.primaryKeys.length > 0 ? config.primaryKeys[0].columns.map(c => c.name) : config.columns.filter(c => c.primary).map(c => c.name),
    foreignKeys: config.foreignKeys.map((fk) => {
      const ref = fk.reference()
      return fkText(ref.columns.map(c => c.name), getTableName(ref.foreignTable), ref.foreignColumns.map(c => c.name), fk.onDelete)
    }).sort(),
    indexes: new Map(config.indexes.map(i => [i.config.name ?? '(unnamed)', {
      columns: i.config.columns.map(c => (c as { name: string }).name),
      unique: i.config.unique,
      where: whereText(i.config.where, s => pgDialect.sqlToQuery(s).sql)
    }]))
  }
}

// Every difference between the two schemas, in words; none when they agree.
function schemaDrift (sqlite: SQLiteTable[], postgres: PgTable[]): string[] {
  const found: string[] = []
  const a = new Map(sqlite.map(sqliteShape).map(s => [s.name, s]))
  const b = new Map(postgres.map(pgShape).map(s => [s.name, s]))
  for (const name of a.keys()) if (!b.has(name) && !(name in SQLITE_ONLY)) found.push(`${name}: table only in SQLite`)
  for (const name of b.keys()) if (!a.has(name) && !(name in PG_ONLY)) found.push(`${name}: table only in PostgreSQL`)
  for (const [name, s] of a) {
    const p = b.get(name)
    if (p === undefined) continue
    for (const column of s.columns.keys()) if (!p.columns.has(column)) found.push(`${name}.${column}: column only in SQLite`)
    for (const column of p.columns.keys()) if (!s.columns.has(column)) found.push(`${name}.${column}: column only in PostgreSQL`)
    for (const [column, sc] of s.columns) {
      const pc = p.columns.get(column)
      if (pc === undefined) continue
      const at = `${name}.${column}`
      if (!(TYPES[sc.type] ?? []).includes(pc.type)) found.push(`${at}: ${sc.type} in SQLite, ${pc.type} in PostgreSQL`)
      if (sc.type === 'SQLiteInteger' && column.endsWith('_at') && pc.type !== 'PgBigInt53') found.push(`${at}: a time in ms needs bigint in PostgreSQL, not ${pc.type}`)
      if (sc.notNull !== pc.notNull) found.push(`${at}: notNull ${sc.notNull} in SQLite, ${pc.notNull} in PostgreSQL`)
      // Drizzle gives every SQLite integer primary key a default, the rowid: what matters
      // there is whether ids are generated (autoincrement / identity), compared next.
      const rowid = sc.type === 'SQLiteInteger' && s.primaryKey.length === 1 && s.primaryKey[0] === column
      if (!rowid && sc.hasDefault !== pc.hasDefault) found.push(`${at}: default ${sc.hasDefault ? 'only in SQLite' : 'only in PostgreSQL'}`)
      if (sc.generated !== pc.generated) found.push(`${at}: generated id (autoincrement / identity) ${sc.generated ? 'only in SQLite' : 'only in PostgreSQL'}`)
      if (JSON.stringify(sc.enumValues) !== JSON.stringify(pc.enumValues)) found.push(`${at}: enum ${JSON.stringify(sc.enumValues)} in SQLite, ${JSON.stringify(pc.enumValues)} in PostgreSQL`)
    }
    if (s.primaryKey.join(',') !== p.primaryKey.join(',')) found.push(`${name}: primary key (${s.primaryKey.join(', ')}) in SQLite, (${p.primaryKey.join(', ')}) in PostgreSQL`)
    for (const fk of s.foreignKeys) if (!p.foreignKeys.includes(fk)) found.push(`${name}: foreign key ${fk} only in SQLite`)
    for (const fk of p.foreignKeys) if (!s.foreignKeys.includes(fk)) found.push(`${name}: foreign key ${fk} only in PostgreSQL`)
    for (const index of s.indexes.keys()) if (!p.indexes.has(index)) found.push(`${name}: index ${index} only in SQLite`)
    for (const index of p.indexes.keys()) if (!s.indexes.has(index)) found.push(`${name}: index ${index} only in PostgreSQL`)
    for (const [index, si] of s.indexes) {
      const pi = p.indexes.get(index)
      if (pi === undefined) continue
      if (si.columns.join(',') !== pi.columns.join(',')) found.push(`${name}: index ${index} on (${si.columns.join(', ')}) in SQLite, (${pi.columns.join(', ')}) in PostgreSQL`)
      if (si.unique !== pi.unique) found.push(`${name}: index ${index} unique ${si.unique} in SQLite, ${pi.unique} in PostgreSQL`)
      if (si.where !== pi.where) found.push(`${name}: index ${index} where ${si.where ?? '(none)'} in SQLite, ${pi.where ?? '(none)'} in PostgreSQL`)
    }
  }
  return found
}

t.test('the SQLite and PostgreSQL schemas declare the same tables, columns, keys and indexes', async (t) => {
  t.ok(sqliteTables.length >= 12, `${sqliteTables.length} SQLite tables`)
  t.equal(pgTables.length, sqliteTables.length + Object.keys(PG_ONLY).length - Object.keys(SQLITE_ONLY).length, `${pgTables.length} PostgreSQL tables`)
  t.same(schemaDrift(sqliteTables, pgTables), [], 'no drift')

  const publicIndexes = pgConfig(pgSchema.articles).indexes.filter(i => i.config.name?.startsWith('articles_public_') === true)
  t.equal(publicIndexes.length, 3, 'three partial indexes over what the public sees')
  for (const i of publicIndexes) {
    t.equal(whereText(i.config.where, s => pgDialect.sqlToQuery(s).sql), "status = 'published' and deleted_at is null", `${i.config.name}: where`)
  }
})

t.test('the search exception stands for what SQLite really has', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.sqlite.close())
  runMigrations(db.db)
  const sqliteNames = new Set(sqliteTables.map(table => getTableName(table)))
  for (const [name, counterparts] of Object.entries(PG_ONLY)) {
    for (const counterpart of counterparts) {
      t.ok(db.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(counterpart), `SQLite's migrations make ${counterpart}`)
      t.notOk(sqliteNames.has(counterpart), `which its Drizzle schema does not declare (PostgreSQL: ${name})`)
    }
  }
  // search_indexed's columns are all in search_index, the same way.
  const indexed = db.sqlite.prepare("SELECT name, \"notnull\" AS required, pk FROM pragma_table_info('search_indexed') ORDER BY cid").all() as Array<{ name: string, required: number, pk: number }>
  const searchIndex = pgShape(pgSchema.searchIndex)
  t.same(indexed.map(c => c.name), ['article_id', 'version'])
  for (const c of indexed) t.equal(searchIndex.columns.get(c.name)?.notNull, c.required === 1 || c.pk === 1, `search_index.${c.name}`)
  t.same(searchIndex.primaryKey, ['article_id'])
  t.same(searchIndex.foreignKeys, ['(article_id) -> articles(id) on delete cascade'])
  t.same([...searchIndex.indexes.keys()].sort(), ['search_index_document_idx', 'search_index_title_idx'])
})

t.test('the comparison finds drift', async (t) => {
  // Altered copies of PostgreSQL tables, each a mistake a later change could make.
  const tags = pgTable('tags', {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug'), // nullable
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull() // an int4 time; updated_at forgotten
  }, (t) => [
    uniqueIndex('tags_slug_unique').on(t.slug),
    index('tags_name_unique').on(t.name) // no longer unique
  ])
  const articleViewsDaily = pgTable('article_views_daily', {
    articleId: integer('article_id').notNull().references(() => pgSchema.articles.id, { onDelete: 'set null' }),
    day: integer('day').notNull(),
    views: bigint('views', { mode: 'number' }).notNull().default(0),
    extra: text('extra')
  }, (t) => [
    index('article_views_daily_day_idx').on(t.day, t.articleId, t.views).where(sql`views > 0`)
  ])
  const altered = pgTables.filter(table => !['tags', 'article_views_daily', 'catalog_epoch'].includes(getTableName(table)))
  const found = schemaDrift(sqliteTables, [...altered, tags, articleViewsDaily])
  t.same(found.sort(), [
    'article_views_daily.extra: column only in PostgreSQL',
    'article_views_daily: foreign key (article_id) -> articles(id) on delete cascade only in SQLite',
    'article_views_daily: foreign key (article_id) -> articles(id) on delete set null only in PostgreSQL',
    'article_views_daily: index article_views_daily_day_idx where (none) in SQLite, views > 0 in PostgreSQL',
    'article_views_daily: primary key (article_id, day) in SQLite, () in PostgreSQL',
    'catalog_epoch: table only in SQLite',
    'tags.created_at: a time in ms needs bigint in PostgreSQL, not PgInteger',
    'tags.slug: notNull true in SQLite, false in PostgreSQL',
    'tags.updated_at: column only in SQLite',
    'tags: index tags_name_unique unique true in SQLite, false in PostgreSQL'
  ].sort(), 'every alteration reported, and nothing else')

  // And the other way: a SQLite column retyped.
  const retyped = sqliteTables.filter(table => table !== sqliteSchema.catalogEpoch)
  const epoch = sqliteTable('catalog_epoch', { id: sqliteInteger('id').primaryKey(), value: sqliteInteger('value', { mode: 'boolean' }).notNull() })
  t.same(schemaDrift([...retyped, epoch], pgTables), ['catalog_epoch.value: SQLiteBoolean in SQLite, PgBigInt53 in PostgreSQL'])
})

const run = promisify(execFile)
const DRIZZLE_KIT = join(ROOT, 'node_modules/drizzle-kit/bin.cjs')

for (const [engine, dialect, schemaPath, folder] of [
  ['SQLite', 'sqlite', 'src/storage/sqlite/schema.ts', 'migrations/sqlite'],
  ['PostgreSQL', 'postgresql', 'src/storage/postgres/schema.ts', 'migrations/postgres']
] as const) {
  t.test(`drizzle-kit generate finds nothing to add to the committed ${engine} migrations`, async (t) => {
    const dir = tempDir(t)
    const out = join(dir, 'out')
    cpSync(join(ROOT, folder), out, { recursive: true })
    const config = join(dir, 'drizzle.config.ts')
    // drizzle-kit takes out relative to the working directory (an absolute one is refused,
    // with exit code 0), so it runs in the temporary directory.
    writeFileSync(config, `export default ${JSON.stringify({ dialect, schema: join(ROOT, schemaPath), out: './out' })}\n`)
    const before = readdirSync(out, { recursive: true }).map(String).sort()
    const journal = readFileSync(join(out, 'meta/_journal.json'), 'utf8')
    // No coverage from drizzle-kit: it loads the schemas through its own transpiler, whose
    // ranges, merged with the tests' own, garble tap's coverage of those files.
    const env: NodeJS.ProcessEnv = { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' }
    delete env.NODE_V8_COVERAGE
    const { stdout, stderr } = await run(process.execPath, [DRIZZLE_KIT, 'generate', '--config', config], { cwd: dir, timeout: 60_000, env })
    t.same(readdirSync(out, { recursive: true }).map(String).sort(), before, 'no new migration')
    t.equal(readFileSync(join(out, 'meta/_journal.json'), 'utf8'), journal, 'the journal unchanged')
    t.match(stdout + stderr, /No schema changes/, 'drizzle-kit says so')
  })
}

const DATABASE_URL = process.env.TEST_DATABASE_URL
t.test('the PostgreSQL migrations build the schema in a fresh schema, and notify changes', {
  skip: DATABASE_URL === undefined || DATABASE_URL === '' ? 'TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)' : false
}, async (t) => {
  const schema = `drift_${process.pid}_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  await admin.connect()
  t.teardown(async () => { await admin.end() })
  await admin.query(`CREATE SCHEMA "${schema}"`)
  t.teardown(async () => { await admin.query(`DROP SCHEMA "${schema}" CASCADE`) })

  const pool = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 })
  t.teardown(async () => { await pool.end() })
  await migrate(drizzle(pool), { migrationsFolder: PG_MIGRATIONS, migrationsSchema: schema })

  const { rows: columns } = await admin.query<{ table: string, column: string, nullable: string, type: string }>(
    `SELECT table_name AS table, column_name AS column, is_nullable AS nullable, udt_name AS type
       FROM information_schema.columns WHERE table_schema = $1`, [schema])
  const actual = new Map(columns.map(c => [`${c.table}.${c.column}`, c]))
  const tables = new Set(columns.map(c => c.table))
  tables.delete('__drizzle_migrations')
  t.same([...tables].sort(), pgTables.map(table => getTableName(table)).sort(), 'the tables of the Drizzle schema, and no others')
  const UDT: Record<string, string> = { integer: 'int4', bigint: 'int8', boolean: 'bool', text: 'text', tsvector: 'tsvector' }
  for (const table of pgTables) {
    const config = pgConfig(table)
    for (const c of config.columns) {
      const found = actual.get(`${config.name}.${c.name}`)
      t.ok(found, `${config.name}.${c.name} exists`)
      t.equal(found?.nullable, c.notNull ? 'NO' : 'YES', `${config.name}.${c.name} nullability`)
      t.equal(found?.type, UDT[c.getSQLType()], `${config.name}.${c.name} type`)
    }
    const { rows: indexes } = await admin.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = $2', [schema, config.name])
    const names = new Set(indexes.map(i => i.name))
    for (const i of config.indexes) t.ok(names.has(i.config.name ?? ''), `${config.name}: index ${i.config.name}`)
  }
  t.same((await pool.query('SELECT id, value FROM catalog_epoch')).rows, [{ id: 1, value: 0 }], 'the catalogue epoch starts at 0')

  // Notifications: one per committed transaction, with this schema as payload; none for a rollback.
  const listener = new pg.Client({ connectionString: DATABASE_URL })
  await listener.connect()
  t.teardown(async () => { await listener.end() })
  const received: string[] = []
  const waiters: Array<() => void> = []
  listener.on('notification', (n) => {
    if (n.channel !== 'khabar_changes' || n.payload !== schema) return
    received.push(n.payload)
    waiters.shift()?.()
  })
  await listener.query('LISTEN khabar_changes')
  const next = async (what: string): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notification for ${what}`)), 5000)
      waiters.push(() => { clearTimeout(timer); resolve() })
    })
  }

  const writer = await pool.connect()
  t.teardown(() => writer.release())
  let notified = next('a committed insert')
  await writer.query("INSERT INTO tags (slug, name, created_at, updated_at) VALUES ('a', 'a', 1, 1)")
  await notified
  t.same(received, [schema], 'a committed insert notifies, with the schema as payload')

  await writer.query('BEGIN')
  await writer.query("INSERT INTO tags (slug, name, created_at, updated_at) VALUES ('b', 'b', 1, 1)")
  await writer.query('ROLLBACK')
  // Notifications from one session arrive in commit order: once the next commit's has come,
  // a notification from the rollback would have come before it.
  notified = next('a transaction of several statements')
  await writer.query('BEGIN')
  await writer.query("INSERT INTO tags (slug, name, created_at, updated_at) VALUES ('c', 'c', 1, 1)")
  await writer.query("UPDATE tags SET name = 'cc' WHERE slug = 'c'")
  await writer.query("INSERT INTO categories (slug, name, created_at, updated_at) VALUES ('x', 'x', 1, 1)")
  await writer.query('COMMIT')
  await notified
  t.equal(received.length, 2, 'none for the rolled-back insert')
  notified = next('a last insert')
  await writer.query("DELETE FROM tags WHERE slug = 'a'")
  await notified
  t.equal(received.length, 3, 'and one only for the transaction over several statements and tables')
  t.same((await pool.query('SELECT value FROM catalog_epoch')).rows, [{ value: 2 }], 'the tag update and delete moved the catalogue epoch')
})
