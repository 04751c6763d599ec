import { PassThrough } from 'node:stream'
import { test } from 'tap'
import { loadConfig } from '../../src/config.ts'
import { clientErrorHandler, fastifyOptions, logFormat, prettyStream } from '../../src/http/options.ts'

test('logs are words on a terminal, JSON otherwise, unless LOG_FORMAT says which', async (t) => {
  const cases: Array<[string, boolean, 'json' | 'pretty']> = [
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['json', true, 'json'],
    ['json', false, 'json'],
    ['pretty', true, 'pretty'],
    ['pretty', false, 'pretty']
  ]
  for (const [format, isTTY, expected] of cases) {
    t.equal(logFormat(loadConfig({ LOG_FORMAT: format }), isTTY), expected, `LOG_FORMAT=${format}, ${isTTY ? 'a terminal' : 'no terminal'}`)
  }
})

test('fastifyOptions: a pretty stream only for a terminal, the same redaction either way', async (t) => {
  const logger = (env: Record<string, string>, output?: { isTTY?: boolean }): any => fastifyOptions(loadConfig(env), output).logger
  t.notOk('stream' in logger({}), 'JSON to standard output by default (the tests, the OpenAPI writer)')
  t.notOk('stream' in logger({}, { isTTY: false }))
  t.notOk('stream' in logger({ LOG_FORMAT: 'json' }, { isTTY: true }))
  const pretty = logger({}, { isTTY: true })
  t.equal(typeof pretty.stream.write, 'function', 'a terminal gets pino-pretty')
  t.same(pretty.redact, ['req.headers.authorization'])
  t.equal(pretty.level, 'info')
  t.equal(logger({ LOG_LEVEL: 'silent' }, { isTTY: true }), false, 'silent is no logger at all')
})

test('prettyStream writes a log line in words', async (t) => {
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk) => { text += String(chunk) })
  const stream = prettyStream(out)
  stream.write(JSON.stringify({ level: 30, time: Date.parse('2026-11-26T12:00:00Z'), pid: 42, hostname: 'news-1', msg: 'Swagger UI: http://127.0.0.1:3000/docs', reqId: 'r1' }) + '\n')
  await new Promise(resolve => setImmediate(resolve))
  t.match(text, /INFO.*Swagger UI: http:\/\/127\.0\.0\.1:3000\/docs/)
  t.match(text, /reqId.*r1/, 'other fields on the same line')
  t.notMatch(text, /news-1|"pid"/, 'no pid or hostname')
  t.notMatch(text, /^\{/, 'not JSON')
  t.equal(text.trimEnd().split('\n').length, 1, 'one line')
})

test('clientErrorHandler: answers what it can, leaves alone what is gone', async (t) => {
  const logged: unknown[] = []
  const fastify = { log: { info: (fields: unknown) => logged.push(fields) } } as any
  const socket = (state: { destroyed?: boolean, writable?: boolean }): any => {
    const seen = { written: '', destroyed: false }
    return {
      seen,
      destroyed: state.destroyed ?? false,
      writable: state.writable ?? true,
      write: (text: string) => { seen.written += text },
      destroy: () => { seen.destroyed = true }
    }
  }
  const reset = socket({})
  clientErrorHandler.call(fastify, Object.assign(new Error('reset'), { code: 'ECONNRESET' }), reset)
  t.same(reset.seen, { written: '', destroyed: false }, 'a reset connection: nothing to answer')
  const gone = socket({ destroyed: true })
  clientErrorHandler.call(fastify, Object.assign(new Error('x'), { code: 'HPE_INVALID_URL' }), gone)
  t.same(gone.seen, { written: '', destroyed: false }, 'a destroyed socket: nothing to answer')
  const closing = socket({ writable: false })
  clientErrorHandler.call(fastify, Object.assign(new Error('x'), { code: 'HPE_INVALID_URL' }), closing)
  t.same(closing.seen, { written: '', destroyed: true }, 'a socket that cannot be written is closed')
  const plain = socket({})
  clientErrorHandler.call(fastify, new Error('no code at all'), plain)
  t.match(plain.seen.written, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(plain.seen.written, /"detail":"The request is not valid HTTP\/1\.1"/)
  t.ok(plain.seen.destroyed)
  const slow = socket({})
  clientErrorHandler.call(fastify, Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), slow)
  t.match(slow.seen.written, /^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*urn:khabar:problem:request-timeout/)
  t.equal(logged.length, 3, 'every refusal answered is logged')
})
