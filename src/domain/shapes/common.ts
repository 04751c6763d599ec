import { Type, type TSchema, type Static, type TUnsafe } from 'typebox'

// `type: [T, 'null']` rather than anyOf: one schema for ajv and a fast path for
// fast-json-stringify, and valid OpenAPI 3.1.
export function Nullable<T extends TSchema> (schema: T): TUnsafe<Static<T> | null> {
  const s = schema as any
  return Type.Unsafe<Static<T> | null>({ ...s, type: [s.type, 'null'] })
}

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
export const Timestamp = Type.String({ format: 'date-time', examples: ['2026-11-26T13:30:00.000Z'] })

// A reference to a registered shape, `{ $ref: 'Name#' }`, typed as the shape: so the
// shape appears once in the OpenAPI document, and its type follows it everywhere.
export function ref<T extends TSchema> (schema: T): TUnsafe<Static<T>>
export function ref (id: string): TUnsafe<unknown>
export function ref (target: TSchema | string): TUnsafe<unknown> {
  const id = typeof target === 'string' ? target : (target as { $id?: string }).$id
  if (id === undefined) throw new Error('ref() needs a shape with an $id')
  return Type.Unsafe({ $ref: `${id}#` })
}

export const LimitQuery = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size' })
export const CursorQuery = Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from meta.nextCursor' })

// A string enum as `{ type: 'string', enum: [...] }`: simpler for clients and
// validators than an anyOf of literals, and typed as the union of its values.
export function StringEnum<const T extends readonly string[]> (values: T, options: Record<string, unknown> = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}
