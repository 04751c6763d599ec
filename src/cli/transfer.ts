import { createReadStream, createWriteStream, statSync } from 'node:fs'
import { Readable, Transform, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Command, InvalidArgumentError } from 'commander'
import { SingleBar } from 'cli-progress'
import { redactedUrl, type Config } from '../config.ts'
import { backupDatabase, restoreDatabase } from '../storage/sqlite/maintenance.ts'
import type { ImportResult } from '../domain/shapes/transfer.ts'
import { withKhabar, type Io } from './io.ts'

interface Remote { url?: string, key?: string }

const isoTime = (value: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z')
  return new Date(value).toISOString()
}

// A URL under the server's base URL (which may itself have a path).
function endpoint (base: string, path: string, query: Record<string, string | undefined>): URL {
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`)
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value)
  return url
}

async function serverRequest (remote: Remote, path: string, query: Record<string, string | undefined>, init: RequestInit): Promise<Response> {
  if (remote.key === undefined) throw new Error('--url needs --key (an editor key)')
  const url = endpoint(remote.url as string, path, query)
  const res = await fetch(url, { ...init, headers: { ...init.headers as Record<string, string>, authorization: `Bearer ${remote.key}` } })
  if (!res.ok) {
    const text = await res.text()
    let detail = text
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text
    } catch {}
    throw new Error(`${url.origin} answered ${res.status}: ${detail}`)
  }
  return res
}

// Lines per second on a terminal (standard error), nothing when piped: counts the
// newlines of what goes through.
class Progress {
  lines = 0
  private readonly started = Date.now()
  private readonly bar: SingleBar | undefined

  constructor (io: Io, totalBytes: number | undefined) {
    const stream = io.stderr
    if (stream?.isTTY !== true) return
    const format = totalBytes === undefined
      ? '{lines} lines | {speed} lines/s | {duration_formatted}'
      : '{bar} {percentage}% | {lines} lines | {speed} lines/s | {duration_formatted}'
    this.bar = new SingleBar({ format, stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false })
    this.bar.start(totalBytes ?? 0, 0, { lines: 0, speed: 0 })
  }

  counter (): Transform {
    let bytes = 0
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        bytes += chunk.length
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++
        this.bar?.update(bytes, { lines: this.lines, speed: this.rate() })
        done(null, chunk)
      }
    })
  }

  rate (): number {
    return Math.round(this.lines / Math.max((Date.now() - this.started) / 1000, 0.001))
  }

  seconds (): string {
    return ((Date.now() - this.started) / 1000).toFixed(1)
  }

  stop (): void {
    this.bar?.update({ lines: this.lines, speed: this.rate() })
    this.bar?.stop()
  }
}

function summary (io: Io, what: string, result: ImportResult, progress: Progress): void {
  const done = result.created + result.updated + result.unchanged + result.failed
  const verb = result.dryRun ? `Checked ${what} (dry run: nothing was written)` : `Imported ${what}`
  io.out(`${verb}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.failed} failed ` +
    `(${done} lines in ${progress.seconds()} s, ${progress.rate()} lines/s)`)
  for (const { line, errors } of result.errors) {
    io.out(`line ${line}: ${errors.map(e => `${e.path === '' ? '' : `${e.path} `}${e.message}`).join('; ')}`)
  }
  if (result.moreErrors > 0) io.out(`... and ${result.moreErrors} more failed lines`)
}

// khabar import / export / backup / restore (see README, "Migrating an archive").
export function addTransferCommands (program: Command, io: Io, config: () => Config): void {
  program.command('import')
    .description('import articles from NDJSON (one per line, as POST /v1/import) into the local database, or a server with --url')
    .argument('<file>', 'an NDJSON file, or - for standard input')
    .option('--url <url>', 'the base URL of a running khabar server, instead of the local database')
    .option('--key <key>', 'an editor key, with --url')
    .option('--dry-run', 'check every line and report, writing nothing')
    .action(async (file: string, opts: Remote & { dryRun?: boolean }) => {
      const fromStdin = file === '-'
      if (fromStdin && io.stdin === undefined) throw new Error('no standard input to read')
      const total = fromStdin ? undefined : statSync(file).size
      const progress = new Progress(io, total)
      const source = (fromStdin ? io.stdin as NodeJS.ReadableStream : createReadStream(file)).pipe(progress.counter())
      const dryRun = opts.dryRun === true
      let result: ImportResult
      try {
        if (opts.url !== undefined) {
          const res = await serverRequest(opts, 'v1/import', { dryRun: dryRun ? 'true' : undefined }, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: source as unknown as ReadableStream,
            duplex: 'half'
          } as RequestInit)
          result = await res.json() as ImportResult
        } else {
          const c = config()
          result = await withKhabar(c, async k => await k.services.imports.run(source, { dryRun }))
        }
      } finally {
        progress.stop()
      }
      summary(io, fromStdin ? 'standard input' : file, result, progress)
      if (result.failed > 0) throw new Error(`${result.failed} ${result.failed === 1 ? 'line' : 'lines'} failed`)
    })

  program.command('export')
    .description('write every article as NDJSON (what import takes back) to standard output or --output')
    .option('--since <time>', 'only the articles changed at or after this ISO 8601 time', isoTime)
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('--url <url>', 'the base URL of a running khabar server, instead of the local database')
    .option('--key <key>', 'an editor key, with --url')
    .action(async (opts: Remote & { since?: string, output?: string }) => {
      if (opts.output === undefined && io.stdout === undefined) throw new Error('no standard output to write to')
      const out: Writable = opts.output === undefined ? io.stdout as Writable : createWriteStream(opts.output)
      const progress = new Progress(io, undefined)
      // Standard output stays open for whatever the caller writes next.
      const end = { end: opts.output !== undefined }
      try {
        if (opts.url !== undefined) {
          const res = await serverRequest(opts, 'v1/export', { since: opts.since }, { method: 'GET' })
          await pipeline(Readable.fromWeb(res.body as any), progress.counter(), out, end)
        } else {
          const since = opts.since === undefined ? null : Date.parse(opts.since)
          await withKhabar(config(), async (k) => {
            await pipeline(Readable.from(k.services.exports.lines(since)), progress.counter(), out, end)
          })
        }
      } finally {
        progress.stop()
      }
      io.err(`Exported ${progress.lines} articles in ${progress.seconds()} s.`)
    })

  program.command('backup')
    .description('write a consistent copy of the database to FILE, safe while the server runs')
    .argument('<file>', 'where to write the copy (replaced if it exists)')
    .action(async (file: string) => {
      const c = config()
      if (c.DATABASE_URL !== undefined) throw new Error(onPostgres('backup', `pg_dump --format=custom --file=${quoteArg(file)} ${quoteArg(redactedUrl(c.DATABASE_URL))}`))
      const pages = await backupDatabase(c.DATABASE_PATH, file)
      io.out(`Backed up ${c.DATABASE_PATH} to ${file} (${pages} pages).`)
    })

  program.command('restore')
    .description('replace the database with a backup; refused while a server (or anything else) has the database open')
    .argument('<file>', 'a file written by khabar backup')
    .action(async (file: string) => {
      const c = config()
      if (c.DATABASE_URL !== undefined) {
        throw new Error(onPostgres('restore', `pg_restore --clean --if-exists --dbname=${quoteArg(redactedUrl(c.DATABASE_URL))} ${quoteArg(file)}, then khabar migrate`))
      }
      await restoreDatabase(file, c.DATABASE_PATH)
      // An older backup is brought up to the current schema now, not at the next start.
      await withKhabar(c, async () => undefined)
      io.out(`Restored ${file} into ${c.DATABASE_PATH}.`)
    })
}

// khabar backup and restore copy the SQLite file; a PostgreSQL database has its own tools,
// which also know its roles, its replication and a live server's consistency.
function onPostgres (command: string, instead: string): string {
  return `khabar ${command} works on the SQLite file, and this khabar keeps its data in PostgreSQL (DATABASE_URL). ` +
    `Use PostgreSQL's own tools instead: ${instead}`
}

const quoteArg = (s: string): string => /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`
