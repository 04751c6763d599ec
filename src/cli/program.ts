import { Command, InvalidArgumentError } from 'commander'
import { databaseName, loadConfig, type Config } from '../config.ts'
import { ROLES, type Role } from '../domain/enums.ts'
import { withKhabar, type Io } from './io.ts'
import { addTransferCommands } from './transfer.ts'

export type { Io }

const positiveInt = (value: string): number => {
  if (!/^[0-9]{1,15}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a positive integer')
  return Number(value)
}

const role = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be ${ROLES.join(' or ')}`)
  return value as Role
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
    .action(async () => {
      const c = config()
      await withKhabar(c, async () => undefined)
      io.out(`Database ${databaseName(c)} is up to date.`)
    })

  const keys = program.command('keys').description('manage API keys')
  keys.command('create')
    .description('create a key; the key is the last line printed')
    .requiredOption('--name <name>', 'who or what the key is for')
    .option('--role <role>', 'editor or admin', role, 'editor' as Role)
    .action(async (opts: { name: string, role: Role }) => {
      const created = await withKhabar(config(), async k => await k.services.keys.create(opts.name, opts.role))
      io.out(`Created ${created.role} key ${created.id} (${created.name}). It is shown only now:`)
      io.out(created.key)
    })
  keys.command('list')
    .description('list keys (never their secrets)')
    .action(async () => {
      const list = await withKhabar(config(), async k => await k.services.keys.list())
      if (list.length === 0) io.out('No keys yet. Create one with: khabar keys create --role editor --name NAME')
      for (const k of list) {
        io.out([k.id, k.role, k.prefix + '…', k.name, `created ${k.createdAt}`, k.lastUsedAt === null ? 'never used' : `used ${k.lastUsedAt}`, k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`].join('\t'))
      }
    })
  keys.command('revoke')
    .description('revoke a key; it stops working at once')
    .argument('<id>', 'the key id', positiveInt)
    .action(async (id: number) => {
      const key = await withKhabar(config(), async k => await k.services.keys.revoke(id))
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
