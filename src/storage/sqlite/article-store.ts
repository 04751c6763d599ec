import type Database from 'better-sqlite3'
import type { ArticleFilter, ArticleListSpec, ArticleStore, ListedArticle } from '../../domain/articles/article-store.ts'
import type { ArticleColumns, ArticleRow, ArticleSummaryRow, ArticleVisibility } from '../../domain/rows.ts'
import type { Connection } from './database.ts'
import { ARTICLE_COLUMN, EDITOR_STATUS_SQL, keyset, namesByArticle, PUBLIC_VISIBLE_SQL } from '../sql.ts'

// The columns every read selects, named as the domain names them.
export const SUMMARY_COLUMNS = `a.id, a.slug, a.title, a.subtitle, a.excerpt, a.lang, a.status,
  a.published_at AS publishedAt, a.created_at AS createdAt, a.updated_at AS updatedAt,
  a.deleted_at AS deletedAt, a.category_id AS categoryId, a.author, a.source_name AS sourceName,
  a.source_url AS sourceUrl, a.breaking, a.has_video AS hasVideo,
  a.reading_time_minutes AS readingTimeMinutes, a.views, a.comment_count AS commentCount,
  a.external_id AS externalId, a.version`
export const FULL_COLUMNS = `${SUMMARY_COLUMNS}, a.body`

// SQLite has no booleans: 0 and 1 come back, and become booleans here, in place.
export function rowOf<T extends { breaking: unknown, hasVideo: unknown }> (row: T): T {
  row.breaking = row.breaking === 1
  row.hasVideo = row.hasVideo === 1
  return row
}
const rowOrUndefined = <T extends { breaking: unknown, hasVideo: unknown }>(row: T | undefined): T | undefined =>
  row === undefined ? undefined : rowOf(row)

// The one INSERT of an article row, named parameters as the domain names the columns.
export const INSERT_ARTICLE_SQL = `INSERT INTO articles (slug, title, subtitle, excerpt, body, lang, status, published_at,
    created_at, updated_at, category_id, author, source_name, source_url, breaking, reading_time_minutes, comment_count, external_id)
  VALUES (@slug, @title, @subtitle, @excerpt, @body, @lang, @status, @publishedAt,
    @createdAt, @updatedAt, @categoryId, @author, @sourceName, @sourceUrl, @breaking, @readingTimeMinutes, @commentCount, @externalId)`

export interface FilterSql {
  // SQL conditions on `a` (articles), ANDed.
  where: string[]
  // Their named parameters.
  params: Record<string, unknown>
  // What distinguishes the SQL text, to key a cache of prepared statements.
  shape: string
}

const SIMPLE: Array<[keyof ArticleFilter, string, (v: any) => unknown]> = [
  ['lang', 'a.lang = @lang', v => v],
  ['author', 'a.author = @author', v => v],
  ['hasVideo', 'a.has_video = @hasVideo', v => v === true ? 1 : 0],
  ['breaking', 'a.breaking = @breaking', v => v === true ? 1 : 0],
  ['from', 'a.published_at >= @from', v => v],
  ['to', 'a.published_at < @to', v => v]
]

// The filters lists and search share, as SQL.
export function filterSql (f: ArticleFilter): FilterSql {
  const out: FilterSql = { where: [], params: {}, shape: '' }
  if (f.categoryIds !== undefined) {
    if (f.categoryIds.length === 1) {
      // One category: an equality the (category_id, published_at) index serves directly.
      out.where.push('a.category_id = @category')
      out.params.category = f.categoryIds[0]
      out.shape += ':c1'
    } else {
      out.where.push('a.category_id IN (SELECT value FROM json_each(@categories))')
      out.params.categories = JSON.stringify(f.categoryIds)
      out.shape += ':cN'
    }
  }
  if (f.tagId !== undefined) {
    out.where.push('EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id = @tag)')
    out.params.tag = f.tagId
    out.shape += ':t'
  }
  for (const [name, clause, convert] of SIMPLE) {
    if (f[name] === undefined) continue
    out.where.push(clause)
    out.params[name] = convert(f[name])
    out.shape += `:${name}`
  }
  return out
}

// Statements prepared once per distinct SQL shape: building SQL per request costs
// more than running it.
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>()

  constructor (private readonly sqlite: Database.Database) {}

  get (shape: string, sql: () => string): Database.Statement {
    let stmt = this.statements.get(shape)
    if (stmt === undefined) this.statements.set(shape, stmt = this.sqlite.prepare(sql()))
    return stmt
  }
}

export function sqliteArticleStore ({ sqlite }: Connection): ArticleStore {
  const byId = sqlite.prepare<[number], ArticleRow>(`SELECT ${FULL_COLUMNS} FROM articles a WHERE a.id = ?`)
  const bySlug = sqlite.prepare<[string], ArticleRow>(`SELECT ${FULL_COLUMNS} FROM articles a WHERE a.slug = ?`)
  const visibility = 'SELECT id, status, published_at AS publishedAt, deleted_at AS deletedAt FROM articles'
  const visibilityById = sqlite.prepare<[number], ArticleVisibility>(`${visibility} WHERE id = ?`)
  const visibilityBySlug = sqlite.prepare<[string], ArticleVisibility>(`${visibility} WHERE slug = ?`)
  const tagsOfOne = sqlite.prepare<[number], string>('SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position, t.id').pluck()
  const tagsOfMany = sqlite.prepare<[string], { articleId: number, name: string }>(`SELECT at.article_id AS articleId, t.name
    FROM article_tags at JOIN tags t ON t.id = at.tag_id
    WHERE at.article_id IN (SELECT value FROM json_each(?)) ORDER BY at.article_id, at.position, t.id`)
  const summaries = sqlite.prepare<[string], ArticleSummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))`)
  const idBySlug = sqlite.prepare<[string], number>('SELECT id FROM articles WHERE slug = ?').pluck()
  const idByExternalId = sqlite.prepare<[string], number>('SELECT id FROM articles WHERE external_id = ?').pluck()
  const insert = sqlite.prepare(INSERT_ARTICLE_SQL)
  const remove = sqlite.prepare<[number]>('DELETE FROM articles WHERE id = ?')
  const deleteTags = sqlite.prepare<[number]>('DELETE FROM article_tags WHERE article_id = ?')
  const insertTag = sqlite.prepare<[number, number, number]>('INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)')
  const statements = new StatementCache(sqlite)

  // The WHERE of a list, without its keyset condition, and the statement cache's key.
  function where (spec: ArticleListSpec): { where: string[], params: Record<string, unknown>, shape: string } {
    const editor = spec.audience === 'editor'
    const filters = filterSql(spec.filter)
    return {
      where: [editor ? EDITOR_STATUS_SQL[spec.status ?? 'default'] : PUBLIC_VISIBLE_SQL, ...filters.where],
      params: { now: spec.now, ...filters.params },
      shape: `${editor ? 'e' : 'p'}:${spec.status ?? ''}${filters.shape}`
    }
  }

  return {
    byId: async (id) => rowOrUndefined(byId.get(id)),
    bySlug: async (slug) => rowOrUndefined(bySlug.get(slug)),
    visibility: async (key) => 'id' in key ? visibilityById.get(key.id) : visibilityBySlug.get(key.slug),
    summaries: async (ids) => summaries.all(JSON.stringify(ids)).map(rowOf),
    tagsOf: async (id) => tagsOfOne.all(id),
    tagsFor: async (ids) => {
      if (ids.length === 0) return new Map()
      return namesByArticle(tagsOfMany.all(JSON.stringify(ids)))
    },
    list: async (spec) => {
      const w = where(spec)
      const params: Record<string, unknown> = { ...w.params, limit: spec.limit }
      const { expr, dir } = keyset(spec, w.where, params)
      const shape = `${w.shape}:${spec.sort}:${spec.withBody ? 'b' : ''}:${spec.after === undefined ? '' : 'cur'}`
      const stmt = statements.get(shape, () => `SELECT ${spec.withBody ? FULL_COLUMNS : SUMMARY_COLUMNS}, ${expr} AS sortValue FROM articles a
        WHERE ${w.where.join(' AND ')} ORDER BY ${expr} ${dir}, a.id ${dir} LIMIT @limit`)
      return (stmt.all(params) as ListedArticle[]).map(rowOf)
    },
    count: async (spec) => {
      const w = where(spec)
      return (statements.get(`${w.shape}:count`, () => `SELECT count(*) FROM articles a WHERE ${w.where.join(' AND ')}`).pluck().get(w.params) as number)
    },
    idBySlug: async (slug) => idBySlug.get(slug),
    idByExternalId: async (externalId) => idByExternalId.get(externalId),
    insert: async (row) => Number(insert.run({ ...row, breaking: row.breaking ? 1 : 0 }).lastInsertRowid),
    update: async (id, set) => {
      const names = Object.keys(set) as Array<keyof ArticleColumns>
      const stmt = statements.get(`update:${names.join(',')}`, () =>
        `UPDATE articles SET ${names.map(n => `${ARTICLE_COLUMN[n]} = @${n}`).join(', ')} WHERE id = @id`)
      stmt.run({ ...set, ...('breaking' in set ? { breaking: set.breaking === true ? 1 : 0 } : {}), id })
    },
    delete: async (id) => remove.run(id).changes === 1,
    setTags: async (id, tagIds) => {
      deleteTags.run(id)
      tagIds.forEach((tagId, position) => { insertTag.run(id, tagId, position) })
    }
  }
}
