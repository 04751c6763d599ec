// The normaliser micro-benchmark: how fast the search key and the index text of an article
// are made, next to one NFKC pass (the floor: every key starts with it) and the plain regex
// chain of test/text/reference-normalizer.ts; and the regex tag stripper next to htmlToText.
// `npx tsx bench/normalize.ts` prints the section and writes it into bench/RESULTS.md.
import os from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { generateArticle } from './generate.ts'
import { writeSection } from './lib.ts'
// The seed of bench/build-db.ts, so these are the articles the server bench stores.
import { SEED } from './build-db.ts'
import { forEachKeyWord, searchKey } from '../src/text/normalize-arabic.ts'
import { indexText } from '../src/text/search-text.ts'
import { htmlToText, sanitizeBody, sanitizedToText } from '../src/text/html.ts'
import { referenceAllTokens, referenceKey } from '../test/text/reference-normalizer.ts'

const ARTICLES = 2000
const ROUNDS = 5

interface Row { label: string, mbPerS: number, usPerArticle: number }

// Keeps every result alive, so the engine cannot drop a call whose value goes unused.
let sink = 0

/** Median over ROUNDS of one pass of fn over all inputs (after a warm-up pass). */
function measure (label: string, inputs: readonly string[], bytes: number, fn: (s: string) => number): Row {
  for (const s of inputs) sink += fn(s)
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint()
    for (const s of inputs) sink += fn(s)
    times.push(Number(process.hrtime.bigint() - start) / 1e9)
  }
  times.sort((a, b) => a - b)
  const seconds = times[Math.floor(ROUNDS / 2)]
  return { label, mbPerS: bytes / 1e6 / seconds, usPerArticle: seconds * 1e6 / inputs.length }
}

const fixed = (n: number, digits: number): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

function table (rows: Row[], base: Row): string {
  const lines = ['| function | MB/s (UTF-8 in) | µs per article | time vs ' + base.label + ' |', '| --- | ---: | ---: | ---: |']
  for (const r of rows) {
    lines.push(`| ${r.label} | ${fixed(r.mbPerS, 1)} | ${fixed(r.usPerArticle, 1)} | ${fixed(r.usPerArticle / base.usPerArticle, 2)}× |`)
  }
  return lines.join('\n')
}

/** Runs the benchmark and returns its markdown section (heading `## Normaliser`). */
export function runNormalizeBench (): string {
  const bodies: string[] = []
  const texts: string[] = []
  for (let i = 0; i < ARTICLES; i++) {
    const a = generateArticle(SEED, i + 1)
    // Stored bodies are sanitised, and the index reads them through sanitizedToText.
    const body = sanitizeBody(a.body)
    bodies.push(body)
    texts.push([a.title, a.subtitle ?? '', a.excerpt, sanitizedToText(body)].join(' '))
  }
  const textBytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0)
  const bodyBytes = bodies.reduce((n, s) => n + Buffer.byteLength(s), 0)

  const nfkc = measure("`normalize('NFKC')` alone", texts, textBytes, s => s.normalize('NFKC').length)
  const keyRows = [
    nfkc,
    measure('`searchKey`', texts, textBytes, s => searchKey(s).length),
    measure('`forEachKeyWord` (no-op callback)', texts, textBytes, s => {
      let n = 0
      forEachKeyWord(s, () => { n++ })
      return n
    }),
    measure('`indexText` (what is indexed)', texts, textBytes, s => indexText(s).length),
    measure('reference `referenceKey` (regex chain)', texts, textBytes, s => referenceKey(s).length),
    measure('reference index text (regex chain + words + tokens)', texts, textBytes, s => referenceAllTokens(s).join(' ').length)
  ]
  const strip = measure('`sanitizedToText` (regex tag stripper)', bodies, bodyBytes, s => sanitizedToText(s).length)
  const htmlRows = [strip, measure('`htmlToText` (sanitize-html)', bodies, bodyBytes, s => htmlToText(s).length)]
  if (sink === 0) throw new Error('normalize bench: nothing was computed')

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const kb = (bytes: number): string => fixed(bytes / ARTICLES / 1024, 1)
  return `## Normaliser

- Date: ${new Date().toISOString()}
- Machine: ${cpu}, Node ${process.version}
- Data: ${ARTICLES.toLocaleString('en-US')} generated articles (bench/generate.ts); per article, the search text (title, subtitle, excerpt and the body's text) is ${kb(textBytes)} KB of UTF-8 and the sanitised body ${kb(bodyBytes)} KB
- Method: one warm-up pass, then the median of ${ROUNDS} timed passes over all articles, one function at a time, in one process (\`npx tsx bench/normalize.ts\`)

Search text of an article:

${table(keyRows, nfkc)}

Body HTML to text (the input is the sanitised body):

${table(htmlRows, strip)}
`
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href
if (runDirectly) {
  const section = runNormalizeBench()
  console.log(section)
  writeSection('normalize', section)
  console.log('normalize bench: wrote its section of bench/RESULTS.md')
}
