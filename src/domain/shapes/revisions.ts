import { Type } from 'typebox'
import { Timestamp } from './common.ts'

const summaryProperties = {
  revision: Type.Integer({ minimum: 1, description: 'The version the article had in this state' }),
  title: Type.String(),
  slug: Type.String(),
  status: Type.String(),
  createdAt: Timestamp
}

export const RevisionSummarySchema = Type.Object(summaryProperties, {
  $id: 'RevisionSummary', title: 'RevisionSummary', additionalProperties: false
})

export const RevisionSchema = Type.Object({
  ...summaryProperties,
  article: Type.Object({}, {
    additionalProperties: true,
    description: 'The article as it was, in the shape of ArticleCreate (tags by name)'
  })
}, { $id: 'Revision', title: 'Revision', additionalProperties: false })

export const OldSlugSchema = Type.Object({
  slug: Type.String(),
  createdAt: Timestamp
}, { $id: 'OldSlug', title: 'OldSlug', description: 'A slug the resource had before; it answers 301 to the current one', additionalProperties: false })
