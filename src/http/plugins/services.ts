import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openDatabase, runMigrations, type Database_ } from '../../storage/sqlite/database.ts'
import type { Config } from '../../config.ts'
import { systemClock, type Clock } from '../../domain/clock.ts'
import { KeyService } from '../../domain/keys/key-service.ts'
import { CategoryService } from '../../domain/taxonomy/category-service.ts'
import { TagService } from '../../domain/taxonomy/tag-service.ts'
import { MediaService } from '../../domain/media/media-service.ts'
import { ArticleQueries } from '../../domain/articles/article-queries.ts'
import { ArticleService } from '../../domain/articles/article-service.ts'
import { ViewService, DEFAULT_VIEW_OPTIONS, type ViewOptions } from '../../domain/views/view-service.ts'
import { RankingService } from '../../domain/views/ranking-service.ts'
import { SearchService } from '../../domain/search/search-service.ts'
import { SlugHistory } from '../../domain/slugs/slug-history.ts'
import { RevisionService } from '../../domain/articles/revision-service.ts'

export interface Services {
  keys: KeyService
  categories: CategoryService
  tags: TagService
  media: MediaService
  articles: ArticleService
  articleQueries: ArticleQueries
  views: ViewService
  rankings: RankingService
  search: SearchService
  revisions: RevisionService
  slugs: SlugHistory
}

declare module 'fastify' {
  interface FastifyInstance {
    database: Database_
    services: Services
    clock: Clock
    config: Config
  }
}

export interface ServiceOptions {
  views?: Partial<ViewOptions>
  // Revisions kept per article (REVISIONS_KEEP).
  revisionsKeep?: number
}

export function buildServices (database: Database_, clock: Clock, options: ServiceOptions = {}): Services {
  const { db, sqlite } = database
  const slugs = new SlugHistory(sqlite, clock)
  const keys = new KeyService(db, sqlite, clock)
  const categories = new CategoryService(db, sqlite, clock, slugs)
  const tags = new TagService(db, sqlite, clock, slugs)
  const media = new MediaService(db, sqlite, clock)
  const articleQueries = new ArticleQueries(sqlite, clock, categories, tags, media, slugs)
  const search = new SearchService(sqlite, clock, articleQueries, categories, tags)
  const revisions = new RevisionService(sqlite, clock, options.revisionsKeep ?? 50)
  const articles = new ArticleService(db, sqlite, clock, articleQueries, tags, media, search, revisions, slugs)
  const views = new ViewService(sqlite, clock, articleQueries, { ...DEFAULT_VIEW_OPTIONS, ...options.views })
  const rankings = new RankingService(sqlite, clock, articleQueries, categories)
  return { keys, categories, tags, media, articles, articleQueries, views, rankings, search, revisions, slugs }
}

// Opens the database, applies pending migrations, and builds the services on it.
// The database closes last, after everything that uses it (onClose runs in reverse).
export default fp(async function services (app: FastifyInstance, opts: { config: Config, clock?: Clock, views?: Partial<ViewOptions> }) {
  const database = openDatabase(opts.config.DATABASE_PATH)
  runMigrations(database.db)
  const clock = opts.clock ?? systemClock
  const services = buildServices(database, clock, { views: opts.views, revisionsKeep: opts.config.REVISIONS_KEEP })
  services.views.start()
  // Articles the search index lacks are indexed in the background once the app is ready
  // (SearchService.catchUp), never in the way of the start.
  let catchingUp: Promise<number> = Promise.resolve(0)
  app.addHook('onReady', async () => {
    const started = Date.now()
    catchingUp = services.search.catchUp(500, (stale) => {
      app.log.info({ stale }, 'search: indexing the articles the index lacks, in the background')
    }).then((indexed) => {
      if (indexed > 0) app.log.info({ indexed, ms: Date.now() - started }, 'search: the index has caught up')
      return indexed
    })
  })
  // Buffered views are written, and the indexing in the background stopped, before the database closes.
  app.addHook('onClose', async () => {
    services.search.stopCatchUp()
    await catchingUp
    services.views.close()
    database.sqlite.close()
  })
  if (opts.config.KHABAR_ADMIN_KEY !== undefined) services.keys.ensureAdmin(opts.config.KHABAR_ADMIN_KEY)
  app.decorate('config', opts.config)
  app.decorate('database', database)
  app.decorate('clock', clock)
  app.decorate('services', services)
}, { name: 'services' })
