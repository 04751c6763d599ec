import { eq, sql } from 'drizzle-orm'
import type { KeyStore } from '../../domain/keys/key-store.ts'
import type { Connection } from './database.ts'
import { apiKeys } from './schema.ts'

export function sqliteKeyStore ({ db, sqlite }: Connection): KeyStore {
  const activeByHash = sqlite.prepare('SELECT id, name, role, hash FROM api_keys WHERE hash = ? AND revoked_at IS NULL')
  const touch = sqlite.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?')
  return {
    insert: async (row) => db.insert(apiKeys).values(row).returning().get(),
    byHash: async (hash) => db.select().from(apiKeys).where(eq(apiKeys.hash, hash)).get(),
    activeByHash: async (hash) => activeByHash.get(hash) as Awaited<ReturnType<KeyStore['activeByHash']>>,
    byId: async (id) => db.select().from(apiKeys).where(eq(apiKeys.id, id)).get(),
    all: async () => db.select().from(apiKeys).orderBy(apiKeys.id).all(),
    reinstateAdmin: async (id) => db.update(apiKeys).set({ role: 'admin', revokedAt: null }).where(eq(apiKeys.id, id)).returning().get() as NonNullable<Awaited<ReturnType<KeyStore['byId']>>>,
    revoke: async (id, at) => db.update(apiKeys).set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at})` }).where(eq(apiKeys.id, id)).returning().get(),
    touch: async (id, at) => { touch.run(at, id) }
  }
}
