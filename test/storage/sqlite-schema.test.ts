import { test } from 'tap'
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import * as schema from '../../src/storage/sqlite/schema.ts'
import { openDatabase, runMigrations } from '../../src/storage/sqlite/database.ts'

const tables = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v)

test('the committed migrations build exactly the indexes and foreign keys src/storage/sqlite/schema.ts declares', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.sqlite.close())
  runMigrations(db.db)
  t.ok(tables.length >= 8, `${tables.length} tables declared`)
  for (const table of tables) {
    const config = getTableConfig(table)
    const indexes = db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").pluck().all(config.name)
    t.same(indexes, config.indexes.map(i => i.config.name).sort(), `${config.name}: indexes`)
    const fks = db.sqlite.prepare('SELECT "table" AS target, "from" AS column, on_delete AS onDelete FROM pragma_foreign_key_list(?) ORDER BY "from"').all(config.name) as Array<{ target: string, column: string, onDelete: string }>
    const declared = config.foreignKeys.map((fk) => {
      const ref = fk.reference()
      return { target: getTableConfig(ref.foreignTable).name, column: ref.columns[0].name, onDelete: (fk.onDelete ?? 'no action').toUpperCase() }
    }).sort((a, b) => a.column.localeCompare(b.column))
    t.same(fks, declared, `${config.name}: foreign keys`)
  }
  t.equal(db.sqlite.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are enforced')
})
