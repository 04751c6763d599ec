import { join } from 'node:path'
import { runCli, type Io } from '../../src/cli/program.ts'
import { tempDir, type TestContext } from './temp-dir.ts'
import { databaseEnv } from './engine.ts'

export interface CliRun { code: number, out: string[], err: string[] }

export interface Cli {
  // The test's own directory (removed when it ends) and the database file in it.
  dir: string
  dbPath: string
  // The khabar command with these arguments, in-process, on dbPath; extra replaces parts of its Io.
  run: (argv: string[], extra?: Partial<Io>) => Promise<CliRun>
}

export function cli (t: TestContext): Cli {
  const dir = tempDir(t, 'khabar-cli-')
  const dbPath = join(dir, 'khabar.db')
  return {
    dir,
    dbPath,
    run: async (argv, extra = {}) => {
      const out: string[] = []
      const err: string[] = []
      // On PostgreSQL, the schema build() makes for the same path (test/support/engine.ts).
      const code = await runCli(argv, { out: l => out.push(l), err: l => err.push(l), env: await databaseEnv(dbPath), ...extra })
      return { code, out, err }
    }
  }
}
