// Article bodies arrive as HTML from editors, importers and feeds. They are stored sanitised
// against an explicit allowlist, so nothing a reader's browser runs can come from a body.
import sanitizeHtml from 'sanitize-html'
import { countWords } from './normalize-arabic.ts'

// Embeds from the video, audio and social players news sites use; any other host is dropped.
const IFRAME_HOSTS = [
  'www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com', 'www.dailymotion.com',
  'www.facebook.com', 'w.soundcloud.com', 'platform.twitter.com'
]

const BODY_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'div', 'span', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'q', 'cite',
    'ul', 'ol', 'li', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'code', 'pre',
    'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'iframe'
  ],
  // No style, class or on* attribute anywhere: only what is listed here survives.
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    iframe: ['src', 'width', 'height', 'allowfullscreen', 'frameborder'],
    p: ['dir'],
    div: ['dir'],
    span: ['dir']
  },
  // No javascript:, data: or vbscript: URLs; protocol-relative (//host/x) ones stay allowed.
  allowedSchemes: ['http', 'https', 'mailto'],
  // Embeds only over https: every allowed player serves it, and mixed content is blocked.
  allowedSchemesByTag: { iframe: ['https'] },
  allowedIframeHostnames: IFRAME_HOSTS,
  allowIframeRelativeUrls: false,
  transformTags: {
    a: guardBlankTarget,
    // The article title is the page's h1; a pasted h1 in the body becomes a section heading.
    h1: 'h2',
    // Writing direction is the one presentational attribute kept: mixed Arabic/Latin
    // paragraphs need it to display right.
    p: keepEnumerated('dir', ['rtl', 'ltr', 'auto']),
    div: keepEnumerated('dir', ['rtl', 'ltr', 'auto']),
    span: keepEnumerated('dir', ['rtl', 'ltr', 'auto']),
    img: keepEnumerated('loading', ['lazy', 'eager'])
  },
  // An iframe whose src was refused is an empty box: drop it whole.
  exclusiveFilter: (frame) => frame.tag === 'iframe' && !frame.attribs.src
}

// An enumerated attribute keeps only a listed value (compared case-insensitively, as HTML
// does); sanitize-html's own `values` check would leave an empty attribute behind instead.
function keepEnumerated (name: string, values: string[]): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const kept = { ...attribs }
    const value = (kept[name] ?? '').trim().toLowerCase()
    if (values.includes(value)) kept[name] = value
    else delete kept[name]
    return { tagName, attribs: kept }
  }
}

// A page opened with target=_blank can reach back through window.opener (tabnabbing):
// such links get rel="noopener noreferrer", keeping any rel the editor set (nofollow...).
function guardBlankTarget (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (attribs.target?.toLowerCase() !== '_blank') return { tagName, attribs }
  const rel = new Set((attribs.rel ?? '').split(/\s+/).filter(Boolean))
  rel.add('noopener').add('noreferrer')
  return { tagName, attribs: { ...attribs, rel: [...rel].join(' ') } }
}

/** The body HTML with everything outside the news-article allowlist removed. */
export function sanitizeBody (html: string): string {
  return sanitizeHtml(html, BODY_OPTIONS)
}

// Tags after which text does not run on: a space keeps "<p>a</p><p>b</p>" two words.
const BLOCK_TAG = /<\/?(?:p|div|br|hr|h[1-6]|blockquote|ul|ol|li|pre|figure|figcaption|table|thead|tbody|tfoot|tr|th|td|section|article|header|footer|aside|nav|iframe|img)\b/gi

/** The text of some HTML: tags (and script/style contents) removed, entities decoded,
 * whitespace collapsed to single spaces. For excerpts, feeds and reading time. */
export function htmlToText (html: string): string {
  const text = sanitizeHtml(html.replace(BLOCK_TAG, ' $&'), { allowedTags: [], allowedAttributes: {} })
  // sanitize-html decodes every entity, then re-escapes these four: undo that, &amp; last
  // so "&amp;lt;" comes out as the text "&lt;".
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

// The tags of sanitizeBody's output, whose attribute values never hold a raw ">" (it
// escapes them), and the only entities it writes.
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g
const BLOCK_NAMES = new Set(['p', 'div', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'pre',
  'figure', 'figcaption', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'section', 'article', 'header', 'footer',
  'aside', 'nav', 'iframe', 'img'])
const ENTITY = /&(?:amp|lt|gt|quot);/g
const DECODED: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' }

/**
 * htmlToText for a body sanitizeBody produced (every stored body), four to five times faster:
 * sanitizeBody's output is well-formed, has no script, style or comment left and escapes
 * only & < > ", so dropping tags and decoding those four gives the same text. Used where
 * bodies are read in bulk: the search index and search snippets.
 */
export function sanitizedToText (html: string): string {
  return html
    .replace(TAG, (_tag, name: string) => BLOCK_NAMES.has(name.toLowerCase()) ? ' ' : '')
    .replace(ENTITY, e => DECODED[e])
    .replace(/\s+/g, ' ')
    .trim()
}

const WORDS_PER_MINUTE = 200

/** Minutes to read a plain text at 200 words a minute, rounded up: 0 for a text with no
 * words, otherwise at least 1. */
export function readingTimeMinutes (text: string): number {
  return Math.ceil(countWords(text) / WORDS_PER_MINUTE)
}
