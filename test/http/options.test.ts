import { PassThrough } from 'node:stream'
import { test } from 'tap'
import { loadConfig } from '../../src/config.ts'
import { fastifyOptions, logFormat, prettyStream } from '../../src/http/options.ts'

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
