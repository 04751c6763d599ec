import type { Config } from './config.ts'
import { systemClock, type Clock } from './domain/clock.ts'
import type { Storage } from './domain/storage.ts'
import { KeyService } from './domain/keys/key-service.ts'
import { SlugHistory } from './domain/slugs/slug-history.ts'
import { CategoryService } from './domain/taxonomy/category-service.ts'
import { TagService } from './domain/taxonomy/tag-service.ts'
import { MediaService } from './domain/media/media-service.ts'
import { ArticleQueries } from './domain/articles/article-queries.ts'
import { ArticleService } from './domain/articles/article-service.ts'
import { RevisionService } from './domain/articles/revision-service.ts'
import { SearchService } from './domain/search/search-service.ts'
import { ViewService, type ViewOptions } from './domain/views/view-service.ts'
import { RankingService } from './domain/views/ranking-service.ts'
import { ImportService } from './domain/transfer/import-service.ts'
import { ExportService } from './domain/transfer/export-service.ts'
import { openSqliteStorage } from './storage/sqlite/index.ts'
import { replicaUrls } from './config.ts'
import { PublicCache } from './cache/public-cache.ts'

export interface Services {
  keys: KeyService
  slugs: SlugHistory
  categories: CategoryService
  tags: TagService
  media: MediaService
  articleQueries: ArticleQueries
  articles: ArticleService
  revisions: RevisionService
  search: SearchService
  views: ViewService
  rankings: RankingService
  imports: ImportService
  exports: ExportService
}

export interface ComposeOptions {
  clock?: Clock
  // Tests shorten or lengthen the view flush interval and dedupe bounds.
  views?: Partial<ViewOptions>
}

export interface Logger { info: (data: object, message: string) => void }

// khabar, assembled: the storage the settings name, every service on it, and the caches.
export interface Khabar {
  config: Config
  clock: Clock
  storage: Storage
  services: Services
  publicCache: PublicCache
  // What runs in the background while serving: buffered views are written every
  // second, and articles the search index lacks are indexed.
  startBackground: (log: Logger) => void
  // Stops the background work, writes what is buffered, closes the storage.
  close: () => Promise<void>
}

export function buildServices (storage: Storage, clock: Clock, config: Pick<Config, 'REVISIONS_KEEP'>, options: ComposeOptions = {}): Services {
  const slugs = new SlugHistory({ store: storage.slugs, clock })
  const keys = new KeyService({ store: storage.keys, clock })
  const categories = new CategoryService({ storage, clock, slugs })
  const tags = new TagService({ storage, clock, slugs })
  const media = new MediaService({ storage, clock })
  const articleQueries = new ArticleQueries({ storage, clock, categories, tags, media, slugs })
  const search = new SearchService({ storage, clock, queries: articleQueries, categories, tags })
  const revisions = new RevisionService({ store: storage.revisions, clock, keep: config.REVISIONS_KEEP })
  const articles = new ArticleService({ storage, clock, queries: articleQueries, categories, tags, media, search, revisions, slugs })
  const views = new ViewService({ storage, clock, queries: articleQueries, views: options.views })
  const rankings = new RankingService({ storage, clock, queries: articleQueries, categories })
  const imports = new ImportService({ storage, articles, categories, media, slugs, search })
  const exports = new ExportService({ storage, media })
  return { keys, slugs, categories, tags, media, articleQueries, articles, revisions, search, views, rankings, imports, exports }
}

// The storage the settings name, migrated: PostgreSQL at DATABASE_URL, else the SQLite
// file. The PostgreSQL engine is loaded only when asked for.
export async function openStorage (config: Pick<Config, 'DATABASE_PATH' | 'DATABASE_URL' | 'DATABASE_REPLICA_URLS'>): Promise<Storage> {
  // Run by every test on PostgreSQL (test/postgres/); a machine without a PostgreSQL server
  // runs none of them, and must not count these lines against its coverage.
  /* c8 ignore start */
  if (config.DATABASE_URL !== undefined) {
    const { openPostgresStorage } = await import('./storage/postgres/index.ts')
    return await openPostgresStorage(config.DATABASE_URL, replicaUrls(config))
  }
  /* c8 ignore stop */
  return openSqliteStorage(config.DATABASE_PATH)
}

// The one composition root, for the server and the CLI alike.
export async function compose (config: Config, options: ComposeOptions = {}): Promise<Khabar> {
  const clock = options.clock ?? systemClock
  const storage = await openStorage(config)
  const services = buildServices(storage, clock, config, options)
  const publicCache = new PublicCache({ changes: storage.changes, clock })
  let catchingUp: Promise<number> = Promise.resolve(0)
  return {
    config,
    clock,
    storage,
    services,
    publicCache,
    startBackground (log) {
      services.views.start()
      const started = Date.now()
      catchingUp = services.search.catchUp(500, (stale) => {
        log.info({ stale }, 'search: indexing the articles the index lacks, in the background')
      }).then((indexed) => {
        if (indexed > 0) log.info({ indexed, ms: Date.now() - started }, 'search: the index has caught up')
        return indexed
      })
    },
    async close () {
      services.search.stopCatchUp()
      await catchingUp
      await services.views.close()
      await storage.close()
    }
  }
}
