// npm run bench:indexing: why the search index made bulk writes slow, and what khabar does
// about it, measured in one run, in-process: the same N generated articles written into a
// fresh database with the real schema, without a search index, with FTS5 fed by triggers
// (what PERF.md measured), with the index as migration 0002 had it and as the import first
// wrote it, and as migration 0005 has it and the import writes it now. Writes its section
// of bench/RESULTS.md.
import os from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { openDatabase, runMigrations } from '../src/db/index.ts'
import { htmlToText, sanitizedToText, slugify } from '../src/text/index.ts'
import { indexText } from '../src/text/search-text.ts'
import { SEED, removeDb } from './build-db.ts'
import { generateArticle, type GeneratedArticle } from './generate.ts'
import { DATA_DIR, envInt, fmt, mb, writeSection } from './lib.ts'

const N = envInt('BENCH_INDEX_ARTICLES', 20_000, 1000)
const PATH = join(DATA_DIR, 'indexing.db')

interface Variant {
  label: string
  // Changes the fresh database before the load (drops or makes FTS tables, triggers).
  setup?: (sqlite: Database.Database) => void
  load: (sqlite: Database.Database, insertRow: (a: GeneratedArticle, id: number) => void) => void
}

const OLD_FTS = `CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')`

// The text an article is indexed with: its title, and subtitle, excerpt and body text.
const bodyText = (a: GeneratedArticle, toText: (html: string) => string): string => `${a.subtitle ?? ''} ${a.excerpt} ${toText(a.body)}`

function batches (n: number, size: number, fn: (from: number, to: number) => void): void {
  for (let from = 1; from <= n; from += size) fn(from, Math.min(n, from + size - 1))
}

// The search index as the import first wrote it (migration 0002's table): each article's
// row, then its index entry (deleted first), 100 articles a transaction, each article in a
// savepoint of its own or not.
function loadAsBefore (sqlite: Database.Database, insertRow: (a: GeneratedArticle, id: number) => void, at: (id: number) => GeneratedArticle, savepoints: boolean): void {
  const del = sqlite.prepare('DELETE FROM articles_fts WHERE rowid = ?')
  const ins = sqlite.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)')
  const write = (a: GeneratedArticle, id: number): void => {
    insertRow(a, id)
    del.run(id)
    ins.run(id, indexText(a.title), indexText(bodyText(a, htmlToText)))
  }
  const one = savepoints ? sqlite.transaction(write) : write
  batches(N, 100, sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) one(at(id), id) }))
}

function variants (articles: GeneratedArticle[]): Variant[] {
  const at = (id: number): GeneratedArticle => articles[id - 1]
  return [
    {
      label: 'article rows only, 1,000 a transaction (the baseline)',
      setup: sqlite => { sqlite.exec('DROP TABLE articles_fts; DROP TABLE article_titles_fts') },
      load: (sqlite, insertRow) => {
        const tx = sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) insertRow(at(id), id) })
        batches(N, 1000, tx)
      }
    },
    {
      label: 'FTS5 fed by a trigger, unicode61 over the raw title and HTML, 1,000 a transaction (PERF.md)',
      setup: (sqlite) => {
        sqlite.exec(`DROP TABLE articles_fts; DROP TABLE article_titles_fts;
          CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content = 'articles', content_rowid = 'id');
          CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END`)
      },
      load: (sqlite, insertRow) => {
        const tx = sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) insertRow(at(id), id) })
        batches(N, 1000, tx)
      }
    },
    {
      label: 'migration 0002 as the import first wrote it: prefix indexes 2 and 3, htmlToText, a savepoint per article, 100 a transaction',
      setup: sqlite => { sqlite.exec(`DROP TABLE articles_fts; DROP TABLE article_titles_fts; ${OLD_FTS}`) },
      load: (sqlite, insertRow) => { loadAsBefore(sqlite, insertRow, at, true) }
    },
    {
      label: 'the same without the savepoint per article',
      setup: sqlite => { sqlite.exec(`DROP TABLE articles_fts; DROP TABLE article_titles_fts; ${OLD_FTS}`) },
      load: (sqlite, insertRow) => { loadAsBefore(sqlite, insertRow, at, false) }
    },
    {
      label: 'migration 0005 as the import writes it: no prefix index on the text, titles apart, sanitizedToText, rows 100 a transaction and the index 1,000 a transaction',
      load: (sqlite, insertRow) => {
        const ins = sqlite.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)')
        const insTitle = sqlite.prepare('INSERT INTO article_titles_fts (rowid, title) VALUES (?, ?)')
        const rows = sqlite.transaction((from: number, to: number) => { for (let id = from; id <= to; id++) insertRow(at(id), id) })
        const index = sqlite.transaction((from: number, to: number) => {
          for (let id = from; id <= to; id++) {
            const title = indexText(at(id).title)
            ins.run(id, title, indexText(bodyText(at(id), sanitizedToText)))
            insTitle.run(id, title)
          }
        })
        batches(N, 1000, (from, to) => {
          batches(to - from + 1, 100, (a, b) => rows(from + a - 1, from + b - 1))
          index(from, to)
        })
      }
    }
  ]
}

function run (v: Variant, articles: GeneratedArticle[]): { seconds: number, bytes: number, fts: number } {
  removeDb(PATH)
  const { sqlite, db } = openDatabase(PATH)
  try {
    runMigrations(db)
    v.setup?.(sqlite)
    const insert = sqlite.prepare(`INSERT INTO articles (id, slug, title, subtitle, excerpt, body, status, published_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, 'published', ?, ?, ?)`)
    const now = Date.now()
    const insertRow = (a: GeneratedArticle, id: number): void => { insert.run(id, `${slugify(a.title)}-${id}`, a.title, a.subtitle, a.excerpt, a.body, now, now, now) }
    const started = performance.now()
    v.load(sqlite, insertRow)
    const seconds = (performance.now() - started) / 1000
    const sizes = sqlite.prepare("SELECT name LIKE '%fts%' AS fts, sum(pgsize) AS bytes FROM dbstat GROUP BY fts").all() as Array<{ fts: number, bytes: number }>
    return { seconds, bytes: sizes.reduce((s, r) => s + r.bytes, 0), fts: sizes.find(r => r.fts === 1)?.bytes ?? 0 }
  } finally {
    sqlite.close()
    removeDb(PATH)
  }
}

// µs per article of fn over every article (one warm-up pass first).
function perArticle (articles: GeneratedArticle[], fn: (a: GeneratedArticle) => unknown): number {
  for (const a of articles.slice(0, 500)) fn(a)
  const started = performance.now()
  for (const a of articles) fn(a)
  return (performance.now() - started) * 1000 / articles.length
}

const loadAtStart = os.loadavg()[0]
const articles = Array.from({ length: N }, (_, i) => generateArticle(SEED, i + 1))
const oldText = perArticle(articles, a => indexText(a.title) + indexText(bodyText(a, htmlToText)))
const newText = perArticle(articles, a => indexText(a.title) + indexText(bodyText(a, sanitizedToText)))
// Each variant twice, in turn; the faster of the two counts (other processes only slow a run down).
const all = variants(articles)
const best = all.map(() => ({ seconds: Infinity, bytes: 0, fts: 0 }))
for (let round = 0; round < 2; round++) {
  all.forEach((v, i) => {
    const r = run(v, articles)
    console.log(`bench:indexing: ${v.label}: ${fmt(N / r.seconds, 0)} articles/s`)
    if (r.seconds < best[i].seconds) best[i] = r
  })
}
const base = N / best[0].seconds
const rows = all.map((v, i) => {
  const rate = N / best[i].seconds
  const extra = (best[i].seconds - best[0].seconds) * 1e6 / N
  return `| ${v.label} | ${fmt(rate, 0)} | ${fmt(rate / base)} | ${i === 0 ? '—' : `${fmt(extra, 0)} µs`} | ${mb(best[i].bytes)} | ${best[i].fts === 0 ? '—' : mb(best[i].fts)} |`
})
const cpus = os.cpus()
const section = `## Search indexing (\`npm run bench:indexing\`)

- Date: ${new Date().toISOString()}
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}; load average ${fmt(loadAtStart, 2)} at the start
- Data: ${N.toLocaleString('en-US')} generated articles (bench/generate.ts, about 3 KB of HTML each), written in-process with prepared statements into a fresh database with khabar's schema; each variant ran twice, the faster run counts

| how the articles are written | articles/s | of the baseline | more per article | database | of it, search index |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Making an article's index text, alone: ${fmt(oldText, 0)} µs with sanitize-html's \`htmlToText\`, ${fmt(newText, 0)} µs with \`sanitizedToText\` (both with the one-pass normaliser; the regex normaliser it replaced is in the "Normaliser" section).

What it shows: FTS5 keeps the terms of a transaction in memory and writes them out as a new segment at every savepoint and every commit, and every segment is merged again later, so an index written a line (a savepoint) at a time pays for thousands of small segments; prefix indexes write every term two more times; and the text has to be made before it is indexed. The import now indexes a thousand articles per transaction, outside the per-line savepoints, without prefix indexes on the text.
`
console.log(`\n${section}`)
writeSection('indexing', section)
console.log('bench:indexing: wrote its section of bench/RESULTS.md')
