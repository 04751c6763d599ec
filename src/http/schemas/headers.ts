// The HTTP headers khabar sends and reads, described once. Routes name the ones only
// they send with withHeaders(); what every route of a kind sends is added to the
// document in src/http/openapi-http.ts, by the rule that sends it.

interface HeaderSchema { type: 'string' | 'integer', description: string, format?: string, minimum?: number, examples?: unknown[] }

export const RESPONSE_HEADERS = {
  ETag: {
    type: 'string',
    description: 'Names this version of the answer: send it back as If-None-Match to get 304 while it is unchanged. ' +
      'An article\'s ETag starts with its version, so it also serves as If-Match on a PATCH.',
    examples: ['"7-1x2y3z"']
  },
  'Last-Modified': { type: 'string', description: 'When the article last changed (HTTP date)', examples: ['Thu, 26 Nov 2026 12:00:00 GMT'] },
  'Cache-Control': {
    type: 'string',
    description: '`public, max-age=60, stale-while-revalidate=300` for what anyone may read; `private, no-store` ' +
      'for an answer that depended on a key',
    examples: ['public, max-age=60, stale-while-revalidate=300']
  },
  Vary: { type: 'string', description: 'What else the answer depends on: Origin (when CORS is on), Authorization, Accept-Encoding', examples: ['Origin, Authorization, Accept-Encoding'] },
  Link: { type: 'string', description: 'The next page, `<URL>; rel="next"`, while there is one', examples: ['</v1/articles?cursor=eyJ...>; rel="next"'] },
  Location: { type: 'string', description: 'The URL of what was created', examples: ['/v1/articles/42'] },
  'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before trying again' },
  'X-RateLimit-Limit': { type: 'integer', minimum: 0, description: 'Requests of this kind one address may send per minute' },
  'X-RateLimit-Remaining': { type: 'integer', minimum: 0, description: 'Requests of this kind left in the current minute' },
  'X-RateLimit-Reset': { type: 'integer', minimum: 0, description: 'Seconds until the current minute ends' }
} satisfies Record<string, HeaderSchema>

export type ResponseHeader = keyof typeof RESPONSE_HEADERS

// A response schema that also documents headers the route itself sends. Fastify ignores
// `headers` on a response schema; @fastify/swagger turns it into the response's headers.
export function withHeaders<T extends object> (schema: T, ...names: ResponseHeader[]): T & { headers: Record<string, HeaderSchema> } {
  const existing = (schema as { headers?: Record<string, HeaderSchema> }).headers ?? {}
  return { ...schema, headers: { ...existing, ...Object.fromEntries(names.map(name => [name, RESPONSE_HEADERS[name]])) } }
}

// Request headers, as OpenAPI parameters (components.parameters).
export const REQUEST_HEADERS = {
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'The ETag of the answer you hold: 304 with no body while it is still current',
    schema: { type: 'string', maxLength: 1000 }
  }
}
