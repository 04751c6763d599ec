import { Type, type Static } from 'typebox'
import { Id, Nullable, Timestamp, StringEnum } from './common.ts'
import { ROLES } from '../enums.ts'

const Role = StringEnum(ROLES)

const keyProperties = {
  id: Id,
  name: Type.String(),
  role: Role,
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp)
}

export const ApiKeySchema = Type.Object(keyProperties, { $id: 'ApiKey', title: 'ApiKey', additionalProperties: false })
export type ApiKey = Static<typeof ApiKeySchema>

export const ApiKeyCreatedSchema = Type.Object({
  ...keyProperties,
  key: Type.String({ description: 'The secret. Shown this once; only its hash is stored' })
}, { $id: 'ApiKeyCreated', title: 'ApiKeyCreated', additionalProperties: false })
export type ApiKeyCreated = Static<typeof ApiKeyCreatedSchema>

export const ApiKeyCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Role
}, { $id: 'ApiKeyCreate', title: 'ApiKeyCreate', additionalProperties: false, examples: [{ name: 'newsroom', role: 'editor' }] })
export type ApiKeyCreate = Static<typeof ApiKeyCreateSchema>
