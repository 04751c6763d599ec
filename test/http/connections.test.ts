import { connect } from 'node:net'
import { test } from 'tap'
import { build, listen } from '../helper.ts'
import { MAX_DRAINED } from '../../src/http/plugins/request-limits.ts'

// What only a real socket shows: Node's HTTP parser and the connection itself.

// Writes raw bytes and reads until the server closes the connection (or `until` is seen).
async function raw (port: number, bytes: Buffer | string, until?: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let text = ''
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8')
      if (until !== undefined && text.includes(until)) socket.end()
    })
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

function parse (answer: string): { status: number, headers: Record<string, string>, body: string } {
  const [head, body] = answer.split('\r\n\r\n', 2)
  const [statusLine, ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map(line => {
    const at = line.indexOf(':')
    return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()]
  }))
  return { status: Number(statusLine.split(' ')[1]), headers, body }
}

test('a raw UTF-8 query or path is a problem+json 400 that says to percent-encode', async (t) => {
  const app = await build(t)
  const port = await listen(app)
  for (const target of ['/v1/articles?category=سياسة', '/v1/articles/خبر-عاجل', '/v1/search?q=\u202Eمرحبا']) {
    const answer = parse(await raw(port, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`, 'utf8')))
    t.equal(answer.status, 400, target)
    t.match(answer.headers['content-type'], /^application\/problem\+json/, target)
    const body = JSON.parse(answer.body)
    t.match(body, { type: 'urn:khabar:problem:bad-request', title: 'Bad Request', status: 400 })
    t.match(body.detail, /percent-encod/)
  }
  // The same query percent-encoded is answered as usual.
  const encoded = await fetch(`http://127.0.0.1:${port}/v1/articles?category=${encodeURIComponent('سياسة')}`)
  t.equal(encoded.status, 200)
})

test('a request that is not HTTP, or whose headers are too large, is a problem+json too', async (t) => {
  const app = await build(t)
  const port = await listen(app)
  const garbage = parse(await raw(port, 'HELLO\r\n\r\n'))
  t.equal(garbage.status, 400)
  t.match(JSON.parse(garbage.body), { type: 'urn:khabar:problem:bad-request', status: 400, detail: /not valid HTTP/ })
  const huge = parse(await raw(port, `GET /v1/articles HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`))
  t.equal(huge.status, 431)
  t.match(JSON.parse(huge.body), { type: 'urn:khabar:problem:headers-too-large', status: 431 })
})

test('a body over the limit is answered 413, and the client, still sending, reads it', async (t) => {
  const app = await build(t)
  const port = await listen(app)
  const body = 'a'.repeat(4_000_000)
  const send = async (): Promise<number | string> => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/tags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${app.editorKey}` },
        body
      })
      const problem = await res.json() as { type: string }
      return problem.type === 'urn:khabar:problem:body-too-large' ? res.status : problem.type
    } catch (err) {
      return String((err as { cause?: { code?: string } }).cause?.code ?? err)
    }
  }
  // One after another on a kept-alive connection, then several at once.
  const answers = [await send(), await send(), await send(), ...await Promise.all([send(), send(), send(), send(), send()])]
  t.same(answers, Array(8).fill(413), 'every client sees the 413, none a network error')
  const tags = await fetch(`http://127.0.0.1:${port}/v1/tags`)
  t.same((await tags.json() as { data: unknown[] }).data, [], 'nothing was created')
})

test('a body answered before it was read is drained only so far: past that the connection is cut', async (t) => {
  const app = await build(t)
  const port = await listen(app)
  const closed = await new Promise<{ answer: string, sent: number }>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    let sent = 0
    socket.on('data', (chunk) => { answer += chunk.toString('utf8') })
    socket.on('error', () => {})
    socket.on('close', () => resolve({ answer, sent }))
    // A chunked body without end: the 413 comes once 1 MiB is read, then the rest is
    // dropped until MAX_DRAINED.
    socket.write(`POST /v1/tags HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${app.editorKey}\r\nTransfer-Encoding: chunked\r\n\r\n`)
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 97), Buffer.from('\r\n')])
    const pump = (): void => {
      while (!socket.destroyed && sent < MAX_DRAINED * 4) {
        sent += 0x10000
        if (!socket.write(chunk)) {
          socket.once('drain', pump)
          return
        }
      }
    }
    pump()
  })
  t.match(closed.answer, /^HTTP\/1\.1 413 /, 'the 413 was sent first')
  t.ok(closed.sent < MAX_DRAINED * 4, `the server closed the connection after about ${MAX_DRAINED} bytes more (${closed.sent} sent)`)
})
