import type { ArticleListQueryT } from '../shapes/articles.ts'
import type { CategoryService } from '../taxonomy/category-service.ts'
import type { TagService } from '../taxonomy/tag-service.ts'
import type { ArticleFilter } from './article-store.ts'
import { toMs } from './article-rows.ts'

export type ArticleFilters = Pick<ArticleListQueryT, 'category' | 'tag' | 'lang' | 'author' | 'hasVideo' | 'breaking' | 'from' | 'to'>

// The filters /v1/articles and /v1/search share, resolved: a category to it and its
// subcategories, a tag to its id, times to ms. Undefined when a named category or tag
// does not exist: nothing can match.
export async function resolveFilters (q: ArticleFilters, categories: CategoryService, tags: TagService): Promise<ArticleFilter | undefined> {
  const out: ArticleFilter = {}
  if (q.category !== undefined) {
    const category = await categories.find(q.category)
    if (category === undefined) return undefined
    out.categoryIds = await categories.subtreeIds(category.id)
  }
  if (q.tag !== undefined) {
    const tag = await tags.find(q.tag)
    if (tag === undefined) return undefined
    out.tagId = tag.id
  }
  if (q.lang !== undefined) out.lang = q.lang
  if (q.author !== undefined) out.author = q.author
  if (q.hasVideo !== undefined) out.hasVideo = q.hasVideo
  if (q.breaking !== undefined) out.breaking = q.breaking
  if (q.from !== undefined) out.from = toMs(q.from, 'from')
  if (q.to !== undefined) out.to = toMs(q.to, 'to')
  return out
}
