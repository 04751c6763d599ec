import type { ArticleFilter, ArticleListSpec, ArticleStore, ListedArticle } from '../../domain/articles/article-store.ts'
import type { ArticleColumns, ArticleRow, ArticleSummaryRow, ArticleVisibility } from '../../domain/rows.ts'
import type { Sql } from './database.ts'
import { ARTICLE_COLUMN, EDITOR_STATUS_SQL, keyset, namesByArticle, PUBLIC_VISIBLE_SQL } from '../sql.ts'

// The columns every read selects, named as the domain names them (quoted: PostgreSQL
// folds unquoted names to lower case).
export const SUMMARY_COLUMNS = `a.id, a.slug, a.title, a.subtitle, a.excerpt, a.lang, a.status,
  a.published_at AS "publishedAt", a.created_at AS "createdAt", a.updated_at AS "updatedAt",
  a.deleted_at AS "deletedAt", a.category_id AS "categoryId", a.author, a.source_name AS "sourceName",
  a.source_url AS "sourceUrl", a.breaking, a.has_video AS "hasVideo",
  a.reading_time_minutes AS "readingTimeMinutes", a.views, a.comment_count AS "commentCount",
  a.external_id AS "externalId", a.version`
export const FULL_COLUMNS = `${SUMMARY_COLUMNS}, a.body`

export const INSERT_COLUMNS = ['slug', 'title', 'subtitle', 'excerpt', 'body', 'lang', 'status', 'publishedAt', 'createdAt', 'updatedAt',
  'categoryId', 'author', 'sourceName', 'sourceUrl', 'breaking', 'readingTimeMinutes', 'commentCount', 'externalId'] as const
const INSERT_SQL = `INSERT INTO articles (${INSERT_COLUMNS.map(c => ARTICLE_COLUMN[c]).join(', ')})
  VALUES (${INSERT_COLUMNS.map(c => `@${c}`).join(', ')}) RETURNING id`

export interface FilterSql { where: string[], params: Record<string, unknown> }

const SIMPLE: Array<[keyof ArticleFilter, string]> = [
  ['lang', 'a.lang = @lang'],
  ['author', 'a.author = @author'],
  ['hasVideo', 'a.has_video = @hasVideo'],
  ['breaking', 'a.breaking = @breaking'],
  ['from', 'a.published_at >= @from'],
  ['to', 'a.published_at < @to']
]

// The filters lists and search share, as SQL.
export function filterSql (f: ArticleFilter): FilterSql {
  const out: FilterSql = { where: [], params: {} }
  if (f.categoryIds !== undefined) {
    if (f.categoryIds.length === 1) {
      out.where.push('a.category_id = @category')
      out.params.category = f.categoryIds[0]
    } else {
      out.where.push('a.category_id = ANY(@categories::bigint[])')
      out.params.categories = f.categoryIds
    }
  }
  if (f.tagId !== undefined) {
    out.where.push('EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id = @tag)')
    out.params.tag = f.tagId
  }
  for (const [name, clause] of SIMPLE) {
    if (f[name] === undefined) continue
    out.where.push(clause)
    out.params[name] = f[name]
  }
  return out
}

export function pgArticleStore (sql: Sql): ArticleStore {
  const visibility = 'SELECT id, status, published_at AS "publishedAt", deleted_at AS "deletedAt" FROM articles'

  function where (spec: ArticleListSpec): FilterSql {
    const filters = filterSql(spec.filter)
    return {
      where: [spec.audience === 'editor' ? EDITOR_STATUS_SQL[spec.status ?? 'default'] : PUBLIC_VISIBLE_SQL, ...filters.where],
      params: { now: spec.now, ...filters.params }
    }
  }

  return {
    byId: async (id) => await sql.one<ArticleRow>(`SELECT ${FULL_COLUMNS} FROM articles a WHERE a.id = @id`, { id }),
    bySlug: async (slug) => await sql.one<ArticleRow>(`SELECT ${FULL_COLUMNS} FROM articles a WHERE a.slug = @slug`, { slug }),
    visibility: async (key) => 'id' in key
      ? await sql.one<ArticleVisibility>(`${visibility} WHERE id = @id`, { id: key.id })
      : await sql.one<ArticleVisibility>(`${visibility} WHERE slug = @slug`, { slug: key.slug }),
    summaries: async (ids) => await sql.rows<ArticleSummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM articles a WHERE a.id = ANY(@ids::bigint[])`, { ids }),
    tagsOf: async (id) => await sql.column<string>(`SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
      WHERE at.article_id = @id ORDER BY at.position, t.id`, { id }),
    tagsFor: async (ids) => {
      if (ids.length === 0) return new Map()
      return namesByArticle(await sql.rows<{ articleId: number, name: string }>(`SELECT at.article_id AS "articleId", t.name
        FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = ANY(@ids::bigint[]) ORDER BY at.article_id, at.position, t.id`, { ids }))
    },
    list: async (spec) => {
      const w = where(spec)
      const params: Record<string, unknown> = { ...w.params, limit: spec.limit }
      const { expr, dir } = keyset(spec, w.where, params)
      return await sql.rows<ListedArticle>(`SELECT ${spec.withBody ? FULL_COLUMNS : SUMMARY_COLUMNS}, ${expr} AS "sortValue" FROM articles a
        WHERE ${w.where.join(' AND ')} ORDER BY ${expr} ${dir}, a.id ${dir} LIMIT @limit`, params)
    },
    count: async (spec) => {
      const w = where(spec)
      return await sql.value<number>(`SELECT count(*) FROM articles a WHERE ${w.where.join(' AND ')}`, w.params) as number
    },
    idBySlug: async (slug) => await sql.value<number>('SELECT id FROM articles WHERE slug = @slug', { slug }),
    idByExternalId: async (externalId) => await sql.value<number>('SELECT id FROM articles WHERE external_id = @externalId', { externalId }),
    insert: async (row) => await sql.value<number>(INSERT_SQL, row as unknown as Record<string, unknown>) as number,
    update: async (id, set) => {
      const names = Object.keys(set) as Array<keyof ArticleColumns>
      await sql.run(`UPDATE articles SET ${names.map(n => `${ARTICLE_COLUMN[n]} = @${n}`).join(', ')} WHERE id = @id`, { ...set, id })
    },
    delete: async (id) => await sql.run('DELETE FROM articles WHERE id = @id', { id }) === 1,
    setTags: async (id, tagIds) => {
      await sql.run('DELETE FROM article_tags WHERE article_id = @id', { id })
      if (tagIds.length === 0) return
      await sql.run(`INSERT INTO article_tags (article_id, tag_id, position)
        SELECT @id, t.id, t.pos - 1 FROM unnest(@tags::bigint[]) WITH ORDINALITY AS t(id, pos)`, { id, tags: tagIds })
    }
  }
}
