import { readFileSync } from 'node:fs'
import { test } from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { generateOpenApi } from '../src/openapi.ts'
import { build } from './helper.ts'

const committedPath = new URL('../openapi/openapi.json', import.meta.url)

test('the committed openapi/openapi.json is what the server generates (run `npm run openapi`)', async (t) => {
  const committed = readFileSync(committedPath, 'utf8')
  t.equal(committed, await generateOpenApi())
})

test('the document served at /openapi.json is the committed one', async (t) => {
  const app = await build(t)
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  t.same(res.json(), JSON.parse(readFileSync(committedPath, 'utf8')))
})

test('the document is valid OpenAPI 3.1', async (t) => {
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  t.equal(doc.openapi, '3.1.0')
  await t.resolves(SwaggerParser.validate(structuredClone(doc)))
})

test('every operation has a summary, tags, an operationId and typed responses', async (t) => {
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  const ids = new Set<string>()
  let operations = 0
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      operations++
      const where = `${method.toUpperCase()} ${path}`
      t.ok(typeof op.summary === 'string' && op.summary.length > 0, `${where} has a summary`)
      t.ok(Array.isArray(op.tags) && op.tags.length > 0, `${where} has tags`)
      t.ok(typeof op.operationId === 'string', `${where} has an operationId`)
      t.notOk(ids.has(op.operationId), `${where} operationId is unique`)
      ids.add(op.operationId)
      t.ok(op.responses['500'] !== undefined || path === '/health' || path === '/ready', `${where} documents 500`)
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (status === '204' || status === '304') continue
        if (status === '301') {
          t.same(response.content, undefined, `${where} 301 has no body`)
          t.equal(response.headers?.Location?.schema?.type, 'string', `${where} 301 documents Location`)
          continue
        }
        const content = response.content ?? {}
        const schemas = Object.values<any>(content).map(c => c.schema)
        t.ok(schemas.length > 0 && schemas.every(s => s !== undefined), `${where} ${status} has a schema`)
        if (Number(status) >= 400) t.ok(content['application/problem+json'] !== undefined, `${where} ${status} is problem+json`)
      }
      if (op.requestBody !== undefined) {
        // JSON bodies, and the NDJSON stream of POST /v1/import.
        const body = op.requestBody.content['application/json'] ?? op.requestBody.content['application/x-ndjson']
        t.ok(body?.schema !== undefined, `${where} has a body schema`)
      }
    }
  }
  t.ok(operations >= 25, `${operations} operations`)
})

test('shared shapes are components referenced by $ref, and the bearer scheme is declared', async (t) => {
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  for (const name of ['Article', 'ArticleSummary', 'ArticleCreate', 'ArticlePatch', 'Category', 'Tag', 'Media', 'Problem', 'ApiKey', 'ApiKeyCreated']) {
    t.ok(doc.components.schemas[name] !== undefined, `components.schemas.${name}`)
  }
  t.same(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: 'An API key (khb_...)' })
  const text = JSON.stringify(doc.paths)
  t.match(text, /"\$ref":"#\/components\/schemas\/Article"/)
  t.match(text, /"\$ref":"#\/components\/schemas\/Problem"/)
})
