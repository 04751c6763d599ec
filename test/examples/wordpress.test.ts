import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { main, wxrToArticles, type Io } from '../../examples/wordpress-to-khabar.ts'
import { build, bearer, json, tempDir } from '../helper.ts'
import { importNdjson } from '../factories.ts'
import { cli } from '../support/cli.ts'

const FIXTURE = fileURLToPath(new URL('../../examples/fixtures/wordpress.xml', import.meta.url))
const fixture = readFileSync(FIXTURE, 'utf8')

// A WXR document around some items (and channel elements before them).
const wxr = (items: string, channel = ''): string => `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>test</title><wp:wxr_version>1.2</wp:wxr_version>${channel}${items}</channel></rss>`

// One item, a published post unless fields say otherwise (undefined leaves an element out).
// Values are raw XML.
function item (fields: Record<string, string | undefined> = {}, extra = ''): string {
  const all: Record<string, string | undefined> = {
    title: 'خبر',
    'wp:post_id': '1',
    'wp:post_date_gmt': '2026-11-01 10:00:00',
    'wp:post_name': 'khabar',
    'wp:status': 'publish',
    'wp:post_type': 'post',
    ...fields
  }
  const elements = Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${v as string}</${k}>`)
  return `<item>${elements.join('')}${extra}</item>`
}

const attachment = (id: string, parent: string, url: string | undefined, extra = ''): string =>
  item({ 'wp:post_id': id, 'wp:post_parent': parent, 'wp:post_type': 'attachment', 'wp:status': 'inherit', 'wp:attachment_url': url }, extra)

const meta = (key: string, value: string): string => `<wp:postmeta><wp:meta_key>${key}</wp:meta_key><wp:meta_value><![CDATA[${value}]]></wp:meta_value></wp:postmeta>`

const first = (xml: string, options = {}): any => {
  const { articles } = wxrToArticles(xml, options)
  return articles[0]
}

function fakeIo (input = '', isTTY = false): { io: Io, out: () => string, err: () => string } {
  const out: string[] = []
  const err: string[] = []
  const stdin = Object.assign(Readable.from([Buffer.from(input)]), isTTY ? { isTTY } : {})
  return {
    io: { stdin, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    out: () => out.join(''),
    err: () => err.join('')
  }
}

const ndjson = (lines: unknown[]): string => lines.map(l => JSON.stringify(l) + '\n').join('')

t.test('the fixture: one line per post, in the export\'s order, the rest skipped', async (t) => {
  const { articles, skipped, missingMedia } = wxrToArticles(fixture)
  t.same(articles.map(a => a.externalId), ['wp-101', 'wp-102', 'wp-103', 'wp-106', 'wp-107'])
  t.same(skipped, [
    { id: '104', reason: 'trash' },
    { id: '105', reason: 'page' },
    { id: '108', reason: 'nav_menu_item' },
    { id: '201', reason: 'attachment' },
    { id: '202', reason: 'attachment' },
    { id: '203', reason: 'attachment' }
  ])
  t.same(missingMedia, [])
  const [arabic, english, draft, html, scheduled] = articles

  t.same(arabic, {
    externalId: 'wp-101',
    title: 'البرلمان يقر قانون الانتخابات الجديد بعد جلسة طويلة',
    slug: 'البرلمان-يقر-قانون-الانتخابات',
    lang: 'ar',
    status: 'published',
    publishedAt: '2026-11-02T08:30:00.000Z',
    author: 'ليلى حداد',
    excerpt: 'أقر البرلمان قانون الانتخابات الجديد بعد جلسة طويلة.',
    body: arabic.body,
    // Filed under سياسة and its subsection: the subsection.
    category: 'الشرق-الأوسط',
    tags: ['انتخابات', 'برلمان'],
    commentCount: 2,
    media: [
      {
        url: 'https://news.example/wp-content/uploads/2026/11/parliament.jpg',
        kind: 'image',
        title: 'صورة مبنى البرلمان',
        caption: 'مبنى البرلمان صباح الجلسة',
        alt: 'واجهة مبنى البرلمان',
        width: 1600,
        height: 900,
        role: 'featured'
      },
      { url: 'https://news.example/wp-content/uploads/2026/11/hall.png', kind: 'image', title: 'قاعة البرلمان', alt: 'قاعة البرلمان', role: 'inline' }
    ]
  }, 'the featured image is listed once, though it is also uploaded to the post')
  t.ok(arabic.body?.startsWith('<!-- wp:paragraph -->\n<p>أقر البرلمان'), 'block-editor content is kept as it is')

  t.same(english, {
    externalId: 'wp-102',
    title: 'Parliament passes the new elections law',
    slug: 'parliament-passes-elections-law',
    lang: 'en',
    status: 'published',
    publishedAt: '2026-11-02T10:00:00.000Z',
    author: 'Omar Khalil',
    excerpt: 'The vote ended a nine-hour session.',
    body: '<p>Lawmakers passed the new elections law late on Monday after a nine-hour session.</p>\n<p>The full text is attached.</p>',
    category: 'world',
    tags: ['Elections'],
    commentCount: 0,
    media: [{ url: 'https://news.example/wp-content/uploads/2026/11/elections-law.pdf', kind: 'document', role: 'inline' }]
  })

  t.same(draft, {
    externalId: 'wp-103',
    title: 'مسودة: تقرير عن أسعار الخبز',
    lang: 'ar',
    status: 'draft',
    author: 'ليلى حداد',
    excerpt: null,
    body: '<p>ارتفع سعر ربطة الخبز في الأسواق.</p>',
    category: null,
    tags: [],
    commentCount: 0,
    media: []
  }, 'no slug (khabar makes one) and no publishedAt')

  t.same(html, {
    externalId: 'wp-106',
    title: 'قراءة في “الموازنة” & الضرائب',
    slug: 'الموازنة',
    lang: 'ar',
    status: 'published',
    publishedAt: '2026-11-20T06:15:00.000Z',
    author: 'ليلى حداد',
    excerpt: null,
    body: [
      '<p>افتتاحية <b>مهمة</b> عن الموازنة &amp; الضرائب&nbsp;لهذا العام.</p>',
      '<p><script>alert("x")</script><br>\nفقرة ثانية فيها سطر<br>\nوسطر آخر، وفيها الرمز a[b[0]]> c.</p>',
      '<figure><img src="https://news.example/wp-content/uploads/2026/11/budget.jpg" alt="" width="800" height="533" /><figcaption>جدول الموازنة</figcaption></figure>',
      '<h2>الأرقام</h2>'
    ].join('\n'),
    category: 'اقتصاد',
    tags: [],
    commentCount: 0,
    media: []
  }, 'paragraphs made, [caption] a figure, the CDATA split at "]]>" joined, numeric references decoded')

  t.same(scheduled, {
    externalId: 'wp-107',
    title: 'مواعيد مباريات الأسبوع المقبل',
    slug: 'مواعيد-المباريات',
    lang: 'ar',
    status: 'published',
    publishedAt: '2027-01-05T07:00:00.000Z',
    author: 'Omar Khalil',
    excerpt: null,
    body: '<p>تنطلق مباريات الأسبوع المقبل يوم السبت.</p>',
    category: 'رياضة',
    tags: [],
    commentCount: 0,
    media: []
  }, 'a future post is published at its future time: khabar schedules it')
})

t.test('a user\'s first path: convert, import, read, import again', async (t) => {
  const app = await build(t)
  const run = fakeIo()
  t.equal(await main([FIXTURE], run.io), 0)
  t.equal(run.err(), 'wordpress-to-khabar: articles written: 5; items skipped: 6 (1 trash, 1 page, 1 nav_menu_item, 3 attachment)\n')
  const lines = run.out()
  t.equal(lines.split('\n').length, 6, 'five lines, each ended')

  const result = await importNdjson(app, lines)
  t.same(result, { created: 5, updated: 0, unchanged: 0, failed: 0, errors: [], moreErrors: 0, dryRun: false })

  const read = async (slug: string, editor = false): Promise<any> => await app.inject({
    url: `/v1/articles/${encodeURIComponent(slug)}?include=category,media`,
    headers: editor ? bearer(app.editorKey) : {}
  })

  const arabic = json(await read('البرلمان-يقر-قانون-الانتخابات'))
  t.match(arabic, {
    externalId: 'wp-101',
    lang: 'ar',
    dir: 'rtl',
    status: 'published',
    publishedAt: '2026-11-02T08:30:00.000Z',
    author: 'ليلى حداد',
    category: { slug: 'الشرق-الأوسط', name: 'الشرق الأوسط', parentId: null },
    tags: ['انتخابات', 'برلمان'],
    commentCount: 2
  })
  t.same(arabic.media.map((m: any) => [m.role, m.position, m.kind, m.url, m.alt, m.width]), [
    ['featured', 0, 'image', 'https://news.example/wp-content/uploads/2026/11/parliament.jpg', 'واجهة مبنى البرلمان', 1600],
    ['inline', 1, 'image', 'https://news.example/wp-content/uploads/2026/11/hall.png', 'قاعة البرلمان', null]
  ])
  t.notMatch(arabic.body, /<!--|class=/, 'the block comments and classes went with sanitising')
  t.match(arabic.body, /<figure><img src="https:\/\/news.example\/wp-content\/uploads\/2026\/11\/hall.png" alt="قاعة البرلمان" \/><\/figure>/)

  const english = json(await read('parliament-passes-elections-law'))
  t.match(english, { lang: 'en', dir: 'ltr', category: { slug: 'world' }, tags: ['Elections'], media: [{ kind: 'document', role: 'inline' }] })

  const html = json(await read('الموازنة'))
  t.notMatch(html.body, /script|alert/, 'the script is gone')
  t.match(html.body, /<b>مهمة<\/b>/)
  t.match(html.body, /<figcaption>جدول الموازنة<\/figcaption>/)
  t.equal(html.title, 'قراءة في “الموازنة” & الضرائب')

  t.equal((await read('مواعيد-المباريات')).statusCode, 404, 'scheduled: not public yet')
  t.match(json(await read('مواعيد-المباريات', true)), { status: 'published', publishedAt: '2027-01-05T07:00:00.000Z' })
  const drafts = json(await app.inject({ url: '/v1/articles?status=draft', headers: bearer(app.editorKey) }))
  t.same(drafts.data.map((a: any) => [a.externalId, a.title, a.publishedAt]), [['wp-103', 'مسودة: تقرير عن أسعار الخبز', null]])

  const again = await importNdjson(app, lines)
  t.same([again.created, again.updated, again.unchanged, again.failed], [0, 0, 5, 0], 'a second run changes nothing')
})

t.test('the documented pipe: the example\'s output into khabar import -', async (t) => {
  const converted = fakeIo(fixture)
  t.equal(await main(['-'], converted.io), 0)
  const { code, out, err } = await cli(t).run(['import', '-'], { stdin: Readable.from([Buffer.from(converted.out())]) })
  const said = [...out, ...err].join('\n')
  t.equal(code, 0, said)
  t.match(said, /5 created, 0 updated, 0 unchanged, 0 failed/)
})

t.test('statuses and dates', async (t) => {
  const cases: Array<[Record<string, string>, unknown]> = [
    [{}, { status: 'published', publishedAt: '2026-11-01T10:00:00.000Z' }],
    [{ 'wp:post_date_gmt': '0000-00-00 00:00:00' }, { status: 'published' }],
    [{ 'wp:post_date_gmt': '2026-02-30 10:00:00' }, { status: 'published' }],
    [{ 'wp:post_password': 'secret' }, { status: 'draft' }],
    [{ 'wp:status': 'future', 'wp:post_date_gmt': '2027-03-01 09:00:00' }, { status: 'published', publishedAt: '2027-03-01T09:00:00.000Z' }],
    [{ 'wp:status': 'future', 'wp:post_date_gmt': '0000-00-00 00:00:00' }, { status: 'draft' }],
    [{ 'wp:status': 'future', 'wp:post_password': 'secret' }, { status: 'draft' }],
    [{ 'wp:status': 'draft' }, { status: 'draft' }],
    [{ 'wp:status': 'pending' }, { status: 'draft' }],
    [{ 'wp:status': 'private' }, { status: 'draft' }]
  ]
  for (const [fields, expected] of cases) {
    const line = first(wxr(item(fields)))
    t.same({ status: line.status, publishedAt: line.publishedAt }, { publishedAt: undefined, ...expected as object }, JSON.stringify(fields))
  }
  const { articles, skipped } = wxrToArticles(wxr([
    item({ 'wp:post_id': '1', 'wp:status': 'trash' }),
    item({ 'wp:post_id': '2', 'wp:status': 'auto-draft' }),
    item({ 'wp:post_id': '3', 'wp:status': '' }),
    item({ 'wp:post_id': '4', 'wp:post_type': 'revision' }),
    '<item/>',
    item({ 'wp:post_id': undefined }),
    item({ 'wp:post_id': '7' }, `<content:encoded><![CDATA[${'ب'.repeat(900_000)}]]></content:encoded>`)
  ].join('')))
  t.same(articles, [])
  t.same(skipped, [
    { id: '1', reason: 'trash' },
    { id: '2', reason: 'auto-draft' },
    { id: '3', reason: 'no wp:status' },
    { id: '4', reason: 'revision' },
    { id: '', reason: 'no wp:post_type' },
    { id: '', reason: 'no wp:post_id' },
    { id: '7', reason: 'body over 900000 characters' }
  ])
})

t.test('titles, slugs, languages and authors', async (t) => {
  const authors = '<wp:author><wp:author_login>sara</wp:author_login><wp:author_display_name> </wp:author_display_name></wp:author>'
  const lines = wxrToArticles(wxr([
    // Numeric references outside CDATA, one out of Unicode's range, and a double escape.
    item({ 'wp:post_id': '1', title: 'It&#8217;s &#x627; &#9999999; &amp;lt;', 'dc:creator': 'nobody-known' }),
    item({ 'wp:post_id': '2', title: '', 'wp:post_name': '%d8%ae%d8%a8%d8%b1-%d8%b9%d8%a7%d8%ac%d9%84', 'dc:creator': 'sara' }),
    item({ 'wp:post_id': '3', title: '  ', 'wp:post_name': '2024' }),
    item({ 'wp:post_id': '4', title: 'Breaking 100%', 'wp:post_name': 'bad-%zz' }),
    item({ 'wp:post_id': '5', title: 'ع'.repeat(600), 'wp:post_name': 'long' })
  ].join(''), authors)).articles
  t.same(lines.map(l => [l.title, l.slug, l.lang, l.author]), [
    ['It’s ا &#9999999; &lt;', 'khabar', 'ar', 'nobody-known'],
    ['خبر عاجل', 'خبر-عاجل', 'ar', 'sara'],
    ['(untitled)', undefined, 'ar', null],
    ['Breaking 100%', 'bad-%zz', 'en', null],
    ['ع'.repeat(500), 'long', 'ar', null]
  ], 'an unknown login is the author as it is; one with an empty display name too')
  t.equal(first(wxr(item({ title: 'Hello' })), { lang: 'fr' }).lang, 'fr', 'the lang option wins')
})

t.test('categories, tags and comments', async (t) => {
  const tag = (name: string): string => `<category domain="post_tag" nicename="x"><![CDATA[${name}]]></category>`
  const line = first(wxr(item({}, [
    '<category domain="category"><![CDATA[No nicename]]></category>',
    '<category domain="category" nicename="2024"><![CDATA[2024]]></category>',
    '<category domain="category" nicename="news"><![CDATA[News]]></category>',
    '<category domain="category" nicename="local"><![CDATA[Local]]></category>',
    '<category>Plain RSS</category>',
    '<category domain="post_tag" nicename="empty"/>',
    tag('  سوريا '), tag('سوريا'), tag('دمشق\n  القديمة'), tag('x'.repeat(150)),
    ...Array.from({ length: 60 }, (_, i) => tag(`وسم ${i}`)),
    '<wp:comment><wp:comment_approved>1</wp:comment_approved></wp:comment>',
    '<wp:comment><wp:comment_approved>0</wp:comment_approved></wp:comment>'
  ].join(''))))
  t.equal(line.category, 'news', 'without wp:category definitions, the first usable one')
  t.equal(line.tags.length, 50)
  t.same(line.tags.slice(0, 4), ['سوريا', 'دمشق القديمة', 'x'.repeat(100), 'وسم 0'])
  t.equal(line.commentCount, 1)
})

t.test('media', async (t) => {
  const { articles, missingMedia } = wxrToArticles(wxr([
    item({ 'wp:post_id': '1' }, meta('_thumbnail_id', '99')),
    item({ 'wp:post_id': '2' }, meta('_thumbnail_id', '10')),
    attachment('10', '0', 'ftp://example.com/a.jpg'),
    attachment('11', '2', undefined),
    attachment('12', '2', `https://example.com/${'a'.repeat(2048)}.jpg`),
    attachment('13', '2', ' https://example.com/sound.MP3 '),
    attachment('14', '2', 'https://example.com/clip.mp4'),
    attachment('15', '2', 'https://example.com/images/raw', meta('_wp_attachment_metadata', 'a:2:{s:5:"width";i:200000;s:6:"height";i:900;}'))
  ].join('')))
  t.same(missingMedia, [{ id: '1', attachmentId: '99' }])
  t.same(articles[0].media, [])
  t.same(articles[1].media, [
    { url: 'https://example.com/sound.MP3', kind: 'audio', title: 'خبر', role: 'inline' },
    { url: 'https://example.com/clip.mp4', kind: 'video', title: 'خبر', role: 'inline' },
    { url: 'https://example.com/images/raw', kind: 'image', title: 'خبر', height: 900, role: 'inline' }
  ], 'a URL khabar refuses is left out; a width over its limit too')

  const io = fakeIo(wxr(item({}, meta('_thumbnail_id', '5'))))
  t.equal(await main([], io.io), 0)
  t.equal(io.err(), 'wordpress-to-khabar: articles written: 1; items skipped: 0\n' +
    'wordpress-to-khabar: featured images not in the export: 1 (export "All content" to take the attachments along)\n')
})

t.test('classic-editor bodies', async (t) => {
  const body = (content: string): string => first(wxr(item({}, `<content:encoded><![CDATA[${content}]]></content:encoded>`))).body
  t.equal(body('[caption id="attachment_1" width="300"]<a href="https://example.com/"><img src="https://example.com/a.jpg" /></a>[/caption]\r\n\r\nسطر\r\nوسطر'),
    '<figure><a href="https://example.com/"><img src="https://example.com/a.jpg" /></a></figure>\n<p>سطر<br>\nوسطر</p>')
  t.equal(body('[caption]only text[/caption]'), '<p>[caption]only text[/caption]</p>', 'a caption without an image is left for an editor')
  t.equal(first(wxr(item())).body, '', 'no content, an empty body')
})

t.test('every line the edge cases make passes khabar\'s import validation', async (t) => {
  const app = await build(t)
  const xml = wxr([
    item({ 'wp:post_id': '1', title: '', 'wp:post_name': '2024' }),
    item({ 'wp:post_id': '2', title: 'x', 'wp:post_name': 'bad-%zz', 'wp:post_date_gmt': '2026-02-30 10:00:00' }),
    item({ 'wp:post_id': '3', title: 'ع'.repeat(600), 'wp:post_name': 'ب'.repeat(300) }, '<category domain="category" nicename="2024"/>'),
    item({ 'wp:post_id': '4', 'wp:status': 'future', 'wp:post_date_gmt': '0000-00-00 00:00:00' }, meta('_thumbnail_id', '5')),
    attachment('5', '4', `https://example.com/${'a'.repeat(2000)}.mp3`, meta('_wp_attachment_image_alt', 'ع'.repeat(1500)))
  ].join(''))
  const { articles } = wxrToArticles(xml)
  const result = await importNdjson(app, ndjson(articles), '?dryRun=true')
  t.same([result.created, result.failed, result.errors], [4, 0, []])
})

t.test('main: arguments, standard input and errors', async (t) => {
  const dir = tempDir(t, 'khabar-wp-')

  t.test('standard input, with - or no file, and --lang', async (t) => {
    for (const argv of [['-'], [], ['--lang', 'ar-SY']]) {
      const run = fakeIo('\uFEFF' + fixture)
      t.equal(await main(argv, run.io), 0, argv.join(' '))
      t.equal(run.out().split('\n').length, 6)
    }
    const run = fakeIo(fixture)
    await main(['--lang', 'ar-SY'], run.io)
    t.same(run.out().trim().split('\n').map(l => JSON.parse(l).lang), ['ar-SY', 'ar-SY', 'ar-SY', 'ar-SY', 'ar-SY'])
  })

  t.test('--help', async (t) => {
    for (const flag of ['--help', '-h']) {
      const run = fakeIo()
      t.equal(await main([flag], run.io), 0)
      t.match(run.out(), /^Usage: wordpress-to-khabar \[--lang TAG\] \[FILE \| -\]/)
      t.equal(run.err(), '')
    }
  })

  t.test('a bare run in a terminal shows the usage instead of waiting', async (t) => {
    const run = fakeIo('', true)
    t.equal(await main([], run.io), 2)
    t.match(run.err(), /^Usage:/)
  })

  t.test('a wrong command line is exit code 2, with the usage', async (t) => {
    const cases: Array<[string[], RegExp]> = [
      [['--colour'], /Unknown option '--colour'/],
      [['a.xml', 'b.xml'], /one file at most, not 2/],
      [['--lang', 'arabic!'], /--lang "arabic!" is not a language tag/],
      [['--lang', `ar${'-abcdefgh'.repeat(4)}`], /is not a language tag/]
    ]
    for (const [argv, message] of cases) {
      const run = fakeIo()
      t.equal(await main(argv, run.io), 2, argv.join(' '))
      t.match(run.err(), message)
      t.match(run.err(), /Usage:/)
      t.equal(run.out(), '')
    }
  })

  t.test('input that cannot be converted is exit code 1, with the reason', async (t) => {
    const notXml = join(dir, 'export.xml')
    writeFileSync(notXml, '<rss><channel><item></channel></rss>')
    const cases: Array<[string[], string, RegExp]> = [
      [[join(dir, 'missing.xml')], '', /missing\.xml: ENOENT: no such file or directory/],
      [[notXml], '', /export\.xml: not well-formed XML \(line 1\): Expected closing tag 'item'/],
      [['-'], '', /standard input: not well-formed XML/],
      [['-'], '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', /standard input: not a WordPress export/],
      [['-'], '<rss version="2.0"><channel><title>x</title><item><title>y</title></item></channel></rss>', /not a WordPress export: no <wp:wxr_version>/]
    ]
    for (const [argv, input, message] of cases) {
      const run = fakeIo(input)
      t.equal(await main(argv, run.io), 1, message.source)
      t.match(run.err(), message)
      t.equal(run.out(), '', 'nothing half-written')
    }
  })

  t.test('an export without posts writes nothing and says so', async (t) => {
    const run = fakeIo(wxr(''))
    t.equal(await main([], run.io), 0)
    t.equal(run.out(), '')
    t.equal(run.err(), 'wordpress-to-khabar: articles written: 0; items skipped: 0\n')
  })
})
