import { Command, InvalidArgumentError } from 'commander'
import { loadConfig, type Config } from '../config.ts'
import { openDatabase, runMigrations } from '../storage/sqlite/database.ts'
import { buildServices, type Services } from '../http/plugins/services.ts'
import { systemClock } from '../domain/clock.ts'
import type { Role } from '../domain/keys/key-service.ts'
import { addTransferCommands } from './transfer.ts'

export interface Io {
  out: (line: string) => void
  err: (line: string) => void
  env: Record<string, string | undefined>
  // The streams import - and export read and write (the process's own in main.ts);
  // a progress bar is drawn only when stderr is a terminal.
  stdin?: NodeJS.ReadableStream
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream & { isTTY?: boolean }
}

// Runs fn against the configured database, migrated, and closes it after.
function withServices<T> (config: Config, fn: (services: Services) => T): T {
  const database = openDatabase(config.DATABASE_PATH)
  try {
    runMigrations(database.db)
    return fn(buildServices(database, systemClock))
  } finally {
    database.sqlite.close()
  }
}

const positiveInt = (value: string): number => {
  if (!/^[0-9]{1,15}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a positive integer')
  return Number(value)
}

const role = (value: string): Role => {
  if (value !== 'editor' && value !== 'admin') throw new InvalidArgumentError('must be editor or admin')
  return value
}

// The `khabar` command. Settings (DATABASE_PATH above all) come from the environment,
// as for the server.
export function buildProgram (io: Io): Command {
  const program = new Command('khabar')
    .description('khabar: Arabic-first headless CMS for news publishers')
    .configureOutput({ writeOut: s => io.out(s.trimEnd()), writeErr: s => io.err(s.trimEnd()) })
    .exitOverride()
  const config = (): Config => loadConfig(io.env)

  program.command('serve')
    .description('apply pending migrations, then serve the API (same as npm start)')
    // Listens until a signal: exercised by the child-process server test, not in-process.
    /* c8 ignore next 4 */
    .action(async () => {
      const { start } = await import('../server.ts')
      await start()
    })

  program.command('migrate')
    .description('apply pending database migrations')
    .action(() => {
      const c = config()
      withServices(c, () => undefined)
      io.out(`Database ${c.DATABASE_PATH} is up to date.`)
    })

  const keys = program.command('keys').description('manage API keys')
  keys.command('create')
    .description('create a key; the key is the last line printed')
    .requiredOption('--name <name>', 'who or what the key is for')
    .option('--role <role>', 'editor or admin', role, 'editor' as Role)
    .action((opts: { name: string, role: Role }) => {
      const created = withServices(config(), s => s.keys.create(opts.name, opts.role))
      io.out(`Created ${created.role} key ${created.id} (${created.name}). It is shown only now:`)
      io.out(created.key)
    })
  keys.command('list')
    .description('list keys (never their secrets)')
    .action(() => {
      const list = withServices(config(), s => s.keys.list())
      if (list.length === 0) io.out('No keys yet. Create one with: khabar keys create --role editor --name NAME')
      for (const k of list) {
        io.out([k.id, k.role, k.prefix + '…', k.name, `created ${k.createdAt}`, k.lastUsedAt === null ? 'never used' : `used ${k.lastUsedAt}`, k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`].join('\t'))
      }
    })
  keys.command('revoke')
    .description('revoke a key; it stops working at once')
    .argument('<id>', 'the key id', positiveInt)
    .action((id: number) => {
      const key = withServices(config(), s => s.keys.revoke(id))
      io.out(`Revoked key ${key.id} (${key.name}).`)
    })
  addTransferCommands(program, io, config)
  return program
}

// Runs the command line; returns the exit code rather than exiting, for tests.
export async function runCli (argv: string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' })
    return 0
  } catch (err) {
    const e = err as { code?: string, message: string }
    // Commander has already printed its own message for these.
    if (e.code?.startsWith('commander.') === true) return e.code === 'commander.helpDisplayed' ? 0 : 1
    io.err(`khabar: ${e.message}`)
    return 1
  }
}
