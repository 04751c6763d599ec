import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import fp from 'fastify-plugin'
import compress from '@fastify/compress'
import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyInstance } from 'fastify'

// Bodies shorter than this go out as they are: compressing them saves less than it costs.
export const COMPRESS_THRESHOLD = 1024
// Brotli's default (11) takes tens of milliseconds on a list page; 5 is a few hundred
// microseconds and within a few percent of its size.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }
const ENCODINGS = ['br', 'gzip'] as const
export type Encoding = typeof ENCODINGS[number]

// The encoding to answer with, by the request's Accept-Encoding (q-values honoured);
// undefined for none.
export function chooseEncoding (acceptEncoding: string | undefined): Encoding | undefined {
  if (acceptEncoding === undefined || acceptEncoding === '') return undefined
  const chosen = negotiate(acceptEncoding, [...ENCODINGS, 'identity'])
  return chosen === 'br' || chosen === 'gzip' ? chosen : undefined
}

// The same compression the plugin applies, for bodies compressed once and kept
// (src/http/plugins/http-cache.ts).
export const compressors: Record<Encoding, (body: Buffer) => Buffer> = {
  br: body => brotliCompressSync(body, BROTLI),
  gzip: body => gzipSync(body)
}

// brotli and gzip for every compressible answer (JSON, problem+json, Swagger UI's script
// and styles) above the threshold. The plugin's hook runs after every global onSend
// hook, so ETags are computed on the uncompressed body. Request bodies are not
// decoded: a body must arrive as plain JSON or NDJSON.
export default fp(async function compressPlugin (app: FastifyInstance) {
  await app.register(compress, { encodings: [...ENCODINGS], threshold: COMPRESS_THRESHOLD, brotliOptions: BROTLI, globalDecompression: false })
}, { name: 'compress' })
