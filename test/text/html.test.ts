import { test } from 'tap'
import { htmlToText, readingTimeMinutes, sanitizeBody } from '../../src/text/html.ts'

test('scripts, event handlers and styles are removed', async (t) => {
  t.equal(sanitizeBody('<p>خبر<script>alert(1)</script></p>'), '<p>خبر</p>')
  t.equal(sanitizeBody('<img src="a.jpg" onerror="alert(1)">'), '<img src="a.jpg" />')
  t.equal(sanitizeBody('<p onclick="x()" style="color:red" class="big">نص</p>'), '<p>نص</p>')
  t.equal(sanitizeBody('<style>p{}</style><svg onload="x()"><script>x</script></svg><object data="x.swf"></object>ok'), 'ok')
  t.equal(sanitizeBody('<form action="/x"><input name="q"><button>go</button></form>'), 'go')
})

test('dangerous URLs are removed', async (t) => {
  t.equal(sanitizeBody('<a href="javascript:alert(1)">x</a>'), '<a>x</a>')
  t.equal(sanitizeBody('<a href=" JaVaScRiPt:alert(1)">x</a>'), '<a>x</a>')
  t.equal(sanitizeBody('<a href="java&#x09;script:alert(1)">x</a>'), '<a>x</a>')
  t.equal(sanitizeBody('<a href="data:text/html,<script>x</script>">x</a>'), '<a>x</a>')
  t.equal(sanitizeBody('<img src="data:image/png;base64,AAAA" alt="صورة">'), '<img alt="صورة" />')
  t.equal(sanitizeBody('<a href="ftp://x.org/f">x</a>'), '<a>x</a>')
  t.equal(sanitizeBody('<a href="mailto:news@example.com" title="راسلنا">x</a>'),
    '<a href="mailto:news@example.com" title="راسلنا">x</a>')
  t.equal(sanitizeBody('<a href="/ar/news/دمشق">x</a>'), '<a href="/ar/news/دمشق">x</a>')
})

test('target=_blank links get rel="noopener noreferrer"', async (t) => {
  t.equal(sanitizeBody('<a href="https://example.com" target="_blank">x</a>'),
    '<a href="https://example.com" target="_blank" rel="noopener noreferrer">x</a>')
  t.equal(sanitizeBody('<a href="https://example.com" target="_BLANK" rel="nofollow noopener">x</a>'),
    '<a href="https://example.com" target="_BLANK" rel="nofollow noopener noreferrer">x</a>')
  t.equal(sanitizeBody('<a href="https://example.com" target="_self" rel="nofollow">x</a>'),
    '<a href="https://example.com" target="_self" rel="nofollow">x</a>')
})

test('iframes only from the listed players, over https', async (t) => {
  const youtube = '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" frameborder="0" allowfullscreen></iframe>'
  t.equal(sanitizeBody(youtube), youtube)
  for (const src of ['https://player.vimeo.com/video/1', 'https://www.youtube-nocookie.com/embed/a',
    'https://www.dailymotion.com/embed/video/x', 'https://www.facebook.com/plugins/video.php?href=x',
    'https://w.soundcloud.com/player/?url=x', 'https://platform.twitter.com/embed/x']) {
    t.match(sanitizeBody(`<iframe src="${src}"></iframe>`), /^<iframe src="https:/, src)
  }
  t.equal(sanitizeBody('<p>قبل</p><iframe src="https://evil.example/x"></iframe><p>بعد</p>'), '<p>قبل</p><p>بعد</p>')
  t.equal(sanitizeBody('<iframe src="https://youtube.com.evil.example/x"></iframe>'), '')
  t.equal(sanitizeBody('<iframe src="http://www.youtube.com/embed/abc"></iframe>'), '')
  t.equal(sanitizeBody('<iframe src="//www.youtube.com/embed/abc"></iframe>'), '<iframe src="//www.youtube.com/embed/abc"></iframe>')
  t.equal(sanitizeBody('<iframe src="/embed/abc"></iframe>'), '')
  t.equal(sanitizeBody('<iframe src="javascript:alert(1)"></iframe>'), '')
  t.equal(sanitizeBody('<iframe srcdoc="<script>x</script>"></iframe>'), '')
})

test('Arabic text and writing direction survive', async (t) => {
  const body = '<h2>العنوان</h2><p dir="rtl">قالت <strong>وكالة الأنباء</strong> إنَّ القواتِ دخلت <a href="https://example.com/دمشق">دمشق</a>.</p>' +
    '<blockquote><p>«نص»</p><cite>المصدر</cite></blockquote><ul><li>أ</li></ul>' +
    '<figure><img src="https://cdn.example/a.jpg" alt="صورة" width="800" height="600" loading="lazy"><figcaption>تعليق</figcaption></figure>' +
    '<table><thead><tr><th>سنة</th></tr></thead><tbody><tr><td>٢٠٢٤</td></tr></tbody></table>'
  t.equal(sanitizeBody(body), body.replace('loading="lazy">', 'loading="lazy" />'))
  t.equal(sanitizeBody('<div dir="ltr"><span dir="auto">Reuters</span></div>'), '<div dir="ltr"><span dir="auto">Reuters</span></div>')
  t.equal(sanitizeBody('<p dir="RTL ">نص</p>'), '<p dir="rtl">نص</p>')
  t.equal(sanitizeBody('<p dir="up">نص</p><p dir>نص</p>'), '<p>نص</p><p>نص</p>')
  t.equal(sanitizeBody('<h3 dir="rtl">ع</h3>'), '<h3>ع</h3>')
  t.equal(sanitizeBody('<img src="a.jpg" loading="soon">'), '<img src="a.jpg" />')
  t.equal(sanitizeBody('<h1>عنوان</h1>'), '<h2>عنوان</h2>')
})

test('htmlToText', async (t) => {
  t.equal(htmlToText('<p>قالت&nbsp;الوكالة</p><p>إن <b>القوات</b>\n\n دخلت</p>'), 'قالت الوكالة إن القوات دخلت')
  t.equal(htmlToText('<h2>عنوان</h2>نص<br>سطر<ul><li>أ</li><li>ب</li></ul>'), 'عنوان نص سطر أ ب')
  t.equal(htmlToText('<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &amp;lt;</p>'), 'a & b <c> "d" \'e\' &lt;')
  t.equal(htmlToText('<script>alert(1)</script><style>p{}</style>نص'), 'نص')
  t.equal(htmlToText('مُحَمَّد <i>ك</i>تاب'), 'مُحَمَّد كتاب')
  t.equal(htmlToText(''), '')
})

test('readingTimeMinutes', async (t) => {
  t.equal(readingTimeMinutes(''), 0)
  t.equal(readingTimeMinutes('  ... ، ؟ 🔥 '), 0)
  t.equal(readingTimeMinutes('خبر عاجل'), 1)
  const words = 'قالت وكالة الأنباء إنَّ القواتِ دخلت مدينة دمشق صباح اليوم '.split(' ').filter(Boolean)
  t.equal(words.length, 10)
  t.equal(readingTimeMinutes(Array(100).fill(words.join(' ')).join(' ')), 5, '1000 words')
  t.equal(readingTimeMinutes(Array(101).fill(words.join(' ')).join(' ')), 6, '1010 words')
  t.equal(readingTimeMinutes(htmlToText('<p>' + 'كلمة '.repeat(200) + '</p><p>' + 'word '.repeat(200) + '</p>')), 2)
  // Marks continue a word and never start one; astral letters count; emoji do not.
  t.equal(readingTimeMinutes('\u064E '.repeat(250) + 'مُحَمَّد '.repeat(201) + '𐐀𐐁 '.repeat(200) + '🔥 '.repeat(500)), 3)
})
