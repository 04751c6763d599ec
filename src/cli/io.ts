import type { Config } from '../config.ts'
import { compose, type Khabar } from '../compose.ts'

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

// Runs fn on khabar composed as the server composes it (the configured storage,
// migrated; REVISIONS_KEEP and every other setting applied), and closes it once fn
// has settled.
export async function withKhabar<T> (config: Config, fn: (khabar: Khabar) => Promise<T>): Promise<T> {
  const khabar = await compose(config)
  try {
    return await fn(khabar)
  } finally {
    await khabar.close()
  }
}
