import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from 'tap'
import { tempDir } from './support/temp-dir.ts'

// Two outside linters, with the rules a frontend's tooling applies: Redocly's
// `recommended` (redocly.yaml) and Spectral's `spectral:oas` (.spectral.yaml). The
// committed document is the served one (test/openapi.test.ts), so this lints both.
const root = new URL('..', import.meta.url).pathname
const committed = join(root, 'openapi/openapi.json')
const run = promisify(execFile)

interface Problem { tool: string, rule: string, where: string, message: string }

async function lint (file: string): Promise<Problem[]> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
  const options = { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }
  // Both exit non-zero when they find errors; their JSON report says what either way.
  const output = async (command: string, args: string[]): Promise<string> => {
    try {
      return (await run(command, args, options)).stdout
    } catch (err) {
      return (err as { stdout?: string }).stdout ?? ''
    }
  }
  const bin = (name: string): string => join(root, 'node_modules/.bin', name)
  const redocly = JSON.parse(await output(bin('redocly'), ['lint', file, '--format=json'])) as { problems: Array<{ ruleId: string, message: string, location: Array<{ pointer: string }> }> }
  const spectral = JSON.parse(await output(bin('spectral'), ['lint', file, '--format=json', '--ruleset', join(root, '.spectral.yaml')]).then(s => s.slice(0, s.lastIndexOf(']') + 1) || '[]')) as Array<{ code: string, message: string, path: string[] }>
  return [
    ...redocly.problems.map(p => ({ tool: 'redocly', rule: p.ruleId, where: p.location[0]?.pointer ?? '', message: p.message })),
    ...spectral.map(p => ({ tool: 'spectral', rule: p.code, where: p.path.join('.'), message: p.message }))
  ]
}

test('Redocly (recommended) and Spectral (spectral:oas) find no error and no warning in the document', async (t) => {
  t.same(await lint(committed), [])
})

test('the linters do find what they look for (the test above can fail)', async (t) => {
  const doc = JSON.parse(readFileSync(committed, 'utf8'))
  delete doc.servers
  delete doc.info.license
  const first = Object.values<Record<string, { description?: string }>>(doc.paths)[0]
  delete Object.values(first)[0].description
  const file = join(tempDir(t), 'broken.json')
  writeFileSync(file, JSON.stringify(doc))
  const rules = new Set((await lint(file)).map(p => `${p.tool}:${p.rule}`))
  for (const rule of ['redocly:no-empty-servers', 'redocly:info-license', 'spectral:oas3-api-servers', 'spectral:operation-description']) {
    t.ok(rules.has(rule), `${rule} reported`)
  }
})
