import { readFileSync } from 'node:fs'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ValidateFunction } from 'ajv'

// Does an answer match the OpenAPI document? Every response a test gets through
// build()'s inject is checked (test/helper.ts): its status must be documented for the
// operation, its content type among those documented, its body valid against the
// documented schema (no body where none is documented), and the documented headers it
// carries of the documented type. Requests to paths the document does not name (Swagger
// UI, the document itself, deliberate 404s) are not checked.

type Json = Record<string, any>

const document: Json = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
const DOC_ID = 'khabar:openapi'

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
addFormats.default(ajv)
ajv.addSchema({ ...document, $id: DOC_ID })

interface Route { pattern: RegExp, literals: number, template: string, item: Json }

const routes: Route[] = Object.entries<Json>(document.paths).map(([template, item]) => {
  const segments = template.split('/')
  return {
    template,
    item,
    literals: segments.filter(s => !s.startsWith('{')).length,
    pattern: new RegExp(`^${segments.map(s => s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')}$`)
  }
}).sort((a, b) => b.literals - a.literals)

const escape = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1')
const validators = new Map<string, ValidateFunction>()
function validatorAt (pointer: string[]): ValidateFunction {
  const ref = `${DOC_ID}#/${pointer.map(escape).join('/')}`
  let validate = validators.get(ref)
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref })
    validators.set(ref, validate)
  }
  return validate
}

export interface Answer {
  method: string
  url: string
  statusCode: number
  headers: Record<string, unknown>
  rawPayload: Buffer
}

function decoded (answer: Answer): string {
  const encoding = answer.headers['content-encoding']
  if (encoding === 'br') return brotliDecompressSync(answer.rawPayload).toString('utf8')
  if (encoding === 'gzip') return gunzipSync(answer.rawPayload).toString('utf8')
  return answer.rawPayload.toString('utf8')
}

// What does not match, as sentences; empty when the answer conforms or is not documented.
export function nonConformance (answer: Answer): string[] {
  const method = answer.method.toLowerCase()
  // The router ignores one trailing slash (ignoreTrailingSlash), not two.
  const path = answer.url.split('?')[0].replace(/(.)\/$/, '$1')
  const route = routes.find(r => r.pattern.test(path))
  const operation = route?.item[method === 'head' ? 'get' : method]
  if (route === undefined || operation === undefined) return []
  const where = `${answer.method} ${answer.url} → ${answer.statusCode}`
  const status = String(answer.statusCode)
  const response: Json | undefined = operation.responses[status] ?? operation.responses.default
  if (response === undefined) return [`${where}: status not documented for ${method.toUpperCase()} ${route.template}`]
  const problems: string[] = []
  const base = ['paths', route.template, method === 'head' ? 'get' : method, 'responses', operation.responses[status] === undefined ? 'default' : status]

  for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
    const value = answer.headers[name.toLowerCase()]
    if (value === undefined) continue
    const schema = header.$ref === undefined ? header.schema : document.components.headers[header.$ref.split('/').pop()].schema
    const typed = schema?.type === 'integer' ? Number(value) : value
    const validate = ajv.compile(schema ?? {})
    if (!validate(typed)) problems.push(`${where}: header ${name} "${String(value)}" ${ajv.errorsText(validate.errors)}`)
  }

  const body = method === 'head' ? '' : decoded(answer)
  if (response.content === undefined) {
    if (body !== '') problems.push(`${where}: a body where the document has none: ${body.slice(0, 200)}`)
    return problems
  }
  if (method === 'head') return problems
  const type = String(answer.headers['content-type'] ?? '').split(';')[0].trim()
  if (response.content[type] === undefined) {
    problems.push(`${where}: content type "${type}" is not one of ${Object.keys(response.content).join(', ')}`)
    return problems
  }
  if (type.endsWith('ndjson')) return problems
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch {
    problems.push(`${where}: the body is not JSON: ${body.slice(0, 200)}`)
    return problems
  }
  const validate = validatorAt([...base, 'content', type, 'schema'])
  if (!validate(data)) {
    problems.push(`${where}: the body does not match the document: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}; body: ${body.slice(0, 300)}`)
  }
  return problems
}
