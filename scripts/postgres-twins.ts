// Writes test/postgres/: one twin per test file that uses a database, which runs that
// file's tests on PostgreSQL (test/support/twins.ts), and removes twins of files gone.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { actualTwins, expectedTwins, TEST_DIR } from '../test/support/twins.ts'

const expected = expectedTwins()
for (const file of actualTwins().keys()) if (!expected.has(file)) rmSync(join(TEST_DIR, file))
for (const [file, text] of expected) {
  mkdirSync(dirname(join(TEST_DIR, file)), { recursive: true })
  writeFileSync(join(TEST_DIR, file), text)
}
console.log(`${expected.size} PostgreSQL twins in test/postgres/`)
