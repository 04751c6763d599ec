import { test } from 'tap'
import { build, bearer, json } from '../../../helper.ts'
import { createArticle, readArticle } from '../../../factories.ts'

const HOSTILE_BODY = [
  '<p>بدأت قوات النظام <strong>صباح اليوم</strong> حملة عسكرية.</p>',
  '<script>alert("xss")</script>',
  '<p onclick="steal()">فقرة</p>',
  '<img src="https://cdn.example.com/a.jpg" alt="صورة" onerror="alert(1)">',
  '<img src=x onerror=alert(1)//>',
  '<a href="javascript:alert(1)">رابط خبيث</a>',
  '<a href="JaVaScRiPt:alert(1)">رابط 2</a>',
  '<a href="&#106;avascript:alert(1)">رابط 3</a>',
  '<a href="  javascript:alert(1)">رابط 4</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD4=">بيانات</a>',
  '<a href="https://news.example.com/x" target="_blank">مصدر</a>',
  '<iframe src="https://evil.example.com/x"></iframe>',
  '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" allowfullscreen onload="x()"></iframe>',
  '<style>body{display:none}</style>',
  '<svg onload="alert(1)"><circle r="1"/></svg>',
  '<div style="background:url(javascript:alert(1))" dir="rtl">نص <em>مائل</em></div>',
  '<form action="https://evil.example.com"><input name="q"></form>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<h1>عنوان داخلي</h1>',
  '<blockquote>«اقتباس» <cite>الجزيرة</cite></blockquote>',
  '<ul><li>أولا</li><li>ثانيا</li></ul>',
  '<p dir="rtl">عربي \u200F مع علامة</p>'
].join('')

const FORBIDDEN = [/<script/i, /onerror/i, /onclick/i, /onload/i, /javascript:/i, /&#106;avascript/i, /data:text/i, /<style/i, /<svg/i, /<form/i, /<input/i, /<object/i, /<embed/i, /evil\.example/i, /style=/i, /alert\(/i]

function checkClean (t: any, body: string): void {
  for (const pattern of FORBIDDEN) t.notMatch(body, pattern, `no ${pattern}`)
  for (const kept of [
    '<p>بدأت قوات النظام <strong>صباح اليوم</strong> حملة عسكرية.</p>',
    '<p>فقرة</p>',
    '<img src="https://cdn.example.com/a.jpg" alt="صورة" />',
    '<a href="https://news.example.com/x" target="_blank" rel="noopener noreferrer">مصدر</a>',
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" allowfullscreen',
    '<div dir="rtl">نص <em>مائل</em></div>',
    '<h2>عنوان داخلي</h2>',
    '<blockquote>«اقتباس» <cite>الجزيرة</cite></blockquote>',
    '<ul><li>أولا</li><li>ثانيا</li></ul>',
    '<p dir="rtl">عربي \u200F مع علامة</p>'
  ]) {
    t.ok(body.includes(kept), `kept: ${kept.slice(0, 50)}`)
  }
  t.match(body, />رابط خبيث<\/a>/, 'the link text survives without its href')
}

test('POST stores a sanitized body: scripts, event handlers, javascript: links gone; Arabic and allowed tags kept', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { body: HOSTILE_BODY })
  checkClean(t, a.body)
  const stored = await readArticle(app, a.id)
  t.equal(stored.body, a.body, 'what is stored is what was answered')
  const anon = json(await app.inject({ url: `/v1/articles/${a.id}` }))
  checkClean(t, anon.body)
  const listed = json(await app.inject({ url: '/v1/articles?fields=body' })).data[0]
  checkClean(t, listed.body)
})

test('PATCH sanitizes the same way', async (t) => {
  const app = await build(t)
  const a = await createArticle(app)
  const res = await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey), payload: { body: HOSTILE_BODY } })
  t.equal(res.statusCode, 200)
  checkClean(t, json(res).body)
  checkClean(t, (await readArticle(app, a.id)).body)
})

test('a body that is nothing but a script is stored empty', async (t) => {
  const app = await build(t)
  const a = await createArticle(app, { body: '<script>document.cookie</script><style>p{}</style>' })
  t.equal(a.body, '')
  t.equal(a.readingTimeMinutes, 0)
})

test('readingTimeMinutes is derived from the sanitized text at 200 words a minute', async (t) => {
  const app = await build(t)
  const words = (n: number): string => Array.from({ length: n }, (_, i) => `كلمة${i}`).join(' ')
  t.equal((await createArticle(app, { body: '' })).readingTimeMinutes, 0)
  t.equal((await createArticle(app, { body: '<p>خبر قصير</p>' })).readingTimeMinutes, 1)
  t.equal((await createArticle(app, { body: `<p>${words(200)}</p>` })).readingTimeMinutes, 1)
  t.equal((await createArticle(app, { body: `<p>${words(201)}</p>` })).readingTimeMinutes, 2)
  t.equal((await createArticle(app, { body: `<p>${words(450)}</p>` })).readingTimeMinutes, 3)
  const hidden = await createArticle(app, { body: `<p>خبر</p><script>${words(1000)}</script>` })
  t.equal(hidden.readingTimeMinutes, 1, 'script text does not count')
  const a = await createArticle(app, { body: '<p>قصير</p>' })
  const longer = await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey), payload: { body: `<p>${words(1000)}</p>` } })
  t.equal(json(longer).readingTimeMinutes, 5, 'recomputed on PATCH')
  const titleOnly = await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, headers: bearer(app.editorKey), payload: { title: words(60) } })
  t.equal(json(titleOnly).readingTimeMinutes, 5, 'the title does not count')
})

test('titles, subtitles and excerpts are plain text: kept exactly as sent', async (t) => {
  const app = await build(t)
  const title = '<b>عاجل</b> & "اقتباس" \'مفرد\' <script>x</script>'
  const a = await createArticle(app, { title, subtitle: '<i>فرعي</i>', excerpt: 'a < b & c > d' })
  t.equal(a.title, title)
  t.equal(a.subtitle, '<i>فرعي</i>')
  t.equal(a.excerpt, 'a < b & c > d')
  t.equal(a.slug, 'b-عاجل-b-اقتباس-مفرد-script-x-script')
  const read = json(await app.inject({ url: `/v1/articles/${a.id}` }))
  t.equal(read.title, title)
})
