// Recognises links to media hosted elsewhere (YouTube, Vimeo, ...) and derives
// an embeddable player URL from them. Pure functions: no network, no I/O.

import type { MediaKind, MediaProvider as Provider } from '../enums.ts'

export interface ProviderInfo {
  provider: Provider
  embedUrl: string | null
  isVideo: boolean
}

export const MAX_MEDIA_URL_LENGTH = 2048

// The URL parser forgives `https:example.com`, `https:///example.com` and
// `https:\\example.com`; a media link must spell out `scheme://host`.
const ABSOLUTE_HTTP = /^https?:\/\/[^/\\]/i

/**
 * Returns the parsed URL when `input` is an absolute http(s) URL with a host
 * and no credentials, otherwise null.
 */
export function parseMediaUrl (input: string): URL | null {
  if (typeof input !== 'string') return null
  const value = input.trim()
  if (value.length > MAX_MEDIA_URL_LENGTH || !ABSOLUTE_HTTP.test(value)) return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  // The prefix test and the parser (which fails on an empty http(s) host)
  // already guarantee this; kept as a guard.
  /* c8 ignore next */
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null
  if (url.username !== '' || url.password !== '') return null
  // Normalisation (punycode, percent-encoding) can make the URL longer.
  if (url.href.length > MAX_MEDIA_URL_LENGTH) return null
  return url
}

const YOUTUBE_HOSTS = new Set([
  'youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com',
  'youtube-nocookie.com', 'www.youtube-nocookie.com'
])
const YOUTU_BE_HOSTS = new Set(['youtu.be'])
const VIMEO_HOSTS = new Set(['vimeo.com', 'www.vimeo.com'])
const VIMEO_PLAYER_HOSTS = new Set(['player.vimeo.com'])
const DAILYMOTION_HOSTS = new Set(['dailymotion.com', 'www.dailymotion.com', 'm.dailymotion.com'])
const DAI_LY_HOSTS = new Set(['dai.ly'])
const FACEBOOK_HOSTS = new Set(['facebook.com', 'www.facebook.com', 'm.facebook.com', 'web.facebook.com'])
const FB_WATCH_HOSTS = new Set(['fb.watch'])
const X_HOSTS = new Set([
  'x.com', 'www.x.com', 'mobile.x.com',
  'twitter.com', 'www.twitter.com', 'mobile.twitter.com'
])
const SOUNDCLOUD_HOSTS = new Set(['soundcloud.com', 'www.soundcloud.com', 'm.soundcloud.com'])

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/
const DIGITS = /^\d{1,20}$/
const VIMEO_HASH = /^[0-9a-f]{6,20}$/i
const DAILYMOTION_ID = /^[A-Za-z0-9]{2,32}$/
const FB_WATCH_CODE = /^[A-Za-z0-9_-]{1,64}$/
const FB_PAGE = /^[A-Za-z0-9._-]{1,100}$/
const X_USER = /^[A-Za-z0-9_]{1,15}$/
const SOUNDCLOUD_SLUG = /^[A-Za-z0-9_-]{1,255}$/
const TIME = /^(?:(\d{1,5})h)?(?:(\d{1,5})m)?(?:(\d{1,7})s?)?$/

// Second path segments of soundcloud.com/<user>/<x> that are profile tabs, not tracks.
const SOUNDCLOUD_PROFILE_TABS = new Set([
  'tracks', 'sets', 'albums', 'likes', 'reposts', 'followers', 'following',
  'popular-tracks', 'comments', 'spotlight', 'toptracks'
])
// First path segments of soundcloud.com that are site pages, not users.
const SOUNDCLOUD_RESERVED = new Set([
  'discover', 'stream', 'you', 'search', 'upload', 'charts', 'pages', 'settings',
  'messages', 'notifications', 'people', 'tags', 'feed', 'terms-of-use', 'mobile', 'imprint'
])

function hostOf (url: URL): string {
  // URL lower-cases the host and converts IDNs to punycode; a fully-qualified
  // name ending in a dot is the same host.
  return url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname
}

function segments (url: URL): string[] {
  return url.pathname.split('/').filter(s => s !== '')
}

/** Parses `90`, `90s`, `1m30s` or `1h2m3s` into seconds; null for anything else or zero. */
export function parseTimestamp (value: string | null): number | null {
  if (value === null) return null
  const match = TIME.exec(value.trim().toLowerCase())
  if (match === null) return null
  const [, h, m, s] = match
  const seconds = Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)
  return seconds > 0 ? seconds : null
}

function youtubeId (url: URL, host: string): string | null {
  const parts = segments(url)
  let id: string | null = null
  if (YOUTU_BE_HOSTS.has(host)) {
    id = parts[0] ?? null
  } else if (parts[0] === 'watch' && parts.length === 1) {
    id = url.searchParams.get('v')
  } else if (parts.length >= 2 && ['shorts', 'embed', 'live', 'v'].includes(parts[0])) {
    id = parts[1]
  }
  return id !== null && YOUTUBE_ID.test(id) ? id : null
}

function youtube (url: URL, host: string): ProviderInfo {
  const id = youtubeId(url, host)
  if (id === null) return { provider: 'youtube', embedUrl: null, isVideo: true }
  const start = parseTimestamp(url.searchParams.get('t')) ?? parseTimestamp(url.searchParams.get('start'))
  const query = start === null ? '' : `?start=${start}`
  return { provider: 'youtube', embedUrl: `https://www.youtube.com/embed/${id}${query}`, isVideo: true }
}

// The id of a Vimeo video and, for an unlisted one, its hash.
function vimeoVideo (url: URL, host: string): { id: string, hash: string | null } | null {
  const parts = segments(url)
  let id: string | undefined
  let hash: string | null = null
  if (VIMEO_PLAYER_HOSTS.has(host)) {
    if (parts[0] === 'video' && parts.length === 2) {
      id = parts[1]
      hash = url.searchParams.get('h')
    }
  } else if (parts.length === 1 || (parts.length === 2 && VIMEO_HASH.test(parts[1]) && DIGITS.test(parts[0]))) {
    // vimeo.com/<id> or an unlisted video: vimeo.com/<id>/<hash>
    id = parts[0]
    hash = parts[1] ?? null
  } else if (parts[0] === 'channels' && parts.length === 3) {
    id = parts[2]
  }
  if (id === undefined || !DIGITS.test(id)) return null
  return { id, hash: hash !== null && VIMEO_HASH.test(hash) ? hash : null }
}

function vimeo (url: URL, host: string): ProviderInfo {
  const video = vimeoVideo(url, host)
  if (video === null) return { provider: 'vimeo', embedUrl: null, isVideo: true }
  const query = video.hash !== null ? `?h=${video.hash}` : ''
  return { provider: 'vimeo', embedUrl: `https://player.vimeo.com/video/${video.id}${query}`, isVideo: true }
}

function dailymotionId (url: URL, host: string): string | null {
  const parts = segments(url)
  let slug: string | undefined
  if (DAI_LY_HOSTS.has(host)) {
    if (parts.length === 1) slug = parts[0]
  } else if (parts[0] === 'video' && parts.length === 2) {
    slug = parts[1]
  } else if (parts[0] === 'embed' && parts[1] === 'video' && parts.length === 3) {
    slug = parts[2]
  }
  const id = slug?.split('_')[0]
  return id !== undefined && DAILYMOTION_ID.test(id) ? id : null
}

function dailymotion (url: URL, host: string): ProviderInfo {
  const id = dailymotionId(url, host)
  if (id === null) return { provider: 'dailymotion', embedUrl: null, isVideo: true }
  return { provider: 'dailymotion', embedUrl: `https://www.dailymotion.com/embed/video/${id}`, isVideo: true }
}

/** The canonical address of a Facebook video, or null when the URL is not one. */
function facebookVideoUrl (url: URL, host: string): string | null {
  const parts = segments(url)
  if (FB_WATCH_HOSTS.has(host)) {
    return parts.length === 1 && FB_WATCH_CODE.test(parts[0]) ? `https://fb.watch/${parts[0]}/` : null
  }
  if (parts[0] === 'watch' && parts.length === 1) {
    const v = url.searchParams.get('v')
    return v !== null && DIGITS.test(v) ? `https://www.facebook.com/watch/?v=${v}` : null
  }
  if (parts[0] === 'reel' && parts.length === 2 && DIGITS.test(parts[1])) {
    return `https://www.facebook.com/reel/${parts[1]}`
  }
  if (parts.length === 3 && parts[1] === 'videos' && FB_PAGE.test(parts[0]) && DIGITS.test(parts[2])) {
    return `https://www.facebook.com/${parts[0]}/videos/${parts[2]}/`
  }
  return null
}

function facebook (url: URL, host: string): ProviderInfo {
  const video = facebookVideoUrl(url, host)
  if (video === null) return { provider: 'facebook', embedUrl: null, isVideo: false }
  return {
    provider: 'facebook',
    embedUrl: `https://www.facebook.com/plugins/video.php?href=${encodeURIComponent(video)}`,
    isVideo: true
  }
}

function xStatusId (url: URL): string | null {
  const parts = segments(url)
  let id: string | undefined
  // /<user>/status/<id>, optionally followed by /photo/1, /video/1, /analytics ...
  if (parts.length >= 3 && X_USER.test(parts[0]) && parts[1] === 'status') {
    id = parts[2]
  } else if (parts[0] === 'i' && parts[1] === 'web' && parts[2] === 'status') {
    id = parts[3]
  }
  return id !== undefined && DIGITS.test(id) ? id : null
}

function x (url: URL): ProviderInfo {
  const id = xStatusId(url)
  if (id === null) return { provider: 'x', embedUrl: null, isVideo: false }
  return { provider: 'x', embedUrl: `https://platform.twitter.com/embed/Tweet.html?id=${id}`, isVideo: false }
}

/** The canonical address of a SoundCloud track or set, or null when the URL is not one. */
function soundcloudTrackUrl (url: URL): string | null {
  const parts = segments(url)
  if (parts.every(p => SOUNDCLOUD_SLUG.test(p)) && !SOUNDCLOUD_RESERVED.has(parts[0])) {
    if (parts.length === 2 && !SOUNDCLOUD_PROFILE_TABS.has(parts[1])) {
      return `https://soundcloud.com/${parts[0]}/${parts[1]}`
    } else if (parts.length === 3 && parts[1] === 'sets') {
      return `https://soundcloud.com/${parts[0]}/sets/${parts[2]}`
    }
  }
  return null
}

function soundcloud (url: URL): ProviderInfo {
  const canonical = soundcloudTrackUrl(url)
  if (canonical === null) return { provider: 'soundcloud', embedUrl: null, isVideo: false }
  return {
    provider: 'soundcloud',
    embedUrl: `https://w.soundcloud.com/player/?url=${encodeURIComponent(canonical)}`,
    isVideo: false
  }
}

/**
 * Works out which provider hosts `url` and, when the URL identifies a single
 * item, the URL of its embeddable player. Hosts are matched exactly, so
 * lookalikes such as evil-youtube.com or youtube.com.evil.net are 'other'.
 */
export function deriveProvider (url: URL): ProviderInfo {
  const other: ProviderInfo = { provider: 'other', embedUrl: null, isVideo: false }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return other
  const host = hostOf(url)
  if (YOUTUBE_HOSTS.has(host) || YOUTU_BE_HOSTS.has(host)) return youtube(url, host)
  if (VIMEO_HOSTS.has(host) || VIMEO_PLAYER_HOSTS.has(host)) return vimeo(url, host)
  if (DAILYMOTION_HOSTS.has(host) || DAI_LY_HOSTS.has(host)) return dailymotion(url, host)
  if (FACEBOOK_HOSTS.has(host) || FB_WATCH_HOSTS.has(host)) return facebook(url, host)
  if (X_HOSTS.has(host)) return x(url)
  if (SOUNDCLOUD_HOSTS.has(host)) return soundcloud(url)
  return other
}

// Query parameters that only say where a link was shared from or clicked, on any site.
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'mc_cid', 'mc_eid', 'igshid', 'igsh', '_ga', '_gl'
])
// And those the known providers add to links shared from their apps and players.
const PROVIDER_TRACKING: Record<Provider, Set<string>> = {
  youtube: new Set(['si', 'feature', 'pp', 'ab_channel', 'app', 'embeds_referring_euri', 'embeds_referring_origin', 'source_ve_path']),
  vimeo: new Set(['share', 'fl', 'fe']),
  dailymotion: new Set(),
  facebook: new Set(['mibextid', 'rdid', 'sfnsn', 'ref', 'fref', 'refid', 'hc_ref', 'paipv', 'eav', 'extid', '__tn__', '__cft__[0]', '__xts__[0]']),
  x: new Set(['s', 't', 'ref_src', 'ref_url', 'cxt']),
  soundcloud: new Set(['si', 'in', 'ref', 'p', 'c']),
  other: new Set()
}
// The one host each known provider's pages are kept under (its www., m., mobile. and
// web. variants, and twitter.com, are the same pages).
const MAIN_HOST: Record<string, string> = {
  'youtube.com': 'www.youtube.com',
  'm.youtube.com': 'www.youtube.com',
  'youtube-nocookie.com': 'www.youtube-nocookie.com',
  'www.vimeo.com': 'vimeo.com',
  'dailymotion.com': 'www.dailymotion.com',
  'm.dailymotion.com': 'www.dailymotion.com',
  'facebook.com': 'www.facebook.com',
  'm.facebook.com': 'www.facebook.com',
  'web.facebook.com': 'www.facebook.com',
  'www.x.com': 'x.com',
  'mobile.x.com': 'x.com',
  'twitter.com': 'x.com',
  'www.twitter.com': 'x.com',
  'mobile.twitter.com': 'x.com',
  'www.soundcloud.com': 'soundcloud.com',
  'm.soundcloud.com': 'soundcloud.com'
}

function paramName (piece: string): string {
  const raw = piece.split('=', 1)[0].replace(/\+/g, ' ')
  try {
    return decodeURIComponent(raw).toLowerCase()
  } catch {
    return raw.toLowerCase()
  }
}

// The query string without tracking parameters and empty pieces, the others kept as
// written and in order ('' when none is left).
function keptQuery (url: URL, provider: Provider): string {
  const kept = url.search.slice(1).split('&').filter((piece) => {
    if (piece === '') return false
    const name = paramName(piece)
    return !name.startsWith('utm_') && !TRACKING_PARAMS.has(name) && !PROVIDER_TRACKING[provider].has(name)
  })
  return kept.length === 0 ? '' : `?${kept.join('&')}`
}

// A URL that names no single item: the fragment and tracking parameters dropped, a
// host's trailing dot too; on a known provider's site also http for https, the host
// variants for its main host and a trailing slash. An unknown site keeps its scheme, host
// and slashes as written, as example.com/a and www.example.com/a/ may be different pages.
function cleanedUrl (url: URL, provider: Provider): string {
  const out = new URL(url.href)
  out.hash = ''
  out.search = keptQuery(url, provider)
  const host = hostOf(url)
  if (provider === 'other') {
    out.hostname = host
  } else {
    out.protocol = 'https:'
    out.hostname = MAIN_HOST[host] ?? host
    if (out.pathname !== '/') out.pathname = out.pathname.replace(/\/+$/, '')
  }
  return out.href
}

/**
 * One address per item, for telling that two links show the same thing: a video, a
 * status or a track known by its id gets its provider's own address for it
 * (youtu.be/ID, youtube.com/shorts/ID and m.youtube.com/watch?v=ID&t=10 are all
 * https://www.youtube.com/watch?v=ID); any other link is cleaned (see cleanedUrl).
 */
export function canonicalMediaUrl (url: URL): string {
  const host = hostOf(url)
  const provider = deriveProvider(url).provider
  let item: string | null = null
  switch (provider) {
    case 'youtube': {
      const id = youtubeId(url, host)
      if (id !== null) item = `https://www.youtube.com/watch?v=${id}`
      break
    }
    case 'vimeo': {
      const video = vimeoVideo(url, host)
      if (video !== null) item = `https://vimeo.com/${video.id}${video.hash === null ? '' : `/${video.hash.toLowerCase()}`}`
      break
    }
    case 'dailymotion': {
      const id = dailymotionId(url, host)
      if (id !== null) item = `https://www.dailymotion.com/video/${id}`
      break
    }
    case 'facebook':
      item = facebookVideoUrl(url, host)
      break
    case 'x': {
      // A status id is unique on its own: x.com/<anyone>/status/<id> leads to it.
      const id = xStatusId(url)
      if (id !== null) item = `https://x.com/i/status/${id}`
      break
    }
    case 'soundcloud':
      item = soundcloudTrackUrl(url)
      break
  }
  return item ?? cleanedUrl(url, provider)
}

/**
 * A thumbnail to show when none is given, where one exists at a public address without
 * asking the provider's API: YouTube's and Dailymotion's still of a video, and an image
 * itself. Null otherwise (Vimeo, Facebook, X and SoundCloud need an API call).
 */
export function derivedThumbnail (url: URL, kind: MediaKind): string | null {
  const host = hostOf(url)
  if (YOUTUBE_HOSTS.has(host) || YOUTU_BE_HOSTS.has(host)) {
    const id = youtubeId(url, host)
    if (id !== null) return `https://i.ytimg.com/vi/${id}/hqdefault.jpg`
  } else if (DAILYMOTION_HOSTS.has(host) || DAI_LY_HOSTS.has(host)) {
    const id = dailymotionId(url, host)
    if (id !== null) return `https://www.dailymotion.com/thumbnail/video/${id}`
  }
  return kind === 'image' ? url.href : null
}

const AUDIO_EXTENSIONS = new Set(['mp3', 'm4a', 'ogg', 'wav', 'aac'])
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'avif', 'svg'])
const VIDEO_EXTENSIONS = new Set(['mp4', 'webm', 'mov', 'm3u8'])
const DOCUMENT_EXTENSIONS = new Set(['pdf', 'doc', 'docx'])

function extensionOf (url: URL): string {
  const last = url.pathname.split('/').pop() as string
  const dot = last.lastIndexOf('.')
  return dot === -1 ? '' : last.slice(dot + 1).toLowerCase()
}

/** The default media kind of `url` when the client does not give one. */
export function inferKind (url: URL, provider: Provider): MediaKind {
  switch (provider) {
    case 'youtube':
    case 'vimeo':
    case 'dailymotion':
      return 'video'
    case 'soundcloud':
      return 'audio'
    case 'facebook':
      return facebookVideoUrl(url, hostOf(url)) === null ? 'embed' : 'video'
    case 'x':
      return 'embed'
  }
  const ext = extensionOf(url)
  if (AUDIO_EXTENSIONS.has(ext)) return 'audio'
  if (IMAGE_EXTENSIONS.has(ext)) return 'image'
  if (VIDEO_EXTENSIONS.has(ext)) return 'video'
  if (DOCUMENT_EXTENSIONS.has(ext)) return 'document'
  return 'embed'
}
