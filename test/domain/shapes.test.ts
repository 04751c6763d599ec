import { test } from 'tap'
import { Type } from 'typebox'
import { ref } from '../../src/domain/shapes/common.ts'
import { ArticleSchema } from '../../src/domain/shapes/articles.ts'

test('ref() points at a registered shape by its $id, and refuses one without', async (t) => {
  t.same(JSON.parse(JSON.stringify(ref(ArticleSchema))), { $ref: 'Article#' })
  t.same(JSON.parse(JSON.stringify(ref('Category'))), { $ref: 'Category#' })
  t.throws(() => ref(Type.String()), /needs a shape with an \$id/)
})
