import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../storage/sqlite/database.ts'
import { apiKeys, type ApiKeyRow } from '../../storage/sqlite/schema.ts'
import type { ApiKey, ApiKeyCreated } from '../shapes/keys.ts'
import { notFound } from '../errors.ts'
import { iso, isoOrNull, type Clock } from '../clock.ts'

export type Role = 'editor' | 'admin'
export interface Principal { id: number, name: string, role: Role }

// Keys are 256 random bits, so a fast hash is enough: nobody can brute-force the
// preimage, and a lookup by hash costs one indexed read.
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')

// lastUsedAt is written at most this often per key, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000

export class KeyService {
  private readonly byHash: Database.Statement<[string], { id: number, name: string, role: Role, hash: string }>
  private readonly touch: Database.Statement<[number, number]>
  private readonly lastWritten = new Map<number, number>()

  constructor (private readonly db: Db, sqlite: Database.Database, private readonly clock: Clock) {
    this.byHash = sqlite.prepare('SELECT id, name, role, hash FROM api_keys WHERE hash = ? AND revoked_at IS NULL')
    this.touch = sqlite.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?')
  }

  create (name: string, role: Role): ApiKeyCreated {
    const key = `khb_${randomBytes(32).toString('base64url')}`
    const row = this.db.insert(apiKeys).values({
      name, role, hash: hashKey(key), prefix: key.slice(0, 10), createdAt: this.clock()
    }).returning().get()
    return { ...toApi(row), key }
  }

  // KHABAR_ADMIN_KEY: after this, an active admin key with exactly this value exists.
  ensureAdmin (key: string): ApiKey {
    const hash = hashKey(key)
    const existing = this.db.select().from(apiKeys).where(eq(apiKeys.hash, hash)).get()
    if (existing !== undefined) {
      const row = this.db.update(apiKeys).set({ role: 'admin', revokedAt: null })
        .where(eq(apiKeys.id, existing.id)).returning().get()
      return toApi(row)
    }
    const row = this.db.insert(apiKeys).values({
      name: 'KHABAR_ADMIN_KEY', role: 'admin', hash, prefix: key.slice(0, 10), createdAt: this.clock()
    }).returning().get()
    return toApi(row)
  }

  list (): ApiKey[] {
    return this.db.select().from(apiKeys).orderBy(apiKeys.id).all().map(toApi)
  }

  get (id: number): ApiKey {
    const row = this.db.select().from(apiKeys).where(eq(apiKeys.id, id)).get()
    if (row === undefined) throw notFound(`Key ${id}`)
    return toApi(row)
  }

  revoke (id: number): ApiKey {
    const row = this.db.update(apiKeys).set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${this.clock()})` })
      .where(eq(apiKeys.id, id)).returning().get()
    if (row === undefined) throw notFound(`Key ${id}`)
    return toApi(row)
  }

  // Looked up on every request, so revocation (even by the CLI in another process)
  // takes effect on the next one.
  authenticate (key: string): Principal | null {
    const hash = hashKey(key)
    const row = this.byHash.get(hash)
    if (row === undefined || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return null
    const now = this.clock()
    const last = this.lastWritten.get(row.id) ?? 0
    if (now - last >= LAST_USED_RESOLUTION_MS) {
      this.lastWritten.set(row.id, now)
      this.touch.run(now, row.id)
    }
    return { id: row.id, name: row.name, role: row.role }
  }
}

function toApi (row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: iso(row.createdAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    revokedAt: isoOrNull(row.revokedAt)
  }
}
