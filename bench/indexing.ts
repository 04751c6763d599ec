// npm run bench:indexing (issue 4): why the search index made bulk writes slow and what
// fixed it, measured in one run, in-process. The same N generated articles are written into
// a fresh database with khabar's schema, once per variant: without a search index, with
// FTS5 fed by a trigger (what docs/PERF.md measured), as migration 0002 and the first import
// wrote the index, then one change at a time up to migration 0005 and the import of today.
// Writes its section of bench/RESULTS.md.
import os from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { openDatabase, runMigrations } from '../src/storage/sqlite/database.ts'
import { htmlToText, readingTimeMinutes, sanitizedToText, slugify } from '../src/text/index.ts'
import { indexText } from '../src/text/search-text.ts'
import { prepareArticleInsert } from './article-insert.ts'
import { SEED, removeDb } from './build-db.ts'
import { between, generateArticle, int, mulberry32, seedOf } from './generate.ts'
import { DATA_DIR, envInt, fmt, mb, writeSection } from './lib.ts'

const N = envInt('BENCH_INDEX_ARTICLES', 20_000, 1000)
const PATH = join(DATA_DIR, 'indexing.db')
const ROUNDS = 2
const CATEGORIES = 20
const DAY_MS = 86_400_000
// FTS5's own default; migration 0005 raises it to 16 MB.
const DEFAULT_HASHSIZE = 1024 * 1024

interface Article {
  // The parameters of the article's INSERT (bench/article-insert.ts), made before any timing.
  row: unknown[]
  title: string
  subtitle: string | null
  excerpt: string
  // The generated body is already what sanitizeBody would store.
  body: string
}

function makeArticles (): Article[] {
  const now = Date.now()
  const span = 2 * 365 * DAY_MS
  return Array.from({ length: N }, (_, i) => {
    const id = i + 1
    const g = generateArticle(SEED, id)
    const r = mulberry32(seedOf(SEED + 1, id))
    const publishedAt = Math.round(now - span + (span * id) / N)
    const row = [id, `${slugify(g.title) || 'article'}-${id}`, g.title, g.subtitle, g.excerpt, g.body,
      publishedAt, publishedAt - between(r, 5, 240) * 60_000, publishedAt, 1 + int(r, CATEGORIES), g.author, g.sourceName,
      g.breaking ? 1 : 0, g.hasVideo ? 1 : 0, readingTimeMinutes(g.text), Math.floor(20_000 * r() ** 4), int(r, 40), 1]
    return { row, title: g.title, subtitle: g.subtitle, excerpt: g.excerpt, body: g.body }
  })
}

const loadAtStart = os.loadavg()[0]
const articles = makeArticles()
const at = (id: number): Article => articles[id - 1]

// What SearchService.write indexes: the title, and subtitle, excerpt and body text.
type ToText = (html: string) => string
const bodyText = (a: Article, toText: ToText): string => `${a.subtitle ?? ''} ${a.excerpt} ${toText(a.body)}`
const indexRow = (a: Article, toText: ToText): { title: string, body: string } =>
  ({ title: indexText(a.title), body: indexText(bodyText(a, toText)) })

function batches (from: number, to: number, size: number, fn: (from: number, to: number) => void): void {
  for (let a = from; a <= to; a += size) fn(a, Math.min(to, a + size - 1))
}

interface Load { sqlite: Database.Database, insertRow: (id: number) => void }

function rowsOnly ({ sqlite, insertRow }: Load): void {
  batches(1, N, 1000, sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) insertRow(id) }))
}

// Each article's row and its index entries together, 100 articles a transaction, as the
// import did before: the entry deleted, then inserted (SearchService.index).
function lineByLine (opts: { savepoint: boolean, toText: ToText, titles: boolean }) {
  return ({ sqlite, insertRow }: Load): void => {
    const del = sqlite.prepare('DELETE FROM articles_fts WHERE rowid = ?')
    const ins = sqlite.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)')
    const delTitle = opts.titles ? sqlite.prepare('DELETE FROM article_titles_fts WHERE rowid = ?') : undefined
    const insTitle = opts.titles ? sqlite.prepare('INSERT INTO article_titles_fts (rowid, title) VALUES (?, ?)') : undefined
    const line = (id: number): void => {
      insertRow(id)
      const t = indexRow(at(id), opts.toText)
      del.run(id)
      delTitle?.run(id)
      ins.run(id, t.title, t.body)
      insTitle?.run(id, t.title)
    }
    // A transaction called inside a transaction is a savepoint (the import's line).
    const one = opts.savepoint ? sqlite.transaction(line) : line
    batches(1, N, 100, sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) one(id) }))
  }
}

// As the import writes now: rows 100 a transaction, then the index entries of each 1,000
// in one transaction of their own (SearchService.collect and indexPending), insert only.
function indexApart ({ sqlite, insertRow }: Load): void {
  const ins = sqlite.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)')
  const insTitle = sqlite.prepare('INSERT INTO article_titles_fts (rowid, title) VALUES (?, ?)')
  const rows = sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) insertRow(id) })
  const index = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id++) {
      const t = indexRow(at(id), sanitizedToText)
      ins.run(id, t.title, t.body)
      insTitle.run(id, t.title)
    }
  })
  batches(1, N, 1000, (from, to) => {
    batches(from, to, 100, rows)
    index(from, to)
  })
}

const DROP_FTS = 'DROP TABLE articles_fts; DROP TABLE article_titles_fts;'
const OLD_FTS = `${DROP_FTS} CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');`
const TRIGGER_FTS = `${DROP_FTS} CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content = 'articles', content_rowid = 'id',
  tokenize = 'unicode61');
  CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END;`
// Variants 5 and 6 keep FTS5's default buffer, so that variant 7 shows what 16 MB changes.
const DEFAULT_HASH = `INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', ${DEFAULT_HASHSIZE});`
const LAZY_MERGES = `INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
  INSERT INTO articles_fts (articles_fts, rank) VALUES ('crisismerge', 64);`

interface Variant { label: string, setup: string, load: (l: Load) => void, optimize?: boolean }

const VARIANTS: Variant[] = [
  { label: 'rows only, 1,000 a transaction, no search index (the baseline)', setup: DROP_FTS, load: rowsOnly },
  { label: 'FTS5 by triggers, unicode61 on raw title and HTML, 1,000 a transaction (docs/PERF.md)', setup: TRIGGER_FTS, load: rowsOnly },
  {
    label: "0002 as the import ran it: htmlToText + indexText, prefix '2 3', DELETE + INSERT, a savepoint per article, 100 a transaction",
    setup: OLD_FTS,
    load: lineByLine({ savepoint: true, toText: htmlToText, titles: false })
  },
  { label: 'same, no savepoint per article', setup: OLD_FTS, load: lineByLine({ savepoint: false, toText: htmlToText, titles: false }) },
  {
    label: "no prefix index on the body: 0005's tables (titles apart, prefix '1 2 3'), 1 MB hash",
    setup: DEFAULT_HASH,
    load: lineByLine({ savepoint: false, toText: htmlToText, titles: true })
  },
  { label: '+ sanitizedToText instead of htmlToText', setup: DEFAULT_HASH, load: lineByLine({ savepoint: false, toText: sanitizedToText, titles: true }) },
  {
    label: '0005 as the import runs it: index apart, 1,000 a transaction, 16 MB hash, no DELETE',
    setup: '',
    load: indexApart,
    optimize: true
  },
  { label: '+ automerge 16, crisismerge 64 (what-if, not shipped)', setup: LAZY_MERGES, load: indexApart }
]

interface Size { total: number, fts: number, main: number, segments: number }
interface Run extends Size {
  seconds: number
  cpu: number
  optimize?: { seconds: number, before: Size, after: Size }
}

// Bytes in b-trees (dbstat, free pages not counted): all, the FTS tables, articles_fts alone.
function sizeOf (sqlite: Database.Database): Size {
  const rows = sqlite.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string, bytes: number }>
  const sum = (keep: (name: string) => boolean): number => rows.filter(r => keep(r.name)).reduce((s, r) => s + r.bytes, 0)
  return { total: sum(() => true), fts: sum(n => n.includes('_fts_')), main: sum(n => n.includes('articles_fts_')), segments: segmentsOf(sqlite) }
}

// The segments of articles_fts, from its structure record (row 10 of %_data): a 4-byte
// cookie, an optional 4-byte V2 marker, then varints: levels, segments.
function segmentsOf (sqlite: Database.Database): number {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts_data'").get()
  if (exists === undefined) return 0
  const block = sqlite.prepare('SELECT block FROM articles_fts_data WHERE id = 10').pluck().get() as Buffer | undefined
  if (block === undefined) return 0
  let i = block.subarray(4, 8).equals(Buffer.from([0xff, 0, 0, 1])) ? 8 : 4
  const varint = (): number => {
    let v = 0
    let b: number
    do {
      b = block[i++]
      v = v * 128 + (b & 0x7f)
    } while (b & 0x80)
    return v
  }
  varint()
  return varint()
}

function runOnce (v: Variant): Run {
  removeDb(PATH)
  const { sqlite, db } = openDatabase(PATH)
  try {
    runMigrations(db)
    const now = Date.now()
    const cat = sqlite.prepare('INSERT INTO categories (id, slug, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
    for (let c = 1; c <= CATEGORIES; c++) cat.run(c, `category-${c}`, `قسم ${c}`, c, now, now)
    sqlite.exec(v.setup)
    const insert = prepareArticleInsert(sqlite)
    const insertRow = (id: number): void => { insert.run(...at(id).row) }
    const cpu = process.cpuUsage()
    const started = performance.now()
    v.load({ sqlite, insertRow })
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    const run: Run = { seconds, cpu: (used.user + used.system) / 1e6 / seconds, ...sizeOf(sqlite) }
    if (v.optimize === true) {
      const t = performance.now()
      sqlite.exec("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
      const before = { total: run.total, fts: run.fts, main: run.main, segments: run.segments }
      run.optimize = { seconds: (performance.now() - t) / 1000, before, after: sizeOf(sqlite) }
    }
    return run
  } finally {
    sqlite.close()
    removeDb(PATH)
  }
}

// µs per article of fn over all articles: one warm-up pass over a few, then the best of two
// passes. The characters made are counted and checked, so no call's result goes unused.
function perArticle (fn: (i: number) => string): number {
  let chars = 0
  for (let i = 0; i < Math.min(500, N); i++) chars += fn(i).length
  let best = Infinity
  for (let pass = 0; pass < 2; pass++) {
    const started = performance.now()
    for (let i = 0; i < N; i++) chars += fn(i).length
    best = Math.min(best, performance.now() - started)
  }
  if (chars === 0) throw new Error('bench:indexing: the text functions made no text')
  return best * 1000 / N
}

const texts = articles.map(a => bodyText(a, sanitizedToText))
const norm = {
  old: perArticle(i => { const t = indexRow(articles[i], htmlToText); return t.title + t.body }),
  new: perArticle(i => { const t = indexRow(articles[i], sanitizedToText); return t.title + t.body }),
  htmlToText: perArticle(i => htmlToText(articles[i].body)),
  sanitizedToText: perArticle(i => sanitizedToText(articles[i].body)),
  indexText: perArticle(i => indexText(articles[i].title) + indexText(texts[i]))
}
console.log(`bench:indexing: index text of an article: ${fmt(norm.old, 1)} µs with htmlToText, ${fmt(norm.new, 1)} µs with sanitizedToText`)

// Every variant ROUNDS times, the second round in reverse order so that a slow spell on
// the machine does not fall on the same variants twice; the faster run counts.
const best: Array<Run | undefined> = VARIANTS.map(() => undefined)
let bestOptimize: NonNullable<Run['optimize']> | undefined
const cpuShares: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  const order = VARIANTS.map((_, i) => i)
  if (round % 2 === 1) order.reverse()
  for (const i of order) {
    const r = runOnce(VARIANTS[i])
    cpuShares.push(r.cpu)
    const opt = r.optimize === undefined ? '' : `, optimize ${fmt(r.optimize.seconds * 1000, 0)} ms`
    console.log(`bench:indexing: round ${round + 1}, ${i + 1}. ${VARIANTS[i].label}: ${fmt(N / r.seconds, 0)} articles/s (CPU ${fmt(r.cpu * 100, 0)} % of wall)${opt}`)
    if (best[i] === undefined || r.seconds < (best[i] as Run).seconds) best[i] = r
    if (r.optimize !== undefined && (bestOptimize === undefined || r.optimize.seconds < bestOptimize.seconds)) bestOptimize = r.optimize
  }
}
const loadAtEnd = os.loadavg()[0]
const runs = best as Run[]
const opt = bestOptimize as NonNullable<Run['optimize']>
const rate = (seconds: number): number => N / seconds
const base = runs[0]
const overBase = (seconds: number): number => (seconds - base.seconds) * 1e6 / N
const us = (i: number): number => overBase(runs[i - 1].seconds)
const delta = (from: number, to: number): number => (runs[to - 1].seconds - runs[from - 1].seconds) * 1e6 / N
const mb1 = (bytes: number): string => `${fmt(bytes / 1024 / 1024, 1)} MB`
const costs = (d: number): string => d >= 0 ? `costs ${fmt(d, 0)} µs more an article` : `saves ${fmt(-d, 0)} µs an article`

const row = (label: string, seconds: number, s: Size): string =>
  `| ${label} | ${fmt(rate(seconds), 0)} | ${fmt(rate(seconds) / rate(base.seconds))} | ${seconds === base.seconds ? '—' : `${fmt(overBase(seconds), 0)} µs`} | ${mb(s.total)} | ${s.fts === 0 ? '—' : `${mb(s.fts)} (${fmt(s.fts * 100 / s.total, 0)} %)`} | ${s.segments === 0 ? '—' : s.segments} |`
const tableRows = runs.map((r, i) => row(`${i + 1}. ${VARIANTS[i].label}`, r.seconds, r))
const v7 = runs[6]
tableRows.push(row("9. + 'optimize' of articles_fts at the end (7's load plus the optimize)", v7.seconds + opt.seconds, opt.after))

const ratio = (i: number): string => fmt(rate(runs[i - 1].seconds) / rate(base.seconds))
const notes = [
  `Each variant ran ${ROUNDS} times, the second round in reverse order, in a fresh database each time; the faster run counts. The process used ${fmt(Math.min(...cpuShares) * 100, 0)}–${fmt(Math.max(...cpuShares) * 100, 0)} % of a core over the loads (the rest is waiting on I/O or on other processes); the load average went from ${fmt(loadAtStart)} to ${fmt(loadAtEnd)}.`,
  `FTS5 fed by a trigger over the raw title and HTML runs at ${ratio(2)} of the baseline (docs/PERF.md measured 1,443 / 12,959 = 0.11): ${fmt(us(2), 0)} µs an article of FTS5 work (the markup is tokenised too), with no normalising at all. Our own normalised index as the import first wrote it (3) runs at ${ratio(3)}.`,
  `The savepoint per article (3 against 4) ${costs(delta(4, 3))}: FTS5 writes its buffered terms out as a segment at every savepoint, so 3 made a segment per article and merged them all again. Writing the index apart, 1,000 articles a transaction with a 16 MB buffer and no DELETE (6 → 7) ${costs(delta(6, 7))}.`,
  `The prefix indexes '2 3' on titles and text (4) made the search index ${mb(runs[3].fts)}; without them on the text, titles apart with prefixes '1 2 3' (5), it is ${mb(runs[4].fts)}, and the change ${costs(delta(4, 5))}.`,
  `Making an article's index text alone takes ${fmt(norm.old, 0)} µs with htmlToText and ${fmt(norm.new, 0)} µs with sanitizedToText (htmlToText ${fmt(norm.htmlToText, 0)} µs, sanitizedToText ${fmt(norm.sanitizedToText, 0)} µs, indexText of title and text ${fmt(norm.indexText, 0)} µs); in the loads, 5 → 6 ${costs(delta(5, 6))}. Of 7's ${fmt(us(7), 0)} µs over the baseline, about ${fmt(norm.new, 0)} µs (${fmt(norm.new * 100 / us(7), 0)} %) is normalising.`,
  `automerge 16 / crisismerge 64 (8 against 7) ${costs(delta(7, 8))} and leaves ${runs[7].segments} segments against ${v7.segments}. 'optimize' after 7's load took ${fmt(opt.seconds * 1000, 0)} ms (${fmt(opt.seconds * 1e6 / N, 0)} µs an article) and took articles_fts from ${mb1(opt.before.main)} in ${opt.before.segments} segments to ${mb1(opt.after.main)} in ${opt.after.segments}.`
]

const cpus = os.cpus()
const section = `## Search indexing (\`npm run bench:indexing\`)

- Date: ${new Date().toISOString()}
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}; load average ${fmt(loadAtStart)} at the start (other benchmarks may share the machine)
- Data: ${N.toLocaleString('en-US')} generated articles (bench/generate.ts, about 3 KB of Arabic HTML each), made before timing; each variant writes them all into a fresh database (\`openDatabase\` + \`runMigrations\`: WAL, synchronous NORMAL) with prepared statements, in-process; the time covers the whole loop, making the index text included where the variant indexes it (the writes to \`search_indexed\` are left out)
- Database and search index: bytes in b-trees (dbstat) after the load; segments: of \`articles_fts\`, from its structure record

| how the articles are written | articles/s | of 1 | µs per article over 1 | database | of it, search index | segments |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${tableRows.join('\n')}

Making the index text of an article, alone (title, subtitle, excerpt, body; best of 2 passes): ${fmt(norm.old, 0)} µs with \`htmlToText\` (sanitize-html) + \`indexText\`, ${fmt(norm.new, 0)} µs with \`sanitizedToText\` + \`indexText\`.

${notes.map(n => `- ${n}`).join('\n')}
`
console.log(`\n${section}`)
writeSection('indexing', section)
console.log('bench:indexing: wrote its section of bench/RESULTS.md')
