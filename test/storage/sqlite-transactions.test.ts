import { test } from 'tap'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { openSqliteStorage } from '../../src/storage/sqlite/index.ts'

const open = (t: { teardown: (fn: () => unknown) => void }): ReturnType<typeof openSqliteStorage> => {
  const storage = openSqliteStorage(':memory:')
  t.teardown(async () => { await storage.close() })
  return storage
}

const insertKey = async (storage: ReturnType<typeof openSqliteStorage>, name: string): Promise<void> => {
  await storage.keys.insert({ name, role: 'editor', hash: `hash-${name}`, prefix: 'khb_x', createdAt: 0 })
}
const names = async (storage: ReturnType<typeof openSqliteStorage>): Promise<string[]> => (await storage.keys.all()).map(k => k.name)

test('a transaction commits what it wrote when it resolves, and nothing when it throws', async (t) => {
  const storage = open(t)
  t.equal(await storage.transaction(async () => { await insertKey(storage, 'kept'); return 7 }), 7)
  await t.rejects(storage.transaction(async () => {
    await insertKey(storage, 'dropped')
    throw new Error('refused')
  }), /refused/)
  t.same(await names(storage), ['kept'])
})

test('a nested transaction rolls back alone; the outer one keeps the rest', async (t) => {
  const storage = open(t)
  await storage.transaction(async () => {
    await insertKey(storage, 'outer')
    await t.rejects(storage.transaction(async () => {
      await insertKey(storage, 'inner')
      throw new Error('inner refused')
    }))
    await storage.transaction(async () => { await insertKey(storage, 'second inner') })
  })
  t.same(await names(storage), ['outer', 'second inner'])
})

test('a transaction held open across an event-loop turn is rolled back with an error that says why', async (t) => {
  const storage = open(t)
  await t.rejects(storage.transaction(async () => {
    await insertKey(storage, 'late')
    await nextTurn()
  }), /stayed open across an event-loop turn/)
  t.same(await names(storage), [], 'nothing it wrote is kept')
  await storage.transaction(async () => { await insertKey(storage, 'after') })
  t.same(await names(storage), ['after'], 'the next transaction works')
})

test('ping answers while the database is open', async (t) => {
  const storage = openSqliteStorage(':memory:')
  await storage.ping()
  await storage.close()
  await t.rejects(storage.ping(), 'not once it is closed')
})
