import { Type, type Static } from 'typebox'
import { Id, Nullable, Timestamp, StringEnum } from './common.ts'

import { MEDIA_KINDS, MEDIA_PROVIDERS, MEDIA_ROLES } from '../enums.ts'

const Kind = StringEnum(MEDIA_KINDS)
const HttpUrl = Type.String({ minLength: 1, maxLength: 2048, description: 'http or https only' })

const mediaProperties = {
  id: Id,
  url: Type.String(),
  kind: Kind,
  provider: StringEnum(MEDIA_PROVIDERS, { description: 'Derived from the URL' }),
  embedUrl: Nullable(Type.String({ description: 'Derived for known providers' })),
  title: Nullable(Type.String()),
  caption: Nullable(Type.String()),
  alt: Nullable(Type.String()),
  credit: Nullable(Type.String()),
  thumbnailUrl: Nullable(Type.String()),
  durationSeconds: Nullable(Type.Integer({ minimum: 0 })),
  width: Nullable(Type.Integer({ minimum: 0 })),
  height: Nullable(Type.Integer({ minimum: 0 })),
  createdAt: Timestamp,
  updatedAt: Timestamp
}

export const MediaSchema = Type.Object(mediaProperties, { $id: 'Media', title: 'Media', additionalProperties: false })
export type Media = Static<typeof MediaSchema>

export const AttachedMediaSchema = Type.Object({
  ...mediaProperties,
  role: StringEnum(MEDIA_ROLES),
  position: Type.Integer()
}, { $id: 'AttachedMedia', title: 'AttachedMedia', description: 'A media item as attached to an article', additionalProperties: false })
export type AttachedMedia = Static<typeof AttachedMediaSchema>

const mediaWritable = {
  url: HttpUrl,
  kind: Kind,
  title: Nullable(Type.String({ maxLength: 500 })),
  caption: Nullable(Type.String({ maxLength: 2000 })),
  alt: Nullable(Type.String({ maxLength: 1000 })),
  credit: Nullable(Type.String({ maxLength: 500 })),
  thumbnailUrl: Nullable(HttpUrl),
  durationSeconds: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  width: Nullable(Type.Integer({ minimum: 0, maximum: 100_000 })),
  height: Nullable(Type.Integer({ minimum: 0, maximum: 100_000 }))
}

// One flat object for ajv and OpenAPI rather than an intersection.
export const MediaCreateBody = Type.Object({
  ...Object.fromEntries(Object.entries(mediaWritable).map(([k, v]) => [k, k === 'url' ? v : Type.Optional(v)]))
} as typeof mediaWritable, {
  $id: 'MediaCreate',
  title: 'MediaCreate',
  additionalProperties: false,
  examples: [{ url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', title: 'تقرير مصور' }]
})
export type MediaCreate = Partial<Static<ReturnType<typeof Type.Object<typeof mediaWritable>>>> & { url: string }

export const MediaPatchBody = Type.Partial(Type.Object(mediaWritable), { $id: 'MediaPatch', title: 'MediaPatch', additionalProperties: false, minProperties: 1 })
export type MediaPatch = Partial<MediaCreate>

export const MediaAttachBody = Type.Array(Type.Object({
  mediaId: Id,
  role: StringEnum(MEDIA_ROLES),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 }))
}, { additionalProperties: false }), { $id: 'MediaAttach', title: 'MediaAttach', maxItems: 200 })
export type MediaAttach = Static<typeof MediaAttachBody>
