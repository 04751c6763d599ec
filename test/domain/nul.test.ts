import { test } from 'tap'
import { nulPath } from '../../src/domain/shapes/nul.ts'
import { databaseName, redactedUrl, replicaUrls } from '../../src/config.ts'

test('nulPath points at the first string holding U+0000, value or key, however deep', async (t) => {
  t.equal(nulPath('a\u0000b'), '')
  t.equal(nulPath({ title: 'x', tags: ['a', 'b\u0000'] }), '/tags/1')
  t.equal(nulPath({ 'a\u0000': 1 }), '/a\u0000', 'a key')
  t.equal(nulPath({ 'a/b~c': { x: '\u0000' } }), '/a~1b~0c/x', 'keys escaped as JSON pointers')
  t.equal(nulPath(Object.assign(Object.create(null), { q: 'x\u0000' })), '/q', 'a query object without a prototype')
  t.equal(nulPath({ title: 'نص عادي', n: 1, ok: true, none: null }), undefined)
  let deep: unknown = 'x\u0000'
  for (let i = 0; i < 100_000; i++) deep = [deep]
  t.equal(nulPath(deep), '/0'.repeat(100_000), 'nested deeper than the call stack')
  // A stream (the import's body) is not walked.
  const { Readable } = await import('node:stream')
  t.equal(nulPath(Readable.from(['a\u0000'])), undefined)
})

test('a database URL in a message keeps its password out', async (t) => {
  t.equal(redactedUrl('postgres://u:p@h:5432/d?options=-c%20search_path%3Dx'), 'postgres://u:***@h:5432/d?options=-c%20search_path%3Dx')
  t.equal(redactedUrl('postgres://h/d'), 'postgres://h/d')
  t.equal(redactedUrl('postgres://[::1'), 'postgres://(an unreadable URL)')
  t.same(replicaUrls({ DATABASE_REPLICA_URLS: ' postgres://r1/d , postgres://r2/d,' }), ['postgres://r1/d', 'postgres://r2/d'])
  t.same(replicaUrls({ DATABASE_REPLICA_URLS: '' }), [])
  t.equal(databaseName({ DATABASE_PATH: './data/khabar.db', DATABASE_URL: undefined }), './data/khabar.db')
  t.equal(databaseName({ DATABASE_PATH: './data/khabar.db', DATABASE_URL: 'postgres://u:p@h/d' }), 'PostgreSQL postgres://u:***@h/d')
})
