import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import ts from 'typescript'
import openapiTS, { astToString } from 'openapi-typescript'

// The README's typed client, as a frontend developer would use it: types generated from
// the committed document by openapi-typescript, calls made with openapi-fetch, checked
// by tsc --strict. A document change that breaks the example (a renamed parameter, an
// undocumented header, a 304 no longer there) fails here.
const root = new URL('..', import.meta.url).pathname

function readmeClient (): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### A typed client'))
  const match = /```ts\n([\s\S]*?)```/.exec(section)
  if (match === null) throw new Error('README: no ```ts block under "A typed client"')
  return match[1]
}

test('the README\'s openapi-fetch client compiles, strict, against types generated from the document', async (t) => {
  // Under node_modules, so `openapi-fetch` resolves as it would in the reader's project.
  const dir = join(root, 'node_modules/.cache/khabar-readme-client')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const document = JSON.parse(readFileSync(join(root, 'openapi/openapi.json'), 'utf8'))
  writeFileSync(join(dir, 'khabar.d.ts'), astToString(await openapiTS(document)))
  const code = readmeClient()
  t.match(code, /response\.status === 304/, 'the example handles 304')
  writeFileSync(join(dir, 'client.ts'), `${code}\nexport {}\n`)
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  const program = ts.createProgram([join(dir, 'client.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    skipLibCheck: false
  })
  const problems = ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  t.same(problems, [], 'tsc --strict finds nothing')

  // And the check can fail: a path parameter the document does not have is an error.
  writeFileSync(join(dir, 'client.ts'), `${code.replace("path: { idOrSlug: 'khabar-jadid' }", "path: { slug: 'khabar-jadid' }")}\nexport {}\n`)
  const broken = ts.createProgram([join(dir, 'client.ts')], program.getCompilerOptions())
  t.ok(ts.getPreEmitDiagnostics(broken).length > 0, 'a wrong parameter name does not compile')
})
