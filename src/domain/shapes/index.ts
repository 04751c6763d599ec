// Every shape the API names, in the order the OpenAPI document lists them
// (the HTTP side registers them, with its own Problem and ListMeta first).
import { ArticleSchema, ArticleFieldsSchema, ArticleSummarySchema, ArticleCreateSchema, ArticlePatchSchema, SourceSchema, CategoryRefSchema } from './articles.ts'
import { CategorySchema, CategoryCreateSchema, CategoryPatchSchema, TagSchema, TagCreateSchema, TagPatchSchema } from './taxonomy.ts'
import { MediaSchema, AttachedMediaSchema, MediaCreateBody, MediaPatchBody, MediaAttachBody } from './media.ts'
import { ViewStatsSchema, ViewAcceptedSchema, RankedArticleSchema, RankedTagSchema, RankedCategorySchema } from './views.ts'
import { SearchHitSchema, SuggestionSchema } from './search.ts'
import { RevisionSummarySchema, RevisionSchema, OldSlugSchema } from './revisions.ts'
import { ApiKeySchema, ApiKeyCreatedSchema, ApiKeyCreateSchema } from './keys.ts'
import { ArticleImportSchema, ImportResultSchema } from './transfer.ts'

export const shapeSchemas = [
  SourceSchema, CategoryRefSchema, MediaSchema, AttachedMediaSchema,
  ArticleSummarySchema, ArticleSchema, ArticleFieldsSchema, ArticleCreateSchema, ArticlePatchSchema,
  CategorySchema, CategoryCreateSchema, CategoryPatchSchema,
  TagSchema, TagCreateSchema, TagPatchSchema,
  MediaCreateBody, MediaPatchBody, MediaAttachBody,
  ApiKeySchema, ApiKeyCreatedSchema, ApiKeyCreateSchema,
  ViewStatsSchema, ViewAcceptedSchema, RankedArticleSchema, RankedTagSchema, RankedCategorySchema,
  SearchHitSchema, SuggestionSchema,
  RevisionSummarySchema, RevisionSchema, OldSlugSchema,
  ArticleImportSchema, ImportResultSchema
]
