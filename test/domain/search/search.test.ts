import { test } from 'tap'
import { build, bearer, dbRows, dbValue, ENGINE, json, SEARCH_INDEX, type TestApp } from '../../helper.ts'
import { createArticle, createCategory } from '../../factories.ts'

const search = async (app: TestApp, q: string, extra = ''): Promise<{ status: number, body: any }> => {
  const res = await app.inject(`/v1/search?q=${encodeURIComponent(q)}${extra}`)
  return { status: res.statusCode, body: json(res) }
}
const titles = (body: any): string[] => body.data.map((d: any) => d.title)

// docs/ARABIC.md: each query must find the article holding the other text, both ways.
const PAIRS: Array<[string, string]> = [
  ['دمشق', 'بدمشق'], ['دمشق', 'ودمشق'], ['دمشق', 'دمشـــق'], ['محمد', 'مُحَمَّد'], ['2024', '٢٠٢٤'],
  ['حكومة', 'لحكومة'], ['احمد', 'أحمد'], ['مستشفى', 'مستشفي'], ['القاهرة', 'والقاهرة'], ['ﺩﻣﺸﻖ', 'دمشق'],
  ['پاکستان', 'پاكستان'], ['café', 'CAFE']
]

test('what a reader expects of Arabic search, through the real endpoint', async (t) => {
  const app = await build(t)
  for (const [i, [query, text]] of PAIRS.entries()) {
    const holder = await createArticle(app, { title: `خبر ${i + 1} عن ${text}`, body: `<p>نص الخبر عن ${text} هنا.</p>` })
    const found = await search(app, query)
    t.equal(found.status, 200, query)
    t.ok(found.body.data.some((d: any) => d.id === holder.id), `«${query}» finds «${text}»`)
    const back = await createArticle(app, { title: `تقرير ${i + 1}`, body: `<p>${query}</p>` })
    t.ok((await search(app, text)).body.data.some((d: any) => d.id === back.id), `«${text}» finds «${query}»`)
  }
})

test('hits are ranked (title over body), carry a score and an escaped snippet of the original text', async (t) => {
  const app = await build(t)
  const inBody = await createArticle(app, { title: 'أخبار اليوم', body: '<p>قال <b>مُحَمَّد</b> إن الوضع في حلب هادئ &amp; مستقر <script>x</script></p>' })
  const inTitle = await createArticle(app, { title: 'حلب تستعيد الهدوء', body: '<p>تقرير.</p>' })
  const res = await search(app, 'حلب')
  t.same(res.body.data.map((d: any) => d.id), [inTitle.id, inBody.id], 'a title match ranks above a body match')
  t.ok(res.body.data[0].score > res.body.data[1].score)
  t.equal(res.body.data[1].snippet, 'قال مُحَمَّد إن الوضع في <mark>حلب</mark> هادئ &amp; مستقر')
  t.equal(res.body.data[0].snippet, '<mark>حلب</mark> تستعيد الهدوء', 'no body match: the title is the snippet')
  t.notOk('body' in res.body.data[0], 'hits are summaries')

  const html = await createArticle(app, { title: 'درس في HTML', body: '<p>اكتب &lt;b&gt;غامق&lt;/b&gt; هكذا</p>' })
  const hit = (await search(app, 'غامق')).body.data.find((d: any) => d.id === html.id)
  t.equal(hit.snippet, 'اكتب &lt;b&gt;<mark>غامق</mark>&lt;/b&gt; هكذا', 'text that looks like HTML is shown escaped')
})

test('hostile queries are text, never FTS5 syntax, never a 500', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'NEAR and OR not col x', body: '<p>عادي</p>' })
  for (const q of ['"', '""', 'AND OR NOT', 'NEAR(', 'NEAR(a b)', '*', 'a*', '(((', ')))', 'col:x', 'title:x', '{title}: x', '^', '^x', '-x', '+x',
    'ُ', 'ًٌٍَُِّ', "'; DROP TABLE articles; --", '<script>alert(1)</script>', '\u202Eabc', 'x\u0000y', '😀', '%', '\\']) {
    const res = await app.inject(`/v1/search?q=${encodeURIComponent(q)}`)
    t.ok(res.statusCode === 200 || res.statusCode === 400, `${JSON.stringify(q)} → ${res.statusCode}`)
    t.match(res.headers['content-type'], res.statusCode === 200 ? /application\/json/ : /application\/problem\+json/)
  }
  t.same((await search(app, 'AND OR NOT')).body.data.map((d: any) => d.id), [a.id], 'operators are plain words')
  t.same((await search(app, 'col:x')).body.data.map((d: any) => d.id), [a.id], 'a column filter is plain words')
  const empty = await search(app, '(((')
  t.equal(empty.status, 400, 'a query without letters or digits is a 400')
  t.same(empty.body.errors, [{ path: '/querystring/q', message: 'has no letter or digit' }])
  const huge = await app.inject(`/v1/search?q=${'ب'.repeat(10_240)}`)
  t.ok(huge.statusCode === 400 || huge.statusCode === 414, `a 10 KB query is refused (${huge.statusCode})`)
  t.match(huge.headers['content-type'], /application\/problem\+json/)
  t.equal((await app.inject(`/v1/search?q=${'ب'.repeat(501)}`)).statusCode, 400, 'q is at most 500 characters')
  t.equal((await app.inject('/v1/search')).statusCode, 400, 'q is required')
  t.equal((await app.inject('/v1/search?q=')).statusCode, 400)
  t.equal((await app.inject('/v1/search?q=x&bogus=1')).statusCode, 400)
  t.equal((await app.inject('/v1/search?q=x&sort=best')).statusCode, 400)
  t.equal((await app.inject('/v1/search?q=x&cursor=bm90LWEtY3Vyc29y')).statusCode, 400, 'a tampered cursor')
})

test('drafts, scheduled and trashed articles are never found, and are found again after publish or restore', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const draft = await createArticle(app, { title: 'مسودة عن طرطوس', status: 'draft' })
  const scheduled = await createArticle(app, { title: 'موعد في طرطوس', publishedAt: '2026-11-27T00:00:00.000Z' })
  const trashed = await createArticle(app, { title: 'محذوف من طرطوس' })
  await app.inject({ method: 'DELETE', url: `/v1/articles/${trashed.id}`, headers: h })
  t.same((await search(app, 'طرطوس')).body.data, [])
  t.same((await app.inject(`/v1/search/suggest?q=${encodeURIComponent('طرط')}`)).json().data, [])
  await app.inject({ method: 'PATCH', url: `/v1/articles/${draft.id}`, headers: h, payload: { status: 'published' } })
  await app.inject({ method: 'POST', url: `/v1/articles/${trashed.id}/restore`, headers: h })
  t.same(titles((await search(app, 'طرطوس')).body).sort(), ['مسودة عن طرطوس', 'محذوف من طرطوس'].sort())
  app.now.ms = Date.parse('2026-11-27T00:00:00.000Z')
  t.equal((await search(app, 'طرطوس')).body.data.length, 3, 'the scheduled one is found once its time comes')
  await app.inject({ method: 'PATCH', url: `/v1/articles/${scheduled.id}`, headers: h, payload: { status: 'draft' } })
  t.equal((await search(app, 'طرطوس')).body.data.length, 2, 'unpublished: gone again')
})

test('the index follows every write path', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const a = await createArticle(app, { title: 'زيارة إلى حمص', body: '<p>وصل الوفد.</p>' })
  t.equal((await search(app, 'حمص')).body.data.length, 1, 'create')
  await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: h, payload: { title: 'زيارة إلى درعا' } })
  t.equal((await search(app, 'حمص')).body.data.length, 0, 'patch title: the old words are gone')
  t.equal((await search(app, 'درعا')).body.data.length, 1, 'patch title: the new words are found')
  await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: h, payload: { body: '<p>اجتماع في اللاذقية</p>', subtitle: 'لقاء موسع', excerpt: 'ملخص قصير' } })
  t.equal((await search(app, 'اللاذقية')).body.data.length, 1, 'patch body')
  t.equal((await search(app, 'الوفد')).body.data.length, 0)
  t.equal((await search(app, 'موسع')).body.data.length, 1, 'subtitle is searched')
  t.equal((await search(app, 'ملخص')).body.data.length, 1, 'excerpt is searched')
  await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: h, payload: { breaking: true } })
  t.equal((await search(app, 'درعا')).body.data[0].breaking, true, 'a change outside the text shows in hits')
  await app.inject({ method: 'DELETE', url: `/v1/articles/${a.id}?permanent=true`, headers: bearer(app.adminKey) })
  t.equal((await search(app, 'درعا')).body.data.length, 0, 'permanent delete')
  t.equal(await dbValue(app, `SELECT count(*) FROM ${SEARCH_INDEX.rows}`), 0, 'its row left the index')
})

test('articles written behind the app\'s back are indexed at the next start', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { title: 'عنوان قديم' })
  await dbRows(app, "UPDATE articles SET title = 'عنوان من نسخة احتياطية', version = version + 1 WHERE id = ?", a.id)
  t.equal(await app.services.search.catchUp(), 1)
  t.equal((await search(app, 'احتياطية')).body.data.length, 1)
  t.equal(await app.services.search.catchUp(), 0, 'nothing left to do')
  // Gone behind the index's back: on SQLite with the foreign keys off, on PostgreSQL with
  // the triggers and foreign keys of this session off (the index row stays behind).
  if (ENGINE === 'sqlite') await dbRows(app, 'PRAGMA foreign_keys = OFF')
  if (ENGINE === 'sqlite') await dbRows(app, 'DELETE FROM articles WHERE id = ?', a.id)
  else await dbRows(app, `DO $$ BEGIN SET LOCAL session_replication_role = replica; DELETE FROM articles WHERE id = ${a.id}; END $$`)
  await app.services.search.index(a.id)
  t.equal((await search(app, 'احتياطية')).body.data.length, 0, 'indexing an article that is gone removes it from the index')
  t.equal(await dbValue(app, `SELECT count(*) FROM ${SEARCH_INDEX.rows}`), 0)
})

test('filters, sort and keyset pagination of search', async (t) => {
  const app = await build(t)
  const cat = await createCategory(app, { name: 'اقتصاد' })
  const sub = await createCategory(app, { name: 'بورصة', parentId: cat.id })
  const ids: number[] = []
  for (let i = 0; i < 7; i++) {
    ids.push((await createArticle(app, {
      title: `سوق الذهب ${i}`,
      categoryId: i % 2 === 0 ? sub.id : null,
      tags: i < 3 ? ['ذهب'] : [],
      lang: i === 6 ? 'en' : 'ar',
      publishedAt: new Date(Date.parse('2026-11-20T00:00:00.000Z') + i * 3_600_000).toISOString()
    })).id)
  }
  const seen: number[] = []
  let url = `/v1/search?q=${encodeURIComponent('الذهب')}&limit=3`
  for (let page = 0; page < 5 && url !== ''; page++) {
    const res = await app.inject(url)
    const body = json(res)
    seen.push(...body.data.map((d: any) => d.id))
    t.equal(res.headers.link === undefined, body.meta.nextCursor === null, 'Link while there is a next page')
    url = body.meta.nextCursor === null ? '' : `/v1/search?q=${encodeURIComponent('الذهب')}&limit=3&cursor=${body.meta.nextCursor}`
  }
  t.same([...seen].sort((x, y) => x - y), ids, 'every hit exactly once across pages')
  const byDate = await search(app, 'الذهب', '&sort=-publishedAt&limit=2')
  t.same(byDate.body.data.map((d: any) => d.id), [ids[6], ids[5]])
  const next = await app.inject(`/v1/search?q=${encodeURIComponent('الذهب')}&sort=-publishedAt&limit=2&cursor=${byDate.body.meta.nextCursor}`)
  t.same(json(next).data.map((d: any) => d.id), [ids[4], ids[3]])
  t.equal((await app.inject(`/v1/search?q=x&sort=relevance&cursor=${byDate.body.meta.nextCursor}`)).statusCode, 400, 'a cursor from another sort')
  t.equal((await search(app, 'الذهب', `&category=${cat.id}`)).body.data.length, 4, 'category includes subcategories')
  t.equal((await search(app, 'الذهب', `&tag=${encodeURIComponent('ذهب')}`)).body.data.length, 3)
  t.equal((await search(app, 'الذهب', '&lang=en')).body.data.length, 1)
  t.equal((await search(app, 'الذهب', '&from=2026-11-20T03:00:00.000Z&to=2026-11-20T05:00:00.000Z')).body.data.length, 2)
  t.same((await search(app, 'الذهب', '&category=no-such')).body.data, [])
})

test('suggest: up to 10 titles whose words start with the last word typed', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 12; i++) await createArticle(app, { title: `انتخابات بلدية ${i}` })
  await createArticle(app, { title: 'الانتخابات الرئاسية في لبنان' })
  await createArticle(app, { title: 'Elections in Lebanon' })
  const suggest = async (q: string): Promise<any> => json(await app.inject(`/v1/search/suggest?q=${encodeURIComponent(q)}`))
  const res = await suggest('انتخ')
  t.equal(res.data.length, 10)
  t.same(Object.keys(res.data[0]).sort(), ['id', 'slug', 'title'])
  t.match((await suggest('الرئا')).data, [{ title: 'الانتخابات الرئاسية في لبنان' }])
  t.match((await suggest('لبنان الرئ')).data, [{ title: 'الانتخابات الرئاسية في لبنان' }], 'earlier words must match too')
  t.match((await suggest('elect')).data, [{ title: 'Elections in Lebanon' }])
  t.same((await suggest('"')).data, [], 'nothing to suggest')
  t.equal((await app.inject('/v1/search/suggest?q=x&limit=5')).statusCode, 400)
})

test('related articles: shared tags, category and title words, never the article itself', async (t) => {
  const app = await build(t)
  const h = bearer(app.editorKey)
  const cat = await createCategory(app)
  const a = await createArticle(app, { title: 'قمة المناخ في القاهرة', tags: ['مناخ', 'مصر'], categoryId: cat.id })
  const twoTags = await createArticle(app, { title: 'تقرير بيئي', tags: ['مناخ', 'مصر'] })
  const oneTag = await createArticle(app, { title: 'أخبار متفرقة', tags: ['مصر'] })
  const oneTagToo = await createArticle(app, { title: 'أخبار أخرى', tags: ['مصر'] })
  const titleWord = await createArticle(app, { title: 'المناخ يتغير بسرعة' })
  const sameCategory = await createArticle(app, { title: 'شيء آخر تماما', categoryId: cat.id })
  const draft = await createArticle(app, { title: 'قمة المناخ مسودة', tags: ['مناخ', 'مصر'], status: 'draft' })
  const unrelated = await createArticle(app, { title: 'رياضة' })
  const related = async (url: string): Promise<number[]> => json(await app.inject(url)).data.map((d: any) => d.id)
  const ids = await related(`/v1/articles/${a.id}/related?limit=10`)
  t.equal(ids[0], twoTags.id, 'two shared tags first')
  t.ok(ids.includes(oneTag.id) && ids.includes(titleWord.id) && ids.includes(sameCategory.id))
  t.ok(ids.indexOf(oneTagToo.id) < ids.indexOf(oneTag.id), 'equal scores: the newer first')
  t.notOk(ids.includes(a.id), 'never itself')
  t.notOk(ids.includes(draft.id), 'never a draft')
  t.notOk(ids.includes(unrelated.id))
  t.same(await related(`/v1/articles/${encodeURIComponent(a.slug)}/related?limit=1`), [twoTags.id], 'by slug, with a limit')
  await app.inject({ method: 'DELETE', url: `/v1/articles/${twoTags.id}`, headers: h })
  t.notOk((await related(`/v1/articles/${a.id}/related`)).includes(twoTags.id), 'a trashed article leaves at once, cache or not')
  t.equal((await app.inject(`/v1/articles/${draft.id}/related`)).statusCode, 404, 'a draft has no public related list')
  t.equal((await app.inject({ url: `/v1/articles/${draft.id}/related`, headers: h })).statusCode, 200)
  t.equal((await app.inject(`/v1/articles/${a.id}/related?limit=0`)).statusCode, 400)
  t.equal((await app.inject(`/v1/articles/${a.id}/related?limit=51`)).statusCode, 400)
  const lonely = await createArticle(app, { title: 'في من على' })
  t.same(await related(`/v1/articles/${lonely.id}/related`), [], 'only stop words: nothing related')
})
