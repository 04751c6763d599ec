import { existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'

// Pages copied per step of an online backup. Another connection's write between two
// steps restarts the copy, so the whole file goes in one step after the first: in WAL
// mode that step reads one snapshot and never blocks the server's writers.
const BACKUP_STEP_PAGES = 1_000_000_000

// A consistent copy of a live database (SQLite's online backup), safe while a server writes.
export async function backupDatabase (path: string, target: string): Promise<number> {
  if (!existsSync(path)) throw new Error(`There is no database at ${path}`)
  const db = new Database(path, { fileMustExist: true })
  try {
    const { totalPages } = await db.backup(target, { progress: () => BACKUP_STEP_PAGES })
    return totalPages
  } finally {
    db.close()
  }
}

// True while another connection, in this process or any other, has the database open.
// A khabar server keeps its database in WAL mode, and every connection to a WAL database
// holds a shared lock on it for as long as it is open; leaving WAL mode needs the only
// connection. So the probe tries to leave it, without waiting: SQLITE_BUSY means someone
// else holds the database. The operating system drops the locks of a process that dies,
// so a crashed server never leaves a stale lock behind (a lock file would).
export function databaseInUse (path: string): boolean {
  if (!existsSync(path)) return false
  const db = new Database(path, { timeout: 0 })
  try {
    db.pragma('journal_mode = DELETE')
  } catch (err) {
    // Anything else (not a database at all) is for the caller to report.
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err
    return true
  } finally {
    db.close()
  }
  return false
}

// Refuses anything but an intact SQLite file with khabar's tables.
export function checkBackup (file: string): void {
  if (!existsSync(file)) throw new Error(`There is no backup at ${file}`)
  let db: Database.Database | undefined
  try {
    db = new Database(file, { fileMustExist: true })
    const ok = db.pragma('integrity_check', { simple: true }) === 'ok'
    const khabar = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").get() !== undefined
    if (!ok || !khabar) throw new Error('it fails the integrity check or has no articles table')
  } catch (err) {
    throw new Error(`${file} is not a khabar database backup: ${(err as Error).message}`)
  } finally {
    db?.close()
  }
}

// Puts a backup in place of the database, through the same backup API (so a server
// that starts meanwhile waits on SQLite's locks rather than reading a half-copied file).
export async function restoreDatabase (file: string, path: string): Promise<number> {
  checkBackup(file)
  if (databaseInUse(path)) {
    throw new Error(`The database ${path} is open in another process (a running khabar server?). Stop it, then restore.`)
  }
  mkdirSync(dirname(resolve(path)), { recursive: true })
  const source = new Database(file, { fileMustExist: true })
  try {
    const { totalPages } = await source.backup(path)
    return totalPages
  } finally {
    source.close()
  }
}
