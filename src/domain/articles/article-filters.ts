import type { ArticleListQueryT } from '../shapes/articles.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { TagService } from '../taxonomy/tag-service.ts'
import { toMs } from './article-rows.ts'

export type ArticleFilters = Pick<ArticleListQueryT, 'category' | 'tag' | 'lang' | 'author' | 'hasVideo' | 'breaking' | 'from' | 'to'>

export interface FilterSql {
  // SQL conditions on `a` (articles), ANDed.
  where: string[]
  // Their named parameters.
  params: Record<string, unknown>
  // What distinguishes the SQL text, to key a cache of prepared statements.
  shape: string
}

const SIMPLE: Array<[keyof ArticleFilters, string, (v: any) => unknown]> = [
  ['lang', 'a.lang = @lang', v => v],
  ['author', 'a.author = @author', v => v],
  ['hasVideo', 'a.has_video = @hasVideo', v => v === true ? 1 : 0],
  ['breaking', 'a.breaking = @breaking', v => v === true ? 1 : 0],
  ['from', 'a.published_at >= @from', v => toMs(v, '/querystring/from')],
  ['to', 'a.published_at < @to', v => toMs(v, '/querystring/to')]
]

// The filters /v1/articles and /v1/search share, as SQL. Undefined when a named
// category or tag does not exist: nothing can match.
export function filterSql (q: ArticleFilters, categories: CategoryService, tags: TagService): FilterSql | undefined {
  const out: FilterSql = { where: [], params: {}, shape: '' }
  if (q.category !== undefined) {
    const category = categories.find(q.category)
    if (category === undefined) return undefined
    const ids = categories.subtreeIds(category.id)
    if (ids.length === 1) {
      // One category: an equality the (category_id, published_at) index serves directly.
      out.where.push('a.category_id = @category')
      out.params.category = ids[0]
      out.shape += ':c1'
    } else {
      out.where.push('a.category_id IN (SELECT value FROM json_each(@categories))')
      out.params.categories = JSON.stringify(ids)
      out.shape += ':cN'
    }
  }
  if (q.tag !== undefined) {
    const tag = tags.find(q.tag)
    if (tag === undefined) return undefined
    out.where.push('EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id = @tag)')
    out.params.tag = tag.id
    out.shape += ':t'
  }
  for (const [name, clause, convert] of SIMPLE) {
    if (q[name] === undefined) continue
    out.where.push(clause)
    out.params[name] = convert(q[name])
    out.shape += `:${name}`
  }
  return out
}
