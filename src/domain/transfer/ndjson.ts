// Splits a byte stream into NDJSON lines without ever holding more than one line
// (at most maxBytes of it) in memory: a longer line is skipped to its end and
// reported, never buffered.
import { isUtf8 } from 'node:buffer'

export type RawLine =
  | { line: number, bytes: number, text: string }
  | { line: number, bytes: number, error: string }

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>

export async function * ndjsonLines (source: ByteSource, maxBytes: number): AsyncGenerator<RawLine> {
  let parts: Buffer[] = []
  let bytes = 0
  let line = 0

  function finish (): RawLine | undefined {
    line++
    const size = bytes
    const pieces = parts
    parts = []
    bytes = 0
    if (size > maxBytes) return { line, bytes: size, error: `is longer than ${maxBytes} bytes` }
    let buf = Buffer.concat(pieces)
    // A UTF-8 BOM may open the body (files saved by Windows editors); CRLF ends are fine.
    if (line === 1 && buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3)
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, -1)
    // Checked first, then decoded: a line that is not UTF-8 is a bad line, not text with
    // U+FFFD in it (and both native calls are several times faster than a fatal TextDecoder).
    if (!isUtf8(buf)) return { line, bytes: size, error: 'is not valid UTF-8' }
    const text = buf.toString('utf8')
    return text.trim() === '' ? undefined : { line, bytes: size, text }
  }

  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start)
      const end = nl === -1 ? buf.length : nl
      // Past the limit the bytes are only counted.
      if (bytes + end - start <= maxBytes) parts.push(buf.subarray(start, end))
      else parts = []
      bytes += end - start
      if (nl === -1) break
      const done = finish()
      if (done !== undefined) yield done
      start = nl + 1
    }
  }
  // The last line may lack its newline.
  if (bytes > 0) {
    const done = finish()
    if (done !== undefined) yield done
  }
}
