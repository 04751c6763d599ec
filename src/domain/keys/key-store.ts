import type { KeyRow } from '../rows.ts'

// What keys need of storage.
export interface KeyStore {
  insert: (row: Omit<KeyRow, 'id' | 'lastUsedAt' | 'revokedAt'>) => Promise<KeyRow>
  // Whatever its state.
  byHash: (hash: string) => Promise<KeyRow | undefined>
  // Only while it is not revoked: the lookup of every request with a key.
  activeByHash: (hash: string) => Promise<Pick<KeyRow, 'id' | 'name' | 'role' | 'hash'> | undefined>
  byId: (id: number) => Promise<KeyRow | undefined>
  all: () => Promise<KeyRow[]>
  // Active again, as an admin.
  reinstateAdmin: (id: number) => Promise<KeyRow>
  // The first revocation's time stays.
  revoke: (id: number, at: number) => Promise<KeyRow | undefined>
  touch: (id: number, at: number) => Promise<void>
}
