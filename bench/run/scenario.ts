// What npm run bench measures, one route at a time: a scenario is the URLs autocannon
// cycles over, on which server, and the targets the result is held to.
import { SEED } from '../build-db.ts'
import { int, mulberry32, seedOf } from '../generate.ts'
import { N } from './settings.ts'

export interface Scenario {
  key: string
  label: string
  server: 'baseline' | 'khabar'
  method: 'GET' | 'POST'
  paths: string[]
  // A different user agent on every request, so the per-client dedupe counts each view.
  uniqueAgent?: boolean
  // Request headers, e.g. the Accept-Encoding of a browser.
  headers?: Record<string, string>
  // Connections for this route instead of BENCH_CONNECTIONS (search is specified at 10).
  connections?: number
  minRatio?: number
  maxP50?: number
  maxP99?: number
  about: string
}

// The bare Fastify server, run first and last; the ratios are to the mean of the two.
export const baselineScenario = (when: 'first' | 'last', about: string): Scenario =>
  ({ key: 'baseline', label: `bare Fastify \`{hello:'world'}\` (${when} run)`, server: 'baseline', method: 'GET', paths: ['/'], about })

// Distinct article ids, the same on every run for a given N.
export function sampleIds (count: number, salt: number): number[] {
  const r = mulberry32(seedOf(SEED + salt, N))
  const ids = new Set<number>()
  const want = Math.min(count, N)
  while (ids.size < want) ids.add(1 + int(r, N))
  return [...ids]
}
