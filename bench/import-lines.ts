// The NDJSON lines of the import benchmark: article i of the bench stream (generate.ts) as
// a line of POST /v1/import, with its category by slug, 2–4 tags and one featured image.
import { slugify } from '../src/text/index.ts'
import { CATEGORY_TREE, TAG_NAMES, between, generateArticle, int, mulberry32, seedOf } from './generate.ts'

const CATEGORY_SLUGS = CATEGORY_TREE.flatMap(([name, children]) => [name, ...children]).map(name => slugify(name))
const DAY_MS = 86_400_000
// Fixed, so the file (and a re-import of it) is the same on every run.
const EPOCH = Date.parse('2026-01-01T00:00:00.000Z')

export function importLine (seed: number, i: number): string {
  const g = generateArticle(seed, i)
  const r = mulberry32(seedOf(seed + 3, i))
  const tags = new Set<string>()
  const k = between(r, 2, 4)
  while (tags.size < k) tags.add(TAG_NAMES[int(r, TAG_NAMES.length)])
  return JSON.stringify({
    externalId: `bench-${i}`,
    title: g.title,
    subtitle: g.subtitle,
    excerpt: g.excerpt,
    body: g.body,
    status: 'published',
    publishedAt: new Date(EPOCH - (i % 700) * DAY_MS + int(r, DAY_MS)).toISOString(),
    category: CATEGORY_SLUGS[int(r, CATEGORY_SLUGS.length)],
    tags: [...tags],
    author: g.author,
    source: { name: g.sourceName, url: null },
    breaking: g.breaking,
    media: [{ url: `https://cdn.example.com/bench/${i}.jpg`, kind: 'image', alt: g.title.slice(0, 100), role: 'featured' }]
  })
}
