// The tests of test/domain/transfer/export.test.ts, on PostgreSQL (TEST_DATABASE_URL), in a process of their own.
// Written by `npm run test:twins`; test/postgres-twins.test.ts checks that every twin is there.
import { runOnPostgres } from '../../../support/postgres-twin.ts'

await runOnPostgres(async () => await import('../../../domain/transfer/export.test.ts'))
