// WordPress to khabar: turns a WordPress export (WXR, from Tools → Export → All content)
// into khabar's import NDJSON, one ArticleImport a line, on standard output:
//
//   npx tsx examples/wordpress-to-khabar.ts export.xml > archive.ndjson
//   npx tsx examples/wordpress-to-khabar.ts export.xml | npm run khabar -- import -
//   npm run -s example:wordpress -- export.xml > archive.ndjson   (-s: npm's banner goes to stdout)
//
// Without a file (or with -) it reads standard input. A summary goes to standard error.
//
// How WordPress maps onto khabar:
// - Only posts become articles. Pages, menu items and the like are skipped and counted;
//   attachments are skipped as items but become the posts' media.
// - externalId is wp-<post id>, so importing a newer export again updates the articles it
//   made instead of adding copies.
// - Status: publish is published at its GMT date. future is published too, at its future
//   date: khabar schedules an article that way, which is what the post was on WordPress.
//   draft, pending and private are drafts (khabar has no private articles, and publishing
//   one would show readers what WordPress hid from them), and so is a password-protected
//   post. trash and auto-draft are skipped.
// - lang: ar, unless the title is written in Latin letters only (then en); --lang sets one
//   language for every article.
// - category: khabar takes one, by slug. Of the post's categories, the first that is not the
//   parent of another of them (a post filed under a section and its subsection goes to the
//   subsection). Import creates a missing category named after its slug, without a parent.
// - Body: as WordPress stores it, HTML that khabar sanitises when it is imported. Classic-
//   editor posts get the <p>s WordPress adds only when it shows a post, and [caption]
//   becomes a <figure>; other shortcodes are left as text.
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { ArticleImport, ImportMediaItem } from '../src/domain/shapes/transfer.ts'

type XmlNode = Record<string, any>
type MediaKind = NonNullable<ImportMediaItem['kind']>

export interface Conversion {
  articles: ArticleImport[]
  skipped: Array<{ id: string, reason: string }>
  // Featured images whose attachment is not in the export (a posts-only export leaves
  // the attachments out).
  missingMedia: Array<{ id: string, attachmentId: string }>
}

export interface ConvertOptions {
  lang?: string
}

// The limits of ArticleImport (src/domain/shapes/articles.ts, media.ts): a longer value is cut
// rather than make the line fail, except the body, which is never cut.
const MAX = { title: 500, slug: 200, excerpt: 5000, author: 200, tag: 100, tags: 50, media: 200, mediaTitle: 500, caption: 2000, alt: 1000, url: 2048 }
const MAX_BODY = 900_000
const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

// The elements that repeat: without this, one of them would be an object and two an array.
const REPEATED = new Set([
  'rss.channel.item', 'rss.channel.wp:author', 'rss.channel.wp:category',
  'rss.channel.item.category', 'rss.channel.item.wp:postmeta', 'rss.channel.item.wp:comment'
])

// fast-xml-parser decodes numeric references (&#8220;) only when told to decode HTML's
// named entities too, which XML does not have. WordPress writes titles with them outside
// CDATA, so this decoder does what XML says: the five named entities and numeric
// references, in one pass (so &amp;lt; is "&lt;"). Entities a DOCTYPE declares are left as
// they are: WXR has none, and expanding them is how XML bombs work.
const XML_ENTITIES = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]])
const ignore = (): void => {}
const entityDecoder = {
  reset: ignore,
  setXmlVersion: ignore,
  addInputEntities: ignore,
  setExternalEntities: ignore,
  decode: (text: string): string => text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g,
    (ref: string, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (name !== undefined) return XML_ENTITIES.get(name) as string
      const code = dec !== undefined ? Number(dec) : parseInt(hex as string, 16)
      return code <= 0x10FFFF ? String.fromCodePoint(code) : ref
    })
}

const parser = new XMLParser({
  ignoreAttributes: false, // category's domain and nicename
  parseTagValue: false, // ids, slugs and dates stay strings ('0123' is not 123)
  isArray: (_name, jPath) => REPEATED.has(String(jPath)),
  entityDecoder
})

// An element's text: CDATA and text alike (the parser merges them, so an escaped "]]>"
// split across two CDATA sections comes back whole); '' when the element is missing, empty
// or holds elements.
const text = (node: unknown): string => typeof node === 'string' ? node : String((node as XmlNode | undefined)?.['#text'] ?? '')

const cut = (value: string, max: number): string => [...value].slice(0, max).join('')

// Trimmed and cut to max; undefined when nothing is left.
function optional (value: string, max: number): string | undefined {
  const clean = cut(value.trim(), max).trim()
  return clean === '' ? undefined : clean
}

// The same object without its undefined fields: a field left out of a line takes khabar's
// default (slug: made from the title; publishedAt: now, or the time it was first published).
const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T

// WordPress keeps non-ASCII slugs percent-encoded (%d8%a7...); khabar stores them decoded.
function decodeSlug (value: string): string {
  try {
    return decodeURIComponent(value).normalize('NFC')
  } catch {
    return value // not percent-encoding after all: khabar cleans it as it would a title
  }
}

// A slug khabar keeps has a letter: one of digits only (WordPress allows "2024") would name
// an article id in a path, and khabar refuses it.
const LETTER = /\p{L}/u

// 'YYYY-MM-DD HH:MM:SS' in UTC, as wp:post_date_gmt has it, to ISO 8601; undefined for
// WordPress's "never" ('0000-00-00 00:00:00', which drafts have) and for anything that is
// not a real time (Date.parse rolls 2026-02-30 over into March: such a time does not read
// back the same).
function gmtDate (value: string): string | undefined {
  const iso = `${value.replace(' ', 'T')}.000Z`
  const ms = Date.parse(iso)
  return Number.isNaN(ms) || new Date(ms).toISOString() !== iso ? undefined : iso
}

function publication (wpStatus: string, gmt: string | undefined, password: boolean): { status: 'published' | 'draft', publishedAt?: string } | { skip: string } {
  switch (wpStatus) {
    case 'publish':
      // Without a date khabar publishes it at the time of the import (and keeps that time
      // when the same post is imported again).
      return password ? { status: 'draft' } : { status: 'published', publishedAt: gmt }
    case 'future':
      // Published with a publishedAt to come is how khabar schedules; a scheduled post
      // without a date stays a draft rather than go out now.
      return password || gmt === undefined ? { status: 'draft' } : { status: 'published', publishedAt: gmt }
    case 'draft':
    case 'pending':
    case 'private':
      return { status: 'draft' }
    default:
      // trash, auto-draft (an editor's unsaved new post), inherit (revisions)
      return { skip: wpStatus || 'no wp:status' }
  }
}

// khabar is Arabic-first: ar, unless the title has Latin letters and no Arabic one.
const detectLang = (title: string): string => /\p{Script=Arabic}/u.test(title) || !/\p{Script=Latin}/u.test(title) ? 'ar' : 'en'

// [caption id="attachment_9" width="800"]<img ...> The caption[/caption], the way
// WordPress draws it. A caption around anything but an image stays as it is.
const CAPTION = /\[caption\b[^\]]*\]\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*?)\[\/caption\]/gi
const BLOCK = /^<(?:p|div|h[1-6]|ul|ol|li|dl|blockquote|figure|table|pre|hr|iframe|section|article|aside|header|footer|nav|address|form|details)\b/i

function bodyHtml (content: string): string {
  const html = content.replace(CAPTION, (_all, image: string, caption: string) =>
    `<figure>${image}${caption.trim() === '' ? '' : `<figcaption>${caption.trim()}</figcaption>`}</figure>`)
  // Block-editor posts carry their own <p>s, and WordPress adds none to them.
  if (html.includes('<!-- wp:')) return html
  // Classic-editor posts are text with blank lines between paragraphs, to which WordPress
  // adds <p> and <br> when it shows them (wpautop). Without them khabar would show one
  // paragraph. A chunk that opens with a block element is left as it is.
  return html.split(/\n\s*\n/).map(chunk => chunk.trim()).filter(chunk => chunk !== '')
    .map(chunk => BLOCK.test(chunk) ? chunk : `<p>${chunk.replace(/\r?\n/g, '<br>\n')}</p>`)
    .join('\n')
}

// WordPress's uploads are files: what is not sound, video or a document is taken for an
// image (khabar would take an unknown extension for an embed).
const KIND_BY_EXTENSION = new Map<string, MediaKind>([
  ...['mp3', 'm4a', 'ogg', 'oga', 'wav', 'aac', 'flac', 'wma'].map(e => [e, 'audio'] as const),
  ...['mp4', 'm4v', 'webm', 'mov', 'ogv', 'avi', 'wmv', '3gp', 'mkv'].map(e => [e, 'video'] as const),
  ...['pdf', 'doc', 'docx', 'odt', 'rtf', 'txt', 'xls', 'xlsx', 'ods', 'csv', 'ppt', 'pptx', 'odp', 'zip'].map(e => [e, 'document'] as const)
])
const kindOf = (url: string): MediaKind => KIND_BY_EXTENSION.get(/\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1].toLowerCase() ?? '') ?? 'image'

// An http(s) URL as khabar stores it (the href), or undefined for one khabar refuses.
function httpUrl (value: string): string | undefined {
  try {
    const { href, protocol } = new URL(value.trim())
    return /^https?:$/.test(protocol) && href.length <= MAX.url ? href : undefined
  } catch {
    return undefined
  }
}

// _wp_attachment_metadata is PHP-serialized: a:5:{s:5:"width";i:1600;s:6:"height";i:900;...}.
// The first width and height are the original's; the smaller sizes' come after.
function dimension (serialized: string, pattern: RegExp): number | undefined {
  const value = Number(pattern.exec(serialized)?.[1])
  return value <= 100_000 ? value : undefined
}

const postmeta = (item: XmlNode): Map<string, string> =>
  new Map((item['wp:postmeta'] ?? []).map((m: XmlNode) => [text(m['wp:meta_key']), text(m['wp:meta_value'])]))

function mediaItem (attachment: XmlNode, role: 'featured' | 'inline'): ImportMediaItem | undefined {
  const url = httpUrl(text(attachment['wp:attachment_url']))
  if (url === undefined) return undefined
  const meta = postmeta(attachment)
  const sizes = meta.get('_wp_attachment_metadata') ?? ''
  return compact({
    url,
    kind: kindOf(url),
    title: optional(text(attachment.title), MAX.mediaTitle),
    // WordPress keeps an image's caption in its excerpt, and its alt text in postmeta.
    caption: optional(text(attachment['excerpt:encoded']), MAX.caption),
    alt: optional(meta.get('_wp_attachment_image_alt') ?? '', MAX.alt),
    width: dimension(sizes, /s:5:"width";i:(\d+);/),
    height: dimension(sizes, /s:6:"height";i:(\d+);/),
    role
  })
}

interface Channel {
  authors: Map<string, string>
  parents: Map<string, string>
  attachments: Map<string, XmlNode>
  children: Map<string, XmlNode[]>
}

// The featured image first, then the other attachments uploaded to the post, in the
// export's order; each URL once.
function mediaOf (item: XmlNode, id: string, channel: Channel, missing: Conversion['missingMedia']): ImportMediaItem[] {
  const thumbnailId = postmeta(item).get('_thumbnail_id')
  const featured = thumbnailId === undefined ? undefined : channel.attachments.get(thumbnailId)
  if (thumbnailId !== undefined && featured === undefined) missing.push({ id, attachmentId: thumbnailId })
  const candidates: Array<[XmlNode | undefined, 'featured' | 'inline']> = [
    [featured, 'featured'],
    ...(channel.children.get(id) ?? []).map(a => [a, 'inline'] as [XmlNode, 'inline'])
  ]
  const seen = new Set<string>()
  const media: ImportMediaItem[] = []
  for (const [attachment, role] of candidates) {
    const item = attachment === undefined ? undefined : mediaItem(attachment, role)
    if (item === undefined || seen.has(item.url)) continue
    seen.add(item.url)
    media.push(item)
  }
  return media.slice(0, MAX.media)
}

// The post's category slug (see the header), or null.
function categoryOf (terms: XmlNode[], parents: Map<string, string>): string | null {
  const slugs = terms.filter(t => t['@_domain'] === 'category')
    .map(t => cut(decodeSlug(String(t['@_nicename'] ?? '')), MAX.slug))
    .filter(slug => LETTER.test(slug))
  return slugs.find(slug => !slugs.some(other => parents.get(other) === slug)) ?? null
}

// Tag names cleaned as khabar cleans them (NFC, one space), so duplicates go here already.
function tagsOf (terms: XmlNode[]): string[] {
  const names = terms.filter(t => t['@_domain'] === 'post_tag')
    .map(t => cut(text(t).normalize('NFC').replace(/\s+/gu, ' ').trim(), MAX.tag).trim())
    .filter(name => name !== '')
  return [...new Set(names)].slice(0, MAX.tags)
}

function toArticle (item: XmlNode, channel: Channel, options: ConvertOptions, missing: Conversion['missingMedia']): ArticleImport | { skip: string } {
  const type = text(item['wp:post_type'])
  if (type !== 'post') return { skip: type || 'no wp:post_type' }
  const id = text(item['wp:post_id'])
  if (id === '') return { skip: 'no wp:post_id' }
  const state = publication(text(item['wp:status']), gmtDate(text(item['wp:post_date_gmt'])), text(item['wp:post_password']) !== '')
  if ('skip' in state) return state
  const body = bodyHtml(text(item['content:encoded']))
  if (body.length > MAX_BODY) return { skip: `body over ${MAX_BODY} characters` }

  const slug = cut(decodeSlug(text(item['wp:post_name']).trim()), MAX.slug)
  const usableSlug = LETTER.test(slug) ? slug : undefined
  const rawTitle = text(item.title).trim()
  // A title is required, and WordPress allows none: the slug stands in for it, else a
  // placeholder an editor will spot, so the line still imports.
  const title = cut(rawTitle || usableSlug?.replace(/-/g, ' ') || '(untitled)', MAX.title)
  const login = text(item['dc:creator']).trim()
  const terms: XmlNode[] = item.category ?? []
  return compact({
    externalId: `wp-${id}`,
    title,
    slug: usableSlug,
    lang: options.lang ?? detectLang(rawTitle),
    status: state.status,
    publishedAt: state.publishedAt,
    // dc:creator is the login; the channel's wp:author has the name readers know.
    author: optional(channel.authors.get(login) || login, MAX.author) ?? null,
    excerpt: optional(text(item['excerpt:encoded']), MAX.excerpt) ?? null,
    body,
    category: categoryOf(terms, channel.parents),
    tags: tagsOf(terms),
    // What WordPress counts too: approved comments (spam and the unapproved are not shown).
    commentCount: (item['wp:comment'] ?? []).filter((c: XmlNode) => text(c['wp:comment_approved']) === '1').length,
    media: mediaOf(item, id, channel, missing)
  })
}

/** The articles of a WXR document, in the export's order, and what was left out. Throws
 * when the text is not well-formed XML or not a WordPress export. */
export function wxrToArticles (xml: string, options: ConvertOptions = {}): Conversion {
  const source = xml.replace(/^\uFEFF/, '')
  const valid = XMLValidator.validate(source)
  if (valid !== true) throw new Error(`not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`)
  const root: XmlNode = parser.parse(source).rss?.channel ?? {}
  if (text(root['wp:wxr_version']) === '') throw new Error('not a WordPress export: no <wp:wxr_version> in <rss><channel> (export from Tools → Export in WordPress)')
  const items: XmlNode[] = root.item ?? []

  const attachments = items.filter(i => text(i['wp:post_type']) === 'attachment')
  const children = new Map<string, XmlNode[]>()
  for (const a of attachments) {
    const parent = text(a['wp:post_parent'])
    const list = children.get(parent)
    if (list === undefined) children.set(parent, [a])
    else list.push(a)
  }
  const channel: Channel = {
    authors: new Map((root['wp:author'] ?? []).map((a: XmlNode) => [text(a['wp:author_login']), text(a['wp:author_display_name']).trim()])),
    parents: new Map((root['wp:category'] ?? []).map((c: XmlNode) => [decodeSlug(text(c['wp:category_nicename'])), decodeSlug(text(c['wp:category_parent']))])),
    attachments: new Map(attachments.map(a => [text(a['wp:post_id']), a])),
    children
  }

  const result: Conversion = { articles: [], skipped: [], missingMedia: [] }
  for (const item of items) {
    const article = toArticle(item, channel, options, result.missingMedia)
    if ('skip' in article) result.skipped.push({ id: text(item['wp:post_id']), reason: article.skip })
    else result.articles.push(article)
  }
  return result
}

export interface Io {
  stdin: AsyncIterable<string | Buffer> & { isTTY?: boolean }
  stdout: { write: (chunk: string) => unknown }
  stderr: { write: (chunk: string) => unknown }
}

const USAGE = `Usage: wordpress-to-khabar [--lang TAG] [FILE | -]

Writes the posts of a WordPress export (WXR: Tools → Export → All content) to standard
output as khabar import NDJSON, for khabar import or POST /v1/import.

  FILE        the export; - or none reads standard input
  --lang TAG  the language of every article (default: ar, or en for a title in Latin
              letters only)
  -h, --help  show this help
`

function options (argv: string[]): { file: string | undefined, lang: string | undefined, help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
  })
  if (positionals.length > 1) throw new Error(`one file at most, not ${positionals.length}`)
  if (values.lang !== undefined && (!LANG.test(values.lang) || values.lang.length > 35)) {
    throw new Error(`--lang "${values.lang}" is not a language tag (ar, en, fr-CA, ...)`)
  }
  return { file: positionals[0], lang: values.lang, help: values.help === true }
}

async function readAll (stream: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

function summary ({ articles, skipped, missingMedia }: Conversion): string {
  const counts = new Map<string, number>()
  for (const { reason } of skipped) counts.set(reason, (counts.get(reason) ?? 0) + 1)
  const reasons = [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ')
  let out = `wordpress-to-khabar: articles written: ${articles.length}; items skipped: ${skipped.length}${reasons === '' ? '' : ` (${reasons})`}\n`
  if (missingMedia.length > 0) {
    out += `wordpress-to-khabar: featured images not in the export: ${missingMedia.length} (export "All content" to take the attachments along)\n`
  }
  return out
}

/** The command: exit code 0 when the lines were written, 1 when the input could not be
 * converted, 2 for a wrong command line. */
export async function main (argv: string[], io: Io): Promise<number> {
  let opts: ReturnType<typeof options>
  try {
    opts = options(argv)
  } catch (err) {
    io.stderr.write(`wordpress-to-khabar: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (opts.help) {
    io.stdout.write(USAGE)
    return 0
  }
  // Run bare in a terminal, it would wait for an export to be typed in.
  if (opts.file === undefined && io.stdin.isTTY === true) {
    io.stderr.write(USAGE)
    return 2
  }
  const file = opts.file ?? '-'
  try {
    const xml = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8')
    const conversion = wxrToArticles(xml, { lang: opts.lang })
    io.stdout.write(conversion.articles.map(a => JSON.stringify(a) + '\n').join(''))
    io.stderr.write(summary(conversion))
    return 0
  } catch (err) {
    io.stderr.write(`wordpress-to-khabar: ${file === '-' ? 'standard input' : file}: ${(err as Error).message}\n`)
    return 1
  }
}

// Run as a script (not imported by a test).
/* c8 ignore next 3 */
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
}
