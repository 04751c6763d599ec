import { test } from 'tap'
import { build, type TestApp } from '../helper.ts'
import { createArticle } from '../factories.ts'
import { ImportService } from '../../src/plugins/app/transfer/import-service.ts'

const indexed = (app: TestApp): number => app.database.sqlite.prepare('SELECT count(*) FROM search_indexed').pluck().get() as number
const line = (n: number): string => JSON.stringify({ externalId: `x-${n}`, title: `خبر رقم ${n} من دمشق`, body: `<p>نص ${n}</p>`, status: 'published' })

test('an import indexes its articles a batch of batches at a time, and all of them when it ends', async (t) => {
  const app = await build(t)
  const importer = new ImportService(app.database.sqlite, app.services)
  const seen: Array<[number, number]> = []
  const result = await importer.run([[1, 2, 3, 4, 5].map(line).join('\n')], {
    batchLines: 2,
    indexEvery: 3,
    onBatch: lines => seen.push([lines, indexed(app)])
  })
  t.equal(result.created, 5)
  // Two in the first batch wait; four after the second are past 3 and go in; the fifth at the end.
  t.same(seen, [[2, 0], [4, 4], [5, 4]])
  t.equal(indexed(app), 5)
  const hits = (await app.inject(`/v1/search?q=${encodeURIComponent('دمشق')}&limit=10`)).json().data
  t.equal(hits.length, 5, 'every imported article is found once the import has answered')
})

test('an import that stops half way still indexes what it committed', async (t) => {
  const app = await build(t)
  const importer = new ImportService(app.database.sqlite, app.services)
  async function * cut (): AsyncGenerator<string> {
    yield [1, 2, 3].map(line).join('\n') + '\n'
    throw new Error('the client went away')
  }
  await t.rejects(importer.run(cut(), { batchLines: 2, indexEvery: 100 }), /went away/)
  t.equal(indexed(app), 2, 'the committed batch is indexed; the line after it was never committed')
})

test('collected indexing skips an article whose creation was rolled back', async (t) => {
  const app = await build(t)
  const { search } = app.services
  const kept = await createArticle(app, { title: 'خبر باق' })
  const pending = search.collect(() => {
    search.indexNew(987654, { title: 'لم يكتب', subtitle: null, excerpt: null, text: 'شيء' })
    search.index(kept.id)
  })
  t.same([...pending.keys()], [987654, kept.id])
  search.indexPending(pending)
  t.equal(app.database.sqlite.prepare('SELECT count(*) FROM articles_fts WHERE rowid = 987654').pluck().get(), 0)
  t.equal(app.database.sqlite.prepare('SELECT count(*) FROM search_indexed WHERE article_id = 987654').pluck().get(), 0)
  t.equal(indexed(app), 1)
})
