import type Database from 'better-sqlite3'
import { RANKED } from '../sql.ts'
import type { RankedKind, RankingSpec, RankingStore, ViewStore } from '../../domain/views/view-store.ts'
import type { Connection } from './database.ts'
import { PUBLIC_VISIBLE_SQL } from '../sql.ts'

export function sqliteViewStore ({ sqlite }: Connection): ViewStore {
  const addTotal = sqlite.prepare<[number, number]>('UPDATE articles SET views = views + ? WHERE id = ?')
  const addDaily = sqlite.prepare<[number, number, number]>(`INSERT INTO article_views_daily (article_id, day, views) VALUES (?, ?, ?)
    ON CONFLICT (article_id, day) DO UPDATE SET views = views + excluded.views`)
  const daily = sqlite.prepare<[number, number], { day: number, views: number }>('SELECT day, views FROM article_views_daily WHERE article_id = ? AND day >= ? ORDER BY day')
  const add = sqlite.transaction((rows: Array<[number, number]>, day: number) => {
    for (const [id, n] of rows) {
      // The article may have been deleted for good since the view was counted.
      if (addTotal.run(n, id).changes === 1) addDaily.run(id, day, n)
    }
  })
  return {
    add: async (rows, day) => { add(rows, day) },
    daily: async (articleId, fromDay) => daily.all(articleId, fromDay)
  }
}

// Views of each article in the window, from the daily buckets.
const WINDOW_VIEWS = `SELECT article_id, round(sum(CASE WHEN day = @today THEN views ELSE views * @weight END)) AS views
  FROM article_views_daily WHERE day >= @fromDay GROUP BY article_id`

const CATEGORY_FILTER = 'a.category_id IN (SELECT value FROM json_each(@categories))'

export function sqliteRankingStore ({ sqlite }: Connection): RankingStore {
  const stmts = new Map<string, Database.Statement>()
  const run = (kind: RankedKind, spec: RankingSpec): any[] => {
    const all = spec.window.all
    const filtered = spec.categoryIds !== undefined
    const key = `${kind}:${all ? 'all' : 'window'}:${filtered ? 'category' : ''}`
    let stmt = stmts.get(key)
    if (stmt === undefined) {
      const shape = RANKED[kind]
      const views = all ? 'a.views' : 'w.views'
      const from = all ? 'articles a' : `(${WINDOW_VIEWS}) w JOIN articles a ON a.id = w.article_id`
      stmt = sqlite.prepare(`SELECT ${shape.select.replace('$views', views)} FROM ${from} ${shape.join}
        WHERE ${PUBLIC_VISIBLE_SQL} AND ${views} > 0${filtered ? ` AND ${CATEGORY_FILTER}` : ''}
        ${shape.group} ORDER BY views DESC, ${shape.id} DESC LIMIT @limit`)
      stmts.set(key, stmt)
    }
    const params: Record<string, unknown> = { now: spec.now, limit: spec.limit }
    if (!spec.window.all) Object.assign(params, { today: spec.window.today, fromDay: spec.window.fromDay, weight: spec.window.weight })
    if (filtered) params.categories = JSON.stringify(spec.categoryIds)
    return stmt.all(params)
  }
  return {
    articles: async (spec) => run('articles', spec),
    tags: async (spec) => run('tags', spec),
    categories: async (spec) => run('categories', spec)
  }
}
