import type { KeyStore } from '../../domain/keys/key-store.ts'
import type { KeyRow } from '../../domain/rows.ts'
import type { Sql } from './database.ts'

const KEY = 'id, name, role, hash, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"'

export function pgKeyStore (sql: Sql): KeyStore {
  return {
    insert: async (row) => await sql.one<KeyRow>(`INSERT INTO api_keys (name, role, hash, prefix, created_at)
      VALUES (@name, @role, @hash, @prefix, @createdAt) RETURNING ${KEY}`, row as unknown as Record<string, unknown>) as KeyRow,
    byHash: async (hash) => await sql.one<KeyRow>(`SELECT ${KEY} FROM api_keys WHERE hash = @hash`, { hash }),
    activeByHash: async (hash) => await sql.one('SELECT id, name, role, hash FROM api_keys WHERE hash = @hash AND revoked_at IS NULL', { hash }),
    byId: async (id) => await sql.one<KeyRow>(`SELECT ${KEY} FROM api_keys WHERE id = @id`, { id }),
    all: async () => await sql.rows<KeyRow>(`SELECT ${KEY} FROM api_keys ORDER BY id`),
    reinstateAdmin: async (id) => await sql.one<KeyRow>(`UPDATE api_keys SET role = 'admin', revoked_at = NULL WHERE id = @id RETURNING ${KEY}`, { id }) as KeyRow,
    revoke: async (id, at) => await sql.one<KeyRow>(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, @at) WHERE id = @id RETURNING ${KEY}`, { id, at }),
    touch: async (id, at) => { await sql.run('UPDATE api_keys SET last_used_at = @at WHERE id = @id', { id, at }) }
  }
}
