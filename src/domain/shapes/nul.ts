// U+0000 has no place in a news text, and PostgreSQL's text type cannot hold it at all: so
// that both engines take exactly the same input, neither does. Every request's body, query
// and path parameters, and every import line, are checked before anything else.
export const NUL_MESSAGE = 'must not contain U+0000 (NUL)'

// What JSON.parse and a query-string parser make; anything else (a request body left as a
// stream, for the import) is not walked.
function isPlainObject (v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * The JSON pointer of the first string (value or key) in `value` that holds U+0000, or
 * undefined. Iterative: a body may be nested deeper than the call stack.
 */
export function nulPath (value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']]
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string]
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}/${i}`])
    } else if (isPlainObject(v)) {
      for (const [key, item] of Object.entries(v)) {
        const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
        if (key.includes('\u0000')) return at
        stack.push([item, at])
      }
    }
  }
  return undefined
}
