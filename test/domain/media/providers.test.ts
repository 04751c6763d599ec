import { test } from 'tap'
import {
  canonicalMediaUrl,
  derivedThumbnail,
  deriveProvider,
  inferKind,
  parseMediaUrl,
  parseTimestamp,
  MAX_MEDIA_URL_LENGTH
} from '../../../src/domain/media/providers.ts'
import type { MediaProvider as Provider } from '../../../src/domain/enums.ts'

function derive (input: string) {
  const url = parseMediaUrl(input)
  if (url === null) throw new Error(`not a media URL: ${input}`)
  return deriveProvider(url)
}

function canonical (input: string): string {
  const url = parseMediaUrl(input)
  if (url === null) throw new Error(`not a media URL: ${input}`)
  return canonicalMediaUrl(url)
}

function thumbnail (input: string, kind: Parameters<typeof derivedThumbnail>[1]): string | null {
  const url = parseMediaUrl(input)
  if (url === null) throw new Error(`not a media URL: ${input}`)
  return derivedThumbnail(url, kind)
}

function kindOf (input: string) {
  const url = parseMediaUrl(input)
  if (url === null) throw new Error(`not a media URL: ${input}`)
  return inferKind(url, deriveProvider(url).provider)
}

const YT = 'dQw4w9WgXcQ'
const YT_EMBED = `https://www.youtube.com/embed/${YT}`

test('parseMediaUrl accepts absolute http(s) URLs', async (t) => {
  t.equal(parseMediaUrl('https://example.com/a.jpg')?.href, 'https://example.com/a.jpg')
  t.equal(parseMediaUrl('http://example.com')?.href, 'http://example.com/')
  t.equal(parseMediaUrl('  https://example.com/x  \n')?.href, 'https://example.com/x', 'trims')
  t.equal(parseMediaUrl('HTTPS://EXAMPLE.COM/Path')?.href, 'https://example.com/Path', 'normalises scheme and host')
  t.equal(parseMediaUrl('https://example.com:8443/v?x=1#frag')?.port, '8443')
  t.equal(parseMediaUrl('https://مثال.إختبار/خبر')?.hostname, 'xn--mgbh0fb.xn--kgbechtv', 'IDN hosts become punycode')
  t.equal(parseMediaUrl('https://127.0.0.1/x')?.hostname, '127.0.0.1')
  t.type(parseMediaUrl('https://example.com/' + 'a'.repeat(MAX_MEDIA_URL_LENGTH - 20)), URL, 'exactly 2048 chars')
})

test('parseMediaUrl rejects everything else', async (t) => {
  const bad = [
    '',
    '   ',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(document.cookie)',
    'java\nscript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:image/png;base64,iVBORw0KGgo=',
    'file:///etc/passwd',
    'ftp://example.com/file.mp3',
    'mailto:someone@example.com',
    'ws://example.com/socket',
    'blob:https://example.com/550e8400-e29b-41d4-a716-446655440000',
    'vbscript:msgbox(1)',
    '/relative/path.jpg',
    'relative.jpg',
    '//example.com/protocol-relative.jpg',
    '?v=1',
    '#anchor',
    'https://',
    'https:///path-only',
    'https:example.com',
    'http:/example.com',
    'https:\\\\example.com',
    'https:/\\example.com',
    'ht\ntps://example.com',
    'https://?q=1',
    'https://#frag',
    'https://:443/',
    'xhttps://example.com',
    'http://exa mple.com/',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://:pass@example.com/',
    'https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ',
    'not a url',
    'https://example.com/' + 'a'.repeat(MAX_MEDIA_URL_LENGTH),
    'https://example.com/' + ' '.repeat(MAX_MEDIA_URL_LENGTH - 40) + 'x'
  ]
  for (const input of bad) {
    t.equal(parseMediaUrl(input), null, JSON.stringify(input.slice(0, 60)))
  }
  t.equal(parseMediaUrl(undefined as unknown as string), null, 'non-string input')
  t.equal(parseMediaUrl(42 as unknown as string), null, 'number input')
})

test('parseTimestamp', async (t) => {
  t.equal(parseTimestamp('90'), 90)
  t.equal(parseTimestamp('90s'), 90)
  t.equal(parseTimestamp('1m30s'), 90)
  t.equal(parseTimestamp('1m30'), 90)
  t.equal(parseTimestamp('2m'), 120)
  t.equal(parseTimestamp('1h'), 3600)
  t.equal(parseTimestamp('1h2m3s'), 3723)
  t.equal(parseTimestamp('1H2M3S'), 3723)
  t.equal(parseTimestamp('0'), null)
  t.equal(parseTimestamp(''), null)
  t.equal(parseTimestamp('abc'), null)
  t.equal(parseTimestamp('-5'), null)
  t.equal(parseTimestamp('1.5'), null)
  t.equal(parseTimestamp(null), null)
})

test('YouTube URL forms', async (t) => {
  const forms = [
    `https://www.youtube.com/watch?v=${YT}`,
    `https://youtube.com/watch?v=${YT}`,
    `http://youtube.com/watch?v=${YT}`,
    `https://m.youtube.com/watch?v=${YT}&feature=share`,
    `https://music.youtube.com/watch?v=${YT}&list=RDAMVM`,
    `https://www.youtube.com/watch?feature=youtu.be&v=${YT}`,
    `https://www.youtube.com/watch/?v=${YT}`,
    `https://www.youtube.com/shorts/${YT}`,
    `https://youtube.com/shorts/${YT}?si=abc`,
    `https://www.youtube.com/embed/${YT}`,
    `https://www.youtube.com/embed/${YT}?autoplay=1`,
    `https://www.youtube.com/live/${YT}?feature=share`,
    `https://www.youtube.com/v/${YT}`,
    `https://www.youtube-nocookie.com/embed/${YT}`,
    `https://youtu.be/${YT}`,
    `https://youtu.be/${YT}?si=tracking`,
    `https://WWW.YouTube.COM/watch?v=${YT}`,
    `https://youtube.com./watch?v=${YT}`
  ]
  for (const form of forms) {
    t.same(derive(form), { provider: 'youtube', embedUrl: YT_EMBED, isVideo: true }, form)
    t.equal(kindOf(form), 'video', form)
  }
  t.same(derive('https://youtu.be/a-b_C1234_Z'), {
    provider: 'youtube', embedUrl: 'https://www.youtube.com/embed/a-b_C1234_Z', isVideo: true
  }, 'IDs may contain - and _')
})

test('YouTube start times', async (t) => {
  const cases: Array<[string, string]> = [
    [`https://www.youtube.com/watch?v=${YT}&t=90`, '?start=90'],
    [`https://www.youtube.com/watch?v=${YT}&t=90s`, '?start=90'],
    [`https://youtu.be/${YT}?t=1m30s`, '?start=90'],
    [`https://youtu.be/${YT}?t=1h0m5s`, '?start=3605'],
    [`https://www.youtube.com/embed/${YT}?start=42`, '?start=42'],
    [`https://www.youtube.com/watch?v=${YT}&t=0`, ''],
    [`https://www.youtube.com/watch?v=${YT}&t=soon`, ''],
    [`https://www.youtube.com/watch?v=${YT}&t=%22%3E%3Cscript%3E`, ''],
    [`https://www.youtube.com/watch?v=${YT}&t=bad&start=7`, '?start=7']
  ]
  for (const [input, query] of cases) {
    t.equal(derive(input).embedUrl, YT_EMBED + query, input)
  }
})

test('unrecognised YouTube URLs have no embed', async (t) => {
  const pages = [
    'https://www.youtube.com/',
    'https://www.youtube.com/@aljazeera',
    'https://www.youtube.com/channel/UC7fWeaHhqgM4Ry-RMpM2YYw',
    'https://www.youtube.com/c/AlJazeeraArabic',
    'https://www.youtube.com/playlist?list=PLxyz',
    'https://www.youtube.com/watch',
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQX',
    'https://www.youtube.com/watch?v=dQw4w9WgX%3Cs',
    'https://www.youtube.com/shorts/',
    'https://www.youtube.com/shorts/too-short',
    'https://www.youtube.com/results?search_query=news',
    'https://www.youtube.com/watch/extra?v=dQw4w9WgXcQ',
    'https://youtu.be/',
    'https://youtu.be/abc',
    'https://www.youtube-nocookie.com/'
  ]
  for (const page of pages) {
    t.same(derive(page), { provider: 'youtube', embedUrl: null, isVideo: true }, page)
  }
})

test('Vimeo URL forms', async (t) => {
  const embed = 'https://player.vimeo.com/video/76979871'
  const forms = [
    'https://vimeo.com/76979871',
    'https://www.vimeo.com/76979871',
    'http://vimeo.com/76979871/',
    'https://vimeo.com/76979871?share=copy',
    'https://vimeo.com/channels/staffpicks/76979871',
    'https://player.vimeo.com/video/76979871',
    'https://player.vimeo.com/video/76979871?autoplay=1'
  ]
  for (const form of forms) {
    t.same(derive(form), { provider: 'vimeo', embedUrl: embed, isVideo: true }, form)
    t.equal(kindOf(form), 'video', form)
  }
  t.equal(derive('https://vimeo.com/76979871/a1b2c3d4e5').embedUrl, `${embed}?h=a1b2c3d4e5`, 'unlisted video keeps its hash')
  t.equal(derive('https://player.vimeo.com/video/76979871?h=a1b2c3d4e5').embedUrl, `${embed}?h=a1b2c3d4e5`)
  t.equal(derive('https://player.vimeo.com/video/76979871?h=%3Cscript').embedUrl, embed, 'bad hash is dropped')

  const pages = [
    'https://vimeo.com/',
    'https://vimeo.com/aljazeera',
    'https://vimeo.com/channels/staffpicks',
    'https://vimeo.com/channels/staffpicks/notanid',
    'https://vimeo.com/76979871/notahash!',
    'https://vimeo.com/user/76979871',
    'https://player.vimeo.com/',
    'https://player.vimeo.com/video/abc',
    'https://player.vimeo.com/76979871'
  ]
  for (const page of pages) {
    t.same(derive(page), { provider: 'vimeo', embedUrl: null, isVideo: true }, page)
  }
})

test('Dailymotion URL forms', async (t) => {
  const embed = 'https://www.dailymotion.com/embed/video/x8abcd1'
  const forms = [
    'https://www.dailymotion.com/video/x8abcd1',
    'https://dailymotion.com/video/x8abcd1',
    'https://www.dailymotion.com/video/x8abcd1_news-report_news',
    'https://m.dailymotion.com/video/x8abcd1?playlist=x6hynp',
    'https://www.dailymotion.com/embed/video/x8abcd1',
    'https://dai.ly/x8abcd1',
    'http://dai.ly/x8abcd1/'
  ]
  for (const form of forms) {
    t.same(derive(form), { provider: 'dailymotion', embedUrl: embed, isVideo: true }, form)
    t.equal(kindOf(form), 'video', form)
  }
  const pages = [
    'https://www.dailymotion.com/',
    'https://www.dailymotion.com/aljazeera',
    'https://www.dailymotion.com/video/',
    'https://www.dailymotion.com/video/_nothing',
    'https://www.dailymotion.com/video/x8ab%3Ccd',
    'https://dai.ly/',
    'https://dai.ly/x8abcd1/extra'
  ]
  for (const page of pages) {
    t.same(derive(page), { provider: 'dailymotion', embedUrl: null, isVideo: true }, page)
  }
})

test('Facebook video URLs', async (t) => {
  const plugin = (href: string) => `https://www.facebook.com/plugins/video.php?href=${encodeURIComponent(href)}`
  const cases: Array<[string, string]> = [
    ['https://www.facebook.com/watch?v=1234567890', 'https://www.facebook.com/watch/?v=1234567890'],
    ['https://www.facebook.com/watch/?v=1234567890&ref=sharing', 'https://www.facebook.com/watch/?v=1234567890'],
    ['https://m.facebook.com/watch/?v=1234567890', 'https://www.facebook.com/watch/?v=1234567890'],
    ['https://facebook.com/AlJazeera/videos/1234567890', 'https://www.facebook.com/AlJazeera/videos/1234567890/'],
    ['https://www.facebook.com/aljazeera.net/videos/1234567890/?mibextid=abc', 'https://www.facebook.com/aljazeera.net/videos/1234567890/'],
    ['https://www.facebook.com/reel/987654321', 'https://www.facebook.com/reel/987654321'],
    ['https://web.facebook.com/reel/987654321/', 'https://www.facebook.com/reel/987654321'],
    ['https://fb.watch/aB3_xY-9z/', 'https://fb.watch/aB3_xY-9z/'],
    ['https://fb.watch/aB3_xY-9z', 'https://fb.watch/aB3_xY-9z/']
  ]
  for (const [input, canonical] of cases) {
    t.same(derive(input), { provider: 'facebook', embedUrl: plugin(canonical), isVideo: true }, input)
    t.equal(kindOf(input), 'video', input)
  }
  t.equal(
    derive('https://www.facebook.com/watch?v=1234567890').embedUrl,
    'https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D1234567890'
  )
})

test('other Facebook URLs have no embed', async (t) => {
  const pages = [
    'https://www.facebook.com/',
    'https://www.facebook.com/AlJazeera',
    'https://www.facebook.com/AlJazeera/posts/1234567890',
    'https://www.facebook.com/AlJazeera/videos',
    'https://www.facebook.com/AlJazeera/videos/notanid',
    'https://www.facebook.com/bad%3Cpage/videos/1234567890',
    'https://www.facebook.com/watch',
    'https://www.facebook.com/watch?v=abc',
    'https://www.facebook.com/reel/',
    'https://www.facebook.com/reel/abc',
    'https://www.facebook.com/photo.php?fbid=1',
    'https://fb.watch/',
    'https://fb.watch/a/b'
  ]
  for (const page of pages) {
    t.same(derive(page), { provider: 'facebook', embedUrl: null, isVideo: false }, page)
    t.equal(kindOf(page), 'embed', page)
  }
})

test('X / Twitter statuses', async (t) => {
  const embed = 'https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000'
  const forms = [
    'https://x.com/AJArabic/status/1790000000000000000',
    'https://www.x.com/AJArabic/status/1790000000000000000',
    'https://mobile.x.com/AJArabic/status/1790000000000000000',
    'https://twitter.com/AJArabic/status/1790000000000000000',
    'https://www.twitter.com/AJArabic/status/1790000000000000000?s=20',
    'https://mobile.twitter.com/AJArabic/status/1790000000000000000',
    'https://x.com/AJArabic/status/1790000000000000000/photo/1',
    'https://x.com/i/status/1790000000000000000',
    'https://twitter.com/i/web/status/1790000000000000000'
  ]
  for (const form of forms) {
    t.same(derive(form), { provider: 'x', embedUrl: embed, isVideo: false }, form)
    t.equal(kindOf(form), 'embed', form)
  }
  const pages = [
    'https://x.com/',
    'https://x.com/AJArabic',
    'https://x.com/AJArabic/status',
    'https://x.com/AJArabic/status/abc',
    'https://x.com/AJArabic/likes/1790000000000000000',
    'https://x.com/this_name_is_too_long/status/1',
    'https://x.com/i/web/status',
    'https://x.com/i/web/status/abc',
    'https://twitter.com/search?q=news'
  ]
  for (const page of pages) {
    t.same(derive(page), { provider: 'x', embedUrl: null, isVideo: false }, page)
    t.equal(kindOf(page), 'embed', page)
  }
})

test('SoundCloud tracks', async (t) => {
  const player = (href: string) => `https://w.soundcloud.com/player/?url=${encodeURIComponent(href)}`
  const cases: Array<[string, string]> = [
    ['https://soundcloud.com/aljazeera/episode-1', 'https://soundcloud.com/aljazeera/episode-1'],
    ['https://www.soundcloud.com/aljazeera/episode-1/', 'https://soundcloud.com/aljazeera/episode-1'],
    ['https://m.soundcloud.com/aljazeera/episode-1?utm_source=x', 'https://soundcloud.com/aljazeera/episode-1'],
    ['https://soundcloud.com/aljazeera/sets/podcast', 'https://soundcloud.com/aljazeera/sets/podcast']
  ]
  for (const [input, canonical] of cases) {
    t.same(derive(input), { provider: 'soundcloud', embedUrl: player(canonical), isVideo: false }, input)
    t.equal(kindOf(input), 'audio', input)
  }
  t.equal(
    derive('https://soundcloud.com/user/track').embedUrl,
    'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fuser%2Ftrack'
  )
  const pages = [
    'https://soundcloud.com/',
    'https://soundcloud.com/aljazeera',
    'https://soundcloud.com/aljazeera/tracks',
    'https://soundcloud.com/aljazeera/sets',
    'https://soundcloud.com/aljazeera/likes',
    'https://soundcloud.com/discover/sets',
    'https://soundcloud.com/search/sounds',
    'https://soundcloud.com/aljazeera/episode%3C1',
    'https://soundcloud.com/aljazeera/episode-1/comments',
    'https://soundcloud.com/aljazeera/sets/podcast/extra'
  ]
  for (const page of pages) {
    t.same(derive(page), { provider: 'soundcloud', embedUrl: null, isVideo: false }, page)
  }
})

test('lookalike and unrelated hosts are other', async (t) => {
  const hosts = [
    `https://evil-youtube.com/watch?v=${YT}`,
    `https://youtube.com.evil.net/watch?v=${YT}`,
    `https://www.youtube.com.evil.net/watch?v=${YT}`,
    `https://notyoutube.com/watch?v=${YT}`,
    `https://youtube.co/watch?v=${YT}`,
    `https://gaming.youtube.com/watch?v=${YT}`,
    `https://youtu.be.evil.net/${YT}`,
    `https://xyoutu.be/${YT}`,
    `https://evil.com/youtube.com/watch?v=${YT}`,
    `https://evil.com/?u=https://www.youtube.com/watch?v=${YT}`,
    `https://evil.com#https://youtu.be/${YT}`,
    `https://www.yοutube.com/watch?v=${YT}`, // Greek omicron
    'https://vimeo.com.evil.net/76979871',
    'https://fakevimeo.com/76979871',
    'https://dailymotion.com.evil.net/video/x8abcd1',
    'https://dai.ly.evil.net/x8abcd1',
    'https://facebook.com.evil.net/watch?v=1',
    'https://evilfacebook.com/watch?v=1',
    'https://fb.watch.evil.net/abc',
    'https://x.com.evil.net/a/status/1',
    'https://ax.com/a/status/1',
    'https://twitter.co/a/status/1',
    'https://soundcloud.com.evil.net/a/b',
    'https://notsoundcloud.com/a/b',
    'https://example.com/video.mp4'
  ]
  for (const input of hosts) {
    t.same(derive(input), { provider: 'other', embedUrl: null, isVideo: false }, input)
  }
})

test('deriveProvider refuses non-http URLs given directly', async (t) => {
  t.same(deriveProvider(new URL(`javascript://www.youtube.com/watch?v=${YT}`)), { provider: 'other', embedUrl: null, isVideo: false })
  t.same(deriveProvider(new URL('ftp://vimeo.com/76979871')), { provider: 'other', embedUrl: null, isVideo: false })
})

test('inferKind from file extensions', async (t) => {
  const cases: Array<[string, string]> = [
    ['https://cdn.example.com/a/b/news.mp3', 'audio'],
    ['https://cdn.example.com/clip.M4A', 'audio'],
    ['https://cdn.example.com/clip.ogg?x=1', 'audio'],
    ['https://cdn.example.com/clip.wav', 'audio'],
    ['https://cdn.example.com/clip.aac#t=5', 'audio'],
    ['https://cdn.example.com/photo.jpg', 'image'],
    ['https://cdn.example.com/photo.JPEG', 'image'],
    ['https://cdn.example.com/photo.png', 'image'],
    ['https://cdn.example.com/photo.gif', 'image'],
    ['https://cdn.example.com/photo.webp', 'image'],
    ['https://cdn.example.com/photo.avif', 'image'],
    ['https://cdn.example.com/logo.svg', 'image'],
    ['https://cdn.example.com/v.mp4', 'video'],
    ['https://cdn.example.com/v.webm', 'video'],
    ['https://cdn.example.com/v.mov', 'video'],
    ['https://live.example.com/stream/index.m3u8', 'video'],
    ['https://cdn.example.com/report.pdf', 'document'],
    ['https://cdn.example.com/report.doc', 'document'],
    ['https://cdn.example.com/report.docx', 'document'],
    ['https://example.com/', 'embed'],
    ['https://example.com/article', 'embed'],
    ['https://example.com/archive.tar.gz', 'embed'],
    ['https://example.com/photo.jpg/', 'embed'],
    ['https://example.com/download?file=photo.jpg', 'embed'],
    ['https://example.com/jpg', 'embed'],
    ['https://example.com/.jpg', 'image']
  ]
  for (const [input, kind] of cases) {
    t.equal(kindOf(input), kind, input)
  }
})

test('inferKind follows the provider', async (t) => {
  const url = new URL('https://example.com/file.pdf')
  const expected: Record<Provider, string> = {
    youtube: 'video',
    vimeo: 'video',
    dailymotion: 'video',
    soundcloud: 'audio',
    x: 'embed',
    facebook: 'embed',
    other: 'document'
  }
  for (const [provider, kind] of Object.entries(expected)) {
    t.equal(inferKind(url, provider as Provider), kind, provider)
  }
  t.equal(kindOf('https://www.youtube.com/@aljazeera'), 'video', 'YouTube pages default to video')
})

test('canonicalMediaUrl: every form of one item is one address', async (t) => {
  const items: Record<string, string[]> = {
    [`https://www.youtube.com/watch?v=${YT}`]: [
      `https://youtu.be/${YT}`,
      `https://youtu.be/${YT}?si=tracking&t=42`,
      `https://youtube.com/watch?v=${YT}`,
      `http://www.youtube.com/watch?v=${YT}#comments`,
      `https://m.youtube.com/watch?v=${YT}&t=10`,
      `https://WWW.YouTube.COM/watch?feature=share&v=${YT}`,
      `https://www.youtube.com/watch/?v=${YT}`,
      `https://music.youtube.com/watch?v=${YT}&list=RDAMVM`,
      `https://www.youtube.com/shorts/${YT}`,
      `https://youtube.com/shorts/${YT}?si=abc`,
      `https://www.youtube.com/embed/${YT}?autoplay=1&start=5`,
      `https://www.youtube-nocookie.com/embed/${YT}`,
      `https://www.youtube.com/live/${YT}?feature=share`,
      `https://www.youtube.com/v/${YT}`,
      `https://youtube.com./watch?v=${YT}`
    ],
    'https://vimeo.com/76979871': [
      'https://vimeo.com/76979871',
      'http://www.vimeo.com/76979871/',
      'https://vimeo.com/76979871?share=copy#t=10',
      'https://vimeo.com/channels/staffpicks/76979871',
      'https://player.vimeo.com/video/76979871?autoplay=1',
      'https://player.vimeo.com/video/76979871?h=%3Cscript'
    ],
    'https://vimeo.com/76979871/a1b2c3d4e5': [
      'https://vimeo.com/76979871/a1b2c3d4e5',
      'https://vimeo.com/76979871/A1B2C3D4E5',
      'https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&autoplay=1'
    ],
    'https://www.dailymotion.com/video/x8abcd1': [
      'https://dailymotion.com/video/x8abcd1',
      'https://www.dailymotion.com/video/x8abcd1_news-report_news',
      'https://m.dailymotion.com/video/x8abcd1?playlist=x6hynp',
      'https://www.dailymotion.com/embed/video/x8abcd1',
      'https://dai.ly/x8abcd1',
      'http://dai.ly/x8abcd1/'
    ],
    'https://www.facebook.com/watch/?v=1234567890': [
      'https://www.facebook.com/watch?v=1234567890',
      'https://m.facebook.com/watch/?v=1234567890&ref=sharing',
      'https://web.facebook.com/watch?v=1234567890&mibextid=abc#x'
    ],
    'https://www.facebook.com/AlJazeera/videos/1234567890/': [
      'https://facebook.com/AlJazeera/videos/1234567890',
      'https://m.facebook.com/AlJazeera/videos/1234567890/?mibextid=abc&fbclid=1'
    ],
    'https://www.facebook.com/reel/987654321': ['https://web.facebook.com/reel/987654321/?s=1'],
    'https://fb.watch/aB3_xY-9z/': ['https://fb.watch/aB3_xY-9z', 'https://fb.watch/aB3_xY-9z/?mibextid=1'],
    'https://x.com/i/status/1790000000000000000': [
      'https://x.com/AJArabic/status/1790000000000000000',
      'https://twitter.com/ajarabic/status/1790000000000000000?s=20&t=abc',
      'https://mobile.twitter.com/AJArabic/status/1790000000000000000',
      'https://www.x.com/someone_else/status/1790000000000000000/photo/1',
      'https://twitter.com/i/web/status/1790000000000000000#m'
    ],
    'https://soundcloud.com/aljazeera/episode-1': [
      'https://www.soundcloud.com/aljazeera/episode-1/',
      'https://m.soundcloud.com/aljazeera/episode-1?utm_source=x&si=abc&in=aljazeera/sets/podcast'
    ],
    'https://soundcloud.com/aljazeera/sets/podcast': ['https://soundcloud.com/aljazeera/sets/podcast#top']
  }
  for (const [expected, forms] of Object.entries(items)) {
    for (const form of forms) t.equal(canonical(form), expected, form)
  }
  t.not(canonical(`https://youtu.be/${YT}`), canonical('https://youtu.be/aqz-KE-bpKQ'), 'two videos stay two')
  t.not(canonical('https://vimeo.com/76979871'), canonical('https://vimeo.com/76979871/a1b2c3d4e5'), 'an unlisted video is its hash')
})

test('canonicalMediaUrl: pages of a known provider that name no item are cleaned', async (t) => {
  const cases: Array<[string, string]> = [
    ['https://youtube.com/@aljazeera/?si=x#about', 'https://www.youtube.com/@aljazeera'],
    ['http://m.youtube.com/playlist?list=PLxyz&feature=share', 'https://www.youtube.com/playlist?list=PLxyz'],
    ['https://www.youtube.com/', 'https://www.youtube.com/'],
    ['https://youtu.be/abc', 'https://youtu.be/abc'],
    ['https://music.youtube.com/channel/UC1/', 'https://music.youtube.com/channel/UC1'],
    ['https://www.vimeo.com/aljazeera/', 'https://vimeo.com/aljazeera'],
    ['https://m.dailymotion.com/aljazeera?utm_campaign=x', 'https://www.dailymotion.com/aljazeera'],
    ['https://m.facebook.com/AlJazeera/posts/1/?mibextid=1&__cft__[0]=x&__tn__=R', 'https://www.facebook.com/AlJazeera/posts/1'],
    ['https://www.facebook.com/photo.php?fbid=1&set=a.2&ref=share', 'https://www.facebook.com/photo.php?fbid=1&set=a.2'],
    ['https://mobile.twitter.com/AJArabic/', 'https://x.com/AJArabic'],
    ['https://twitter.com/search?q=news&src=typed_query&s=20', 'https://x.com/search?q=news&src=typed_query'],
    ['https://soundcloud.com/aljazeera/tracks?si=1', 'https://soundcloud.com/aljazeera/tracks']
  ]
  for (const [input, expected] of cases) t.equal(canonical(input), expected, input)
})

test('canonicalMediaUrl: any other link loses its fragment and tracking parameters only', async (t) => {
  const cases: Array<[string, string]> = [
    ['https://CDN.Example.com/a/photo.jpg#top', 'https://cdn.example.com/a/photo.jpg'],
    ['https://example.com./a', 'https://example.com/a'],
    ['https://example.com/a?utm_source=x&utm_medium=y&id=7&fbclid=abc&gclid=1', 'https://example.com/a?id=7'],
    ['https://example.com/a?UTM_Campaign=x&q=a%20b&&x=1+2', 'https://example.com/a?q=a%20b&x=1+2'],
    ['https://example.com/a?%75tm_source=x&%E0%A4%A=1', 'https://example.com/a?%E0%A4%A=1'],
    ['https://example.com/a?', 'https://example.com/a'],
    ['https://www.instagram.com/p/ABC123/?igshid=xyz&igsh=1', 'https://www.instagram.com/p/ABC123/'],
    ['https://example.com/a?si=1&feature=x&s=20', 'https://example.com/a?si=1&feature=x&s=20'],
    // Another site may serve other pages on these: they are left as written.
    ['http://www.example.com/a/', 'http://www.example.com/a/'],
    ['https://m.example.com/a', 'https://m.example.com/a']
  ]
  for (const [input, expected] of cases) t.equal(canonical(input), expected, input)
  t.not(canonical('https://example.com/a'), canonical('https://example.com/a/'), 'a trailing slash is another page')
  t.not(canonical('https://example.com/a?id=1'), canonical('https://example.com/a?id=2'), 'other parameters are kept')
})

test('derivedThumbnail: a provider\'s public still, an image itself, else null', async (t) => {
  const ytThumb = `https://i.ytimg.com/vi/${YT}/hqdefault.jpg`
  for (const form of [`https://youtu.be/${YT}`, `https://m.youtube.com/watch?v=${YT}&t=10`, `https://www.youtube.com/shorts/${YT}`, `https://www.youtube-nocookie.com/embed/${YT}`]) {
    t.equal(thumbnail(form, 'video'), ytThumb, form)
  }
  t.equal(thumbnail(`https://youtu.be/${YT}`, 'embed'), ytThumb, 'whatever kind the client chose')
  t.equal(thumbnail('https://dai.ly/x8abcd1', 'video'), 'https://www.dailymotion.com/thumbnail/video/x8abcd1')
  t.equal(thumbnail('https://www.dailymotion.com/video/x8abcd1_report', 'video'), 'https://www.dailymotion.com/thumbnail/video/x8abcd1')
  t.equal(thumbnail('https://CDN.example.com/photos/a.jpg', 'image'), 'https://cdn.example.com/photos/a.jpg', 'an image is its own thumbnail')
  t.equal(thumbnail('https://cdn.example.com/page', 'image'), 'https://cdn.example.com/page', 'whatever the kind says is an image')
  const none: Array<[string, Parameters<typeof derivedThumbnail>[1]]> = [
    ['https://www.youtube.com/@aljazeera', 'video'],
    ['https://www.dailymotion.com/aljazeera', 'video'],
    ['https://vimeo.com/76979871', 'video'],
    ['https://www.facebook.com/watch?v=1234567890', 'video'],
    ['https://x.com/AJArabic/status/1790000000000000000', 'embed'],
    ['https://soundcloud.com/aljazeera/episode-1', 'audio'],
    ['https://cdn.example.com/clip.mp4', 'video'],
    ['https://cdn.example.com/scan.png', 'document']
  ]
  for (const [input, kind] of none) t.equal(thumbnail(input, kind), null, `${input} (${kind})`)
})
