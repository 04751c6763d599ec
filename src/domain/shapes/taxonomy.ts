import { Type, type Static } from 'typebox'
import { Id, Nullable, Timestamp, ref } from './common.ts'

const categoryProperties = {
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  parentId: Nullable(Id),
  position: Type.Integer(),
  articleCount: Type.Integer({ minimum: 0, description: 'Published articles filed directly under this category' }),
  createdAt: Timestamp,
  updatedAt: Timestamp
}

// A tree: `children` refers to the shape itself (with ?tree=true).
export const CategorySchema = Type.Unsafe<Category>({
  $id: 'Category',
  title: 'Category',
  type: 'object',
  additionalProperties: false,
  required: Object.keys(categoryProperties),
  properties: { ...categoryProperties, children: Type.Array(ref('Category'), { description: 'With ?tree=true' }) }
})

export type Category = Static<ReturnType<typeof Type.Object<typeof categoryProperties>>> & { children?: Category[] }

const categoryWritable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  slug: Type.String({ minLength: 1, maxLength: 200 }),
  description: Nullable(Type.String({ maxLength: 5000 })),
  parentId: Nullable(Id),
  position: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })
}

export const CategoryCreateSchema = Type.Object({
  ...categoryWritable,
  slug: Type.Optional(categoryWritable.slug),
  description: Type.Optional(categoryWritable.description),
  parentId: Type.Optional(categoryWritable.parentId),
  position: Type.Optional(categoryWritable.position)
}, { $id: 'CategoryCreate', title: 'CategoryCreate', additionalProperties: false, examples: [{ name: 'سياسة' }] })
export type CategoryCreate = Static<typeof CategoryCreateSchema>

export const CategoryPatchSchema = Type.Partial(Type.Object(categoryWritable), { $id: 'CategoryPatch', title: 'CategoryPatch', additionalProperties: false, minProperties: 1 })
export type CategoryPatch = Static<typeof CategoryPatchSchema>

export const TagSchema = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  articleCount: Type.Integer({ minimum: 0, description: 'Published articles with this tag' }),
  createdAt: Timestamp,
  updatedAt: Timestamp
}, { $id: 'Tag', title: 'Tag', additionalProperties: false })
export type Tag = Static<typeof TagSchema>

export const TagCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  slug: Type.Optional(Type.String({ minLength: 1, maxLength: 200 }))
}, { $id: 'TagCreate', title: 'TagCreate', additionalProperties: false, examples: [{ name: 'دمشق' }] })
export type TagCreate = Static<typeof TagCreateSchema>

export const TagPatchSchema = Type.Partial(TagCreateSchema, { $id: 'TagPatch', title: 'TagPatch', additionalProperties: false, minProperties: 1 })
export type TagPatch = Static<typeof TagPatchSchema>
