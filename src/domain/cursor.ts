import { Invalid } from './errors.ts'

// Keyset cursors: the sort they belong to, the last row's sort value and its id,
// as base64url JSON. Opaque to clients; a cursor that does not decode to exactly
// that shape is a 400, never a 500.
export type CursorValue = number | string

export function encodeCursor (sort: string, value: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url')
}

// What a cursor's sort value must be: an integer (times, counts), any finite number
// (relevance scores) or a string (names).
const VALUE_CHECKS = {
  number: (v: unknown) => Number.isSafeInteger(v),
  float: (v: unknown) => Number.isFinite(v),
  string: (v: unknown) => typeof v === 'string' && !v.includes('\u0000')
}

export function decodeCursor (cursor: string, sort: string, valueType: keyof typeof VALUE_CHECKS = 'number'): { value: CursorValue, id: number } {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort || !VALUE_CHECKS[valueType](parsed[1]) ||
      !Number.isSafeInteger(parsed[2]) || parsed[2] < 1) {
    throw invalid()
  }
  return { value: parsed[1], id: parsed[2] }
}

function invalid (): Error {
  return new Invalid([{ field: 'cursor', message: 'invalid cursor' }], 'The cursor is not one this server issued for this query')
}
