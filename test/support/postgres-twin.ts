import tap from 'tap'

/**
 * A twin's body: the test file it loads runs on PostgreSQL (test/support/engine.ts reads
 * KHABAR_TEST_ENGINE as it loads), or, without TEST_DATABASE_URL, the twin is skipped and
 * says why. Nothing of the test file may be loaded before this sets the engine.
 */
export async function runOnPostgres (load: () => Promise<unknown>): Promise<void> {
  if ((process.env.TEST_DATABASE_URL ?? '') === '') {
    tap.plan(0, 'TEST_DATABASE_URL is not set: the PostgreSQL run of this file is skipped (README, "Tests on PostgreSQL")')
    return
  }
  process.env.KHABAR_TEST_ENGINE = 'postgres'
  await load()
}
