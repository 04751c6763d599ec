// The read routes npm run bench measures: an article by id and by its Arabic slug, the
// list of one category (without, then with subcategories) and the 24-hour rankings. The
// URLs come from the data set's generator (build-db.ts), not from either database, so
// both engines are asked the same.
import { benchCategories, benchSlug, viewedArticles } from '../build-db.ts'
import { sampleIds, type Scenario } from './scenario.ts'
import { N } from './settings.ts'

// How many articles the reads cycle over.
const READ_SET = 1000

export function readScenarios (): Scenario[] {
  const readIds = sampleIds(READ_SET, 10)
  const slugs = readIds.map(id => benchSlug(id))
  // In id order, as the databases have them.
  const categories = benchCategories(0)
  const hasChildren = new Set(categories.map(c => c.parentId))
  const leaves = categories.filter(c => !hasChildren.has(c.id)).map(c => c.slug)
  const parents = categories.filter(c => hasChildren.has(c.id)).map(c => c.slug)
  const listPath = (slug: string): string => `/v1/articles?category=${encodeURIComponent(slug)}&limit=20`
  return [
    {
      key: 'id',
      label: '`GET /v1/articles/{id}`',
      server: 'khabar',
      method: 'GET',
      paths: readIds.map(id => `/v1/articles/${id}`),
      minRatio: 0.75,
      about: `cycles over ${readIds.length} fixed article ids spread over all ${N}`
    },
    {
      key: 'slug',
      label: '`GET /v1/articles/{slug}` (percent-encoded)',
      server: 'khabar',
      method: 'GET',
      paths: slugs.map(slug => `/v1/articles/${encodeURIComponent(slug)}`),
      minRatio: 0.75,
      about: `the same ${slugs.length} articles by their Arabic slugs, percent-encoded`
    },
    {
      key: 'list',
      label: '`GET /v1/articles?category=X&limit=20` (leaf category)',
      server: 'khabar',
      method: 'GET',
      paths: leaves.map(listPath),
      minRatio: 0.5,
      about: `cycles over the ${leaves.length} categories without subcategories`
    },
    {
      key: 'list-br',
      label: '`GET /v1/articles?category=X&limit=20` (leaf category), `Accept-Encoding: br`',
      server: 'khabar',
      method: 'GET',
      paths: leaves.map(listPath),
      headers: { 'accept-encoding': 'br, gzip' },
      minRatio: 0.5,
      about: 'the same lists as a browser asks for them: brotli, compressed once per cached answer'
    },
    {
      key: 'list-parent',
      label: '`GET /v1/articles?category=X&limit=20` (category with subcategories)',
      server: 'khabar',
      method: 'GET',
      paths: parents.map(listPath),
      minRatio: 0.5,
      about: `cycles over the ${parents.length} categories that have subcategories (the list includes them)`
    },
    {
      key: 'rankings',
      label: '`GET /v1/rankings/articles?window=24h`',
      server: 'khabar',
      method: 'GET',
      paths: ['/v1/rankings/articles?window=24h'],
      minRatio: 0.75,
      about: `${viewedArticles(N)} articles have daily view rows for the last 4 days`
    }
  ]
}
