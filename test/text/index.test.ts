import { test } from 'tap'
import * as text from '../../src/text/index.ts'

test('index re-exports the public text helpers', async (t) => {
  t.same(Object.keys(text).sort(), ['MAX_SLUG_LENGTH', 'hasBidiOverride', 'htmlToText', 'isValidSlug',
    'normalizeSlugInput', 'readingTimeMinutes', 'sanitizeBody', 'sanitizedToText', 'searchKey', 'searchTokens', 'slugify'])
  t.equal(text.slugify('خبر عاجل'), 'خبر-عاجل')
})
