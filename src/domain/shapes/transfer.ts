import { Type, type Static } from 'typebox'
import { Nullable, StringEnum } from './common.ts'
import { ArticleCreateSchema, type ArticleInput } from './articles.ts'
import { MediaCreateBody, type MediaCreate } from './media.ts'
import { MEDIA_ROLES, type MediaRole } from '../enums.ts'

// One line of an import (and of an export): the body of POST /v1/articles, plus the
// category by slug and the media to create (or reuse, by URL) and attach.
const ImportMedia = Type.Object({
  ...MediaCreateBody.properties,
  role: Type.Optional(StringEnum(MEDIA_ROLES, { description: 'inline when missing' })),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'The index in the list when missing' }))
}, { additionalProperties: false })

export const ArticleImportSchema = Type.Unsafe<ArticleImport>({
  $id: 'ArticleImport',
  title: 'ArticleImport',
  description: 'One line of POST /v1/import and of GET /v1/export. A field left out takes the value POST /v1/articles would give it ' +
    '(slug and externalId aside, which identify the article and are kept).',
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: {
    ...(ArticleCreateSchema as any).properties,
    category: Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'A category slug; the category is created when missing' })),
    media: Type.Array(ImportMedia, { maxItems: 200, description: 'Media to attach, in order; an item whose URL is already known is reused' })
  }
})

export type ImportMediaItem = MediaCreate & { role?: MediaRole, position?: number }
export type ArticleImport = ArticleInput & { title: string, category?: string | null, media?: ImportMediaItem[] }

const LineErrors = Type.Object({
  line: Type.Integer({ minimum: 1, description: 'The line number in the body, from 1 (empty lines count)' }),
  errors: Type.Array(Type.Object({
    path: Type.String({ description: 'JSON pointer into the line; empty for the line as a whole' }),
    message: Type.String()
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export const ImportResultSchema = Type.Object({
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  errors: Type.Array(LineErrors, { description: 'The first 100 failed lines' }),
  moreErrors: Type.Integer({ minimum: 0, description: 'Failed lines beyond those listed' }),
  dryRun: Type.Boolean({ description: 'True when nothing was written' })
}, { $id: 'ImportResult', title: 'ImportResult', additionalProperties: false })

export type ImportResult = Static<typeof ImportResultSchema>

export const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check every line and report, writing nothing' }))
}, { additionalProperties: false })

export const ExportQuery = Type.Object({
  since: Type.Optional(Type.String({ format: 'date-time', examples: ['2026-11-26T13:30:00.000Z'], description: 'Only articles changed at or after this time (updatedAt), for incremental exports' }))
}, { additionalProperties: false })
