import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ApiKey, ApiKeyCreated } from '../shapes/keys.ts'
import type { Role } from '../enums.ts'
import type { KeyRow } from '../rows.ts'
import { NotFound } from '../errors.ts'
import { iso, isoOrNull, type Clock } from '../clock.ts'
import type { KeyStore } from './key-store.ts'

export interface Principal { id: number, name: string, role: Role }

// Keys are 256 random bits, so a fast hash is enough: nobody can brute-force the
// preimage, and a lookup by hash costs one indexed read.
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')

// lastUsedAt is written at most this often per key, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000

export class KeyService {
  private readonly lastWritten = new Map<number, number>()

  constructor (private readonly deps: { store: KeyStore, clock: Clock }) {}

  async create (name: string, role: Role): Promise<ApiKeyCreated> {
    const key = `khb_${randomBytes(32).toString('base64url')}`
    const row = await this.deps.store.insert({ name, role, hash: hashKey(key), prefix: key.slice(0, 10), createdAt: this.deps.clock() })
    return { ...toApi(row), key }
  }

  // KHABAR_ADMIN_KEY: after this, an active admin key with exactly this value exists.
  async ensureAdmin (key: string): Promise<ApiKey> {
    const hash = hashKey(key)
    const existing = await this.deps.store.byHash(hash)
    if (existing !== undefined) return toApi(await this.deps.store.reinstateAdmin(existing.id))
    try {
      return toApi(await this.deps.store.insert({ name: 'KHABAR_ADMIN_KEY', role: 'admin', hash, prefix: key.slice(0, 10), createdAt: this.deps.clock() }))
    } catch (err) {
      // Several processes starting at once on one database (PostgreSQL): another made it
      // between the lookup and the insert, and the unique hash refused this one.
      const made = await this.deps.store.byHash(hash)
      if (made === undefined) throw err
      return toApi(await this.deps.store.reinstateAdmin(made.id))
    }
  }

  async list (): Promise<ApiKey[]> {
    return (await this.deps.store.all()).map(toApi)
  }

  // Whether anyone can administer keys: the server says how to make the first one when not.
  async hasActiveAdmin (): Promise<boolean> {
    return (await this.deps.store.all()).some(row => row.role === 'admin' && row.revokedAt === null)
  }

  async get (id: number): Promise<ApiKey> {
    const row = await this.deps.store.byId(id)
    if (row === undefined) throw new NotFound(`Key ${id}`)
    return toApi(row)
  }

  async revoke (id: number): Promise<ApiKey> {
    const row = await this.deps.store.revoke(id, this.deps.clock())
    if (row === undefined) throw new NotFound(`Key ${id}`)
    return toApi(row)
  }

  // Looked up on every request, so revocation (even by the CLI in another process)
  // takes effect on the next one.
  async authenticate (key: string): Promise<Principal | null> {
    const hash = hashKey(key)
    const row = await this.deps.store.activeByHash(hash)
    if (row === undefined || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return null
    const now = this.deps.clock()
    const last = this.lastWritten.get(row.id) ?? 0
    if (now - last >= LAST_USED_RESOLUTION_MS) {
      this.lastWritten.set(row.id, now)
      await this.deps.store.touch(row.id, now)
    }
    return { id: row.id, name: row.name, role: row.role }
  }
}

function toApi (row: KeyRow): ApiKey {
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
