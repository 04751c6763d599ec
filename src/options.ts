import { randomUUID } from 'node:crypto'
import type { FastifyServerOptions } from 'fastify'
import { AjvCompiler } from '@fastify/ajv-compiler'
import type { Config } from './config.ts'

export const BODY_LIMIT = 1024 * 1024

const ajvCustomOptions = {
  // Unknown fields are refused, never dropped silently.
  removeAdditional: false as const,
  useDefaults: true,
  allErrors: true,
  coerceTypes: 'array' as const
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null }

// Ajv coerces "1e400" to Infinity and then skips minimum and maximum (they only look at
// finite numbers): a coerced query or path value must be finite as well as valid.
function finiteOnly (validate: Validate): Validate {
  const check: Validate = (data) => {
    if (!validate(data)) {
      check.errors = validate.errors
      return false
    }
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        check.errors = [{ instancePath: `/${key}`, keyword: 'type', params: {}, schemaPath: '', message: 'must be a finite number' }]
        return false
      }
    }
    check.errors = null
    return true
  }
  return check
}

// Query strings and path parameters arrive as text and must be coerced; a JSON body
// must not be: `"5"` where a number belongs is a wrong type, not a number.
function buildValidator (externalSchemas: unknown, options: any): any {
  const factory = AjvCompiler()
  const coercing = factory(externalSchemas as any, options)
  const strict = factory(externalSchemas as any, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } })
  return (route: { httpPart?: string }) => route.httpPart === 'body' ? strict(route as any) : finiteOnly(coercing(route as any))
}

// The one set of Fastify options: the server and the tests build the app with it.
export function fastifyOptions (config: Config): FastifyServerOptions {
  return {
    logger: config.LOG_LEVEL === 'silent'
      ? false
      : { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    trustProxy: config.TRUST_PROXY,
    routerOptions: {
      // Slugs are at most 80 letters, each up to 6 bytes percent-encoded in the URL.
      maxParamLength: 600,
      ignoreTrailingSlash: true
    },
    ajv: { customOptions: ajvCustomOptions },
    schemaController: { compilersFactory: { buildValidator } }
  }
}
