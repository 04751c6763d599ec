import { RANKED } from '../sql.ts'
import type { RankedKind, RankingSpec, RankingStore, ViewStore } from '../../domain/views/view-store.ts'
import type { Sql } from './database.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

export function pgViewStore (sql: Sql): ViewStore {
  return {
    // One statement, so atomic without a transaction: counts are added, never set, so
    // the flushes of several processes add up. The ids are sorted so that two processes
    // flushing at once lock the same rows in the same order (no deadlock); an article
    // deleted for good since the view was counted matches nothing and is skipped.
    add: async (rows, day) => {
      const sorted = [...rows].sort((a, b) => a[0] - b[0])
      await sql.run(`WITH counts AS (SELECT * FROM unnest(@ids::bigint[], @views::bigint[]) AS c(id, n)),
        totals AS (UPDATE articles a SET views = a.views + c.n FROM counts c WHERE a.id = c.id RETURNING a.id, c.n)
        INSERT INTO article_views_daily (article_id, day, views) SELECT id, @day, n FROM totals ORDER BY id
        ON CONFLICT (article_id, day) DO UPDATE SET views = article_views_daily.views + excluded.views`, {
        ids: sorted.map(r => r[0]), views: sorted.map(r => r[1]), day
      })
    },
    daily: async (articleId, fromDay) => await sql.rows<{ day: number, views: number }>(`SELECT day, views FROM article_views_daily
      WHERE article_id = @articleId AND day >= @fromDay ORDER BY day`, { articleId, fromDay })
  }
}

// Views of each article in the window, from the daily buckets.
const WINDOW_VIEWS = `SELECT article_id, round(sum(CASE WHEN day = @today THEN views ELSE views * @weight::float8 END)) AS views
  FROM article_views_daily WHERE day >= @fromDay GROUP BY article_id`

export function pgRankingStore (sql: Sql): RankingStore {
  const run = async (kind: RankedKind, spec: RankingSpec): Promise<any[]> => {
    const all = spec.window.all
    const filtered = spec.categoryIds !== undefined
    const shape = RANKED[kind]
    const views = all ? 'a.views' : 'w.views'
    const from = all ? 'articles a' : `(${WINDOW_VIEWS}) w JOIN articles a ON a.id = w.article_id`
    const params: Record<string, unknown> = { now: spec.now, limit: spec.limit }
    if (!spec.window.all) Object.assign(params, { today: spec.window.today, fromDay: spec.window.fromDay, weight: spec.window.weight })
    if (filtered) params.categories = spec.categoryIds
    return await sql.rows(`SELECT ${shape.select.replace('$views', views)} FROM ${from} ${shape.join}
      WHERE ${PUBLIC_VISIBLE_SQL} AND ${views} > 0${filtered ? ' AND a.category_id = ANY(@categories::bigint[])' : ''}
      ${shape.group} ORDER BY views DESC, ${shape.id} DESC LIMIT @limit`, params)
  }
  return {
    articles: async (spec) => await run('articles', spec),
    tags: async (spec) => await run('tags', spec),
    categories: async (spec) => await run('categories', spec)
  }
}
