import { test } from 'tap'
import { hasBidiOverride, isInvisibleOrBidi } from '../../src/text/bidi.ts'

test('embeddings, overrides and isolates are flagged', async (t) => {
  for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
    t.ok(hasBidiOverride(`عنوان ${c}خبر`), `U+${c.charCodeAt(0).toString(16)}`)
  }
})

test('ordinary titles, and plain direction marks, pass', async (t) => {
  t.notOk(hasBidiOverride('قوات النظام تبدأ حملة على داعش جنوب دمشق (فيديو)'))
  t.notOk(hasBidiOverride('Apple تطلق iPhone 15'))
  t.notOk(hasBidiOverride('\u200Fالعنوان\u200E \u061C'))
  t.notOk(hasBidiOverride(''))
})

test('isInvisibleOrBidi covers exactly the docs/ARABIC.md list', async (t) => {
  const listed = [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
    0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0x061C, 0xFEFF, 0x00AD]
  for (const c of listed) t.ok(isInvisibleOrBidi(c), c.toString(16))
  for (const c of [0x200A, 0x2010, 0x2029, 0x202F, 0x2061, 0x2065, 0x206A, 0x061B, 0x0627, 0x20]) {
    t.notOk(isInvisibleOrBidi(c), c.toString(16))
  }
})
