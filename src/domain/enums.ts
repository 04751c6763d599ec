// Every closed list of words the API, the domain and the database share, once.
// Shapes (StringEnum), the Drizzle schema (text enums) and the services import them.

export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const
export type ArticleStatus = typeof ARTICLE_STATUSES[number]

// What an editor may list by: the stored statuses, and the states the rules derive.
export const ARTICLE_LIST_STATUSES = ['draft', 'published', 'scheduled', 'archived', 'trashed', 'all'] as const
export type ArticleListStatus = typeof ARTICLE_LIST_STATUSES[number]

export const ARTICLE_SORTS = ['-publishedAt', 'publishedAt', '-updatedAt', '-views'] as const
export type ArticleSort = typeof ARTICLE_SORTS[number]

export const ARTICLE_INCLUDES = ['category', 'media'] as const

export const TEXT_DIRECTIONS = ['rtl', 'ltr'] as const

export const MEDIA_KINDS = ['video', 'image', 'audio', 'embed', 'document'] as const
export type MediaKind = typeof MEDIA_KINDS[number]

export const MEDIA_PROVIDERS = ['youtube', 'vimeo', 'dailymotion', 'facebook', 'x', 'soundcloud', 'other'] as const
export type MediaProvider = typeof MEDIA_PROVIDERS[number]

export const MEDIA_ROLES = ['featured', 'inline', 'gallery'] as const
export type MediaRole = typeof MEDIA_ROLES[number]

export const ROLES = ['editor', 'admin'] as const
export type Role = typeof ROLES[number]

export const RANKING_WINDOWS = ['24h', '7d', '30d', 'all'] as const
export type RankingWindow = typeof RANKING_WINDOWS[number]

export const SEARCH_SORTS = ['relevance', '-publishedAt'] as const
export type SearchSort = typeof SEARCH_SORTS[number]

export const TAG_SORTS = ['name', '-articleCount'] as const
export type TagSort = typeof TAG_SORTS[number]

// What has slugs, and so old slugs that lead to it.
export const SLUG_KINDS = ['article', 'category', 'tag'] as const
export type SlugKind = typeof SLUG_KINDS[number]
