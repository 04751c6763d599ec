import type { FastifyInstance } from 'fastify'
import { ProblemSchema, ListMetaSchema } from './common.ts'
import { ArticleSchema, ArticleSummarySchema, ArticleCreateSchema, ArticlePatchSchema, SourceSchema, CategoryRefSchema } from './articles.ts'
import { CategorySchema, CategoryCreateSchema, CategoryPatchSchema, TagSchema, TagCreateSchema, TagPatchSchema } from './taxonomy.ts'
import { MediaSchema, AttachedMediaSchema, MediaCreateBody, MediaPatchBody, MediaAttachBody } from './media.ts'
import { ViewStatsSchema, ViewAcceptedSchema, RankedArticleSchema, RankedTagSchema, RankedCategorySchema } from './views.ts'
import { SearchHitSchema, SuggestionSchema } from './search.ts'
import { RevisionSummarySchema, RevisionSchema, OldSlugSchema } from './revisions.ts'
import { ApiKeySchema, ApiKeyCreatedSchema, ApiKeyCreateSchema } from './keys.ts'
import { ArticleImportSchema, ImportResultSchema } from './transfer.ts'

// Shared shapes are registered once and referenced as { $ref: 'Name#' }, so each
// appears once under components.schemas in the OpenAPI document.
export const sharedSchemas = [
  ProblemSchema, ListMetaSchema,
  SourceSchema, CategoryRefSchema, MediaSchema, AttachedMediaSchema,
  ArticleSummarySchema, ArticleSchema, ArticleCreateSchema, ArticlePatchSchema,
  CategorySchema, CategoryCreateSchema, CategoryPatchSchema,
  TagSchema, TagCreateSchema, TagPatchSchema,
  MediaCreateBody, MediaPatchBody, MediaAttachBody,
  ApiKeySchema, ApiKeyCreatedSchema, ApiKeyCreateSchema,
  ViewStatsSchema, ViewAcceptedSchema, RankedArticleSchema, RankedTagSchema, RankedCategorySchema,
  SearchHitSchema, SuggestionSchema,
  RevisionSummarySchema, RevisionSchema, OldSlugSchema,
  ArticleImportSchema, ImportResultSchema
]

export function registerSchemas (app: FastifyInstance): void {
  for (const schema of sharedSchemas) app.addSchema(schema)
}
