import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseEnv } from 'node:util'

// The entry points (the server and the khabar command) read ./.env into the environment
// before the settings are checked; loadConfig itself only ever reads the env it is given.
// A variable already in the environment wins over the file, even when empty (`PORT= npm
// start` means the default, whatever .env says); a missing file is no error. Returns the
// names the file set.
export function loadEnvFile (path = '.env', env: Record<string, string | undefined> = process.env): string[] {
  let text: string
  try {
    text = readFileSync(resolve(path), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new Error(`cannot read ${resolve(path)}: ${(err as Error).message}`)
  }
  const set: string[] = []
  for (const [name, value] of Object.entries(parseEnv(text) as Record<string, string>)) {
    if (env[name] !== undefined) continue
    env[name] = value
    set.push(name)
  }
  return set
}
