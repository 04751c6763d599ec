import { test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build, dbRows, dbValue, SEARCH_INDEX, type TestApp } from '../../helper.ts'
import { createArticle } from '../../factories.ts'
import type { PendingIndex } from '../../../src/domain/search/search-service.ts'
import { RELEVANCE_WINDOW } from '../../../src/domain/search/relevance.ts'

const indexed = async (app: TestApp): Promise<number> => await dbValue(app, `SELECT count(*) FROM ${SEARCH_INDEX.marks}`)
const line = (n: number): string => JSON.stringify({ externalId: `x-${n}`, title: `خبر رقم ${n} من دمشق`, body: `<p>نص ${n}</p>`, status: 'published' })

test('an import indexes its articles a batch of batches at a time, and all of them when it ends', async (t) => {
  const app = await build(t)
  const importer = app.services.imports
  const seen: Array<[number, number]> = []
  const result = await importer.run([[1, 2, 3, 4, 5].map(line).join('\n')], {
    batchLines: 2,
    indexEvery: 3,
    onBatch: async lines => { seen.push([lines, await indexed(app)]) }
  })
  t.equal(result.created, 5)
  // Two in the first batch wait; four after the second are past 3 and go in; the fifth at the end.
  t.same(seen, [[2, 0], [4, 4], [5, 4]])
  t.equal(await indexed(app), 5)
  const hits = (await app.inject(`/v1/search?q=${encodeURIComponent('دمشق')}&limit=10`)).json().data
  t.equal(hits.length, 5, 'every imported article is found once the import has answered')
})

test('an import that stops half way still indexes what it committed', async (t) => {
  const app = await build(t)
  const importer = app.services.imports
  async function * cut (): AsyncGenerator<string> {
    yield [1, 2, 3].map(line).join('\n') + '\n'
    throw new Error('the client went away')
  }
  await t.rejects(importer.run(cut(), { batchLines: 2, indexEvery: 100 }), /went away/)
  t.equal(await indexed(app), 2, 'the committed batch is indexed; the line after it was never committed')
})

test('collected indexing skips an article whose creation was rolled back', async (t) => {
  const app = await build(t)
  const { articles, search } = app.services
  const kept = await createArticle(app, { title: 'خبر باق' })
  const pending: PendingIndex = new Map()
  pending.set(987654, { title: 'لم يكتب', subtitle: null, excerpt: null, text: 'شيء' })
  await articles.update(kept.id, { title: 'خبر باق بعنوان جديد' }, undefined, { index: pending })
  t.same([...pending.keys()], [987654, kept.id], 'a change of the text is collected, not indexed')
  await search.indexPending(pending)
  t.equal(await dbValue(app, `SELECT count(*) FROM ${SEARCH_INDEX.rows} WHERE ${SEARCH_INDEX.rowId} = 987654`), 0)
  t.equal(await dbValue(app, `SELECT count(*) FROM ${SEARCH_INDEX.marks} WHERE article_id = 987654`), 0)
  t.equal(await indexed(app), 1)
})

test('articles the index lacks are indexed in slices, and the catch-up stops when asked', async (t) => {
  const app = await build(t)
  for (const n of [1, 2, 3]) await createArticle(app, { title: `خبر ${n} عن حلب` })
  await dbRows(app, `DELETE FROM ${SEARCH_INDEX.marks}`)
  const first = app.services.search.catchUp(1)
  app.services.search.stopCatchUp()
  t.equal(await first, 1, 'one slice, then it stopped')
  const counts: number[] = []
  t.equal(await app.services.search.catchUp(1, stale => counts.push(stale)), 2)
  t.same(counts, [2])
  t.equal(await indexed(app), 3)
})

test('a server that starts on articles its index lacks indexes them once it is up', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'خبر من نسخة احتياطية عن حمص' })
  for (const statement of SEARCH_INDEX.clear) await dbRows(app, statement)
  await app.close()
  const lines: string[] = []
  const again = await build(t, { DATABASE_PATH: app.config.DATABASE_PATH, LOG_LEVEL: 'info' }, { log: line => lines.push(line) })
  for (let i = 0; i < 200 && !lines.some(l => l.includes('caught up')); i++) await sleep(20)
  const hits = (await again.inject(`/v1/search?q=${encodeURIComponent('حمص')}`)).json().data
  t.same(hits.map((h: { id: number }) => h.id), [a.id])
  t.ok(lines.some(l => l.includes('in the background')) && lines.some(l => l.includes('caught up')), 'the catch-up is logged')
})

test('by relevance, search ranks the newest RELEVANCE_WINDOW matches that pass the filters', async (t) => {
  const app = await build(t)
  const importer = app.services.imports
  const n = RELEVANCE_WINDOW + 10
  // The first ten (the oldest ids, published in 2020) hold the word in their title, the best
  // bm25 there is; the rest only in their body.
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({
    externalId: `w-${i}`,
    title: i < 10 ? `نادر جدا ${i}` : `خبر عادي ${i}`,
    body: `<p>نص فيه كلمة نادر مرة ${i}</p>`,
    status: 'published',
    publishedAt: i < 10 ? `2020-01-0${1 + (i % 9)}T00:00:00.000Z` : '2026-11-01T00:00:00.000Z'
  }))
  t.match(await importer.run([lines.join('\n')]), { created: n, failed: 0 })
  const all = async (query: string): Promise<string[]> => {
    const titles: string[] = []
    let cursor = ''
    do {
      const res = await app.inject(`/v1/search?q=${encodeURIComponent('نادر')}&limit=100${query}${cursor}`)
      t.equal(res.statusCode, 200, res.body.slice(0, 300))
      const page = res.json()
      titles.push(...page.data.map((d: { title: string }) => d.title))
      cursor = page.meta.nextCursor === null ? '' : `&cursor=${encodeURIComponent(page.meta.nextCursor)}`
    } while (cursor !== '')
    return titles
  }
  const ranked = await all('')
  t.equal(ranked.length, RELEVANCE_WINDOW, 'relevance pages through the window')
  t.notOk(ranked.some(title => title.startsWith('نادر')), 'the ten oldest are outside it')
  const old = await all('&to=2020-12-31T00:00:00.000Z')
  t.equal(old.length, 10, 'a date range applies before the window')
  t.ok(old.every(title => title.startsWith('نادر')))
  t.equal((await all('&sort=-publishedAt')).length, n, 'by date, every match')
})
