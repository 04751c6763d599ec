import t from 'tap'
import { actualTwins, expectedTwins } from './support/twins.ts'

// Each test file that uses a database has a twin under test/postgres/ that runs it on
// PostgreSQL: a new test file without one would run on SQLite alone.
t.test('every test file that uses a database runs on PostgreSQL too', async (t) => {
  const expected = expectedTwins()
  const actual = actualTwins()
  t.ok(expected.size > 30, `${expected.size} test files use a database`)
  t.same([...actual.keys()].sort(), [...expected.keys()].sort(), 'one twin per such file, and no other (npm run test:twins writes them)')
  for (const [file, text] of expected) t.equal(actual.get(file), text, `${file} is current`)
})
