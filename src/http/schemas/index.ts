import type { FastifyInstance } from 'fastify'
import { ProblemSchema, ListMetaSchema } from '../../domain/shapes/common.ts'
import { ArticleSchema, ArticleSummarySchema, ArticleCreateSchema, ArticlePatchSchema, SourceSchema, CategoryRefSchema } from '../../domain/shapes/articles.ts'
import { CategorySchema, CategoryCreateSchema, CategoryPatchSchema, TagSchema, TagCreateSchema, TagPatchSchema } from '../../domain/shapes/taxonomy.ts'
import { MediaSchema, AttachedMediaSchema, MediaCreateBody, MediaPatchBody, MediaAttachBody } from '../../domain/shapes/media.ts'
import { ViewStatsSchema, ViewAcceptedSchema, RankedArticleSchema, RankedTagSchema, RankedCategorySchema } from '../../domain/shapes/views.ts'
import { SearchHitSchema, SuggestionSchema } from '../../domain/shapes/search.ts'
import { RevisionSummarySchema, RevisionSchema, OldSlugSchema } from '../../domain/shapes/revisions.ts'
import { ApiKeySchema, ApiKeyCreatedSchema, ApiKeyCreateSchema } from '../../domain/shapes/keys.ts'
import { ArticleImportSchema, ImportResultSchema } from '../../domain/shapes/transfer.ts'

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
