import { test } from 'tap'
import { ndjsonLines, type RawLine } from '../../../src/domain/transfer/ndjson.ts'

async function collect (chunks: Array<string | Uint8Array>, max = 1024): Promise<RawLine[]> {
  const out: RawLine[] = []
  for await (const line of ndjsonLines(chunks, max)) out.push(line)
  return out
}

test('lines split across chunks come out whole, with their numbers', async (t) => {
  const lines = await collect(['{"a":', '1}\n\n{"b"', ':2}\r', '\n', '{"c":3}'])
  t.same(lines, [
    { line: 1, bytes: 7, text: '{"a":1}' },
    { line: 3, bytes: 8, text: '{"b":2}' },
    { line: 4, bytes: 7, text: '{"c":3}' }
  ])
})

test('a BOM is dropped from the first line only; multi-byte letters may straddle chunks', async (t) => {
  const bytes = Buffer.from('\uFEFF"خبر"\n"\uFEFFب"\n')
  const lines = await collect([bytes.subarray(0, 2), bytes.subarray(2, 6), new Uint8Array(bytes.subarray(6))])
  t.same(lines.map(l => 'text' in l ? l.text : l.error), ['"خبر"', '"\uFEFFب"'])
})

test('a line over the limit is reported, never buffered, and the next line is read', async (t) => {
  const long = 'x'.repeat(700)
  const lines = await collect([long, long, '\n', 'ok\n', long + long])
  t.same(lines, [
    { line: 1, bytes: 1400, error: 'is longer than 1024 bytes' },
    { line: 2, bytes: 2, text: 'ok' },
    { line: 3, bytes: 1400, error: 'is longer than 1024 bytes' }
  ])
  t.same(await collect(['x'.repeat(1024)]), [{ line: 1, bytes: 1024, text: 'x'.repeat(1024) }], 'the limit itself is fine')
})

test('no input, and blank input, give no lines', async (t) => {
  t.same(await collect([]), [])
  t.same(await collect(['\n', ' \r\n', '\t']), [])
})
