import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'
import type { TSchema } from 'typebox'
import { shapeSchemas } from './index.ts'

// ajv-formats is CommonJS: its default export is the plugin itself.
const addFormats = formats as unknown as typeof formats.default

// How every input is checked, over HTTP and in an import alike: unknown fields are
// refused, never dropped silently; defaults are filled in; all errors are reported.
export const VALIDATION_OPTIONS = {
  removeAdditional: false as const,
  useDefaults: true,
  allErrors: true,
  coerceTypes: 'array' as const
}

// A validator for one shape, with every shape it may reference, without coercion (a
// JSON value must already have the right type): what an import line is checked with.
export function compileShape<T> (schema: TSchema): (data: unknown) => { value: T } | { errors: Array<{ path: string, message: string }> } {
  const ajv = new Ajv({ ...VALIDATION_OPTIONS, coerceTypes: false, addUsedSchema: false, strict: false })
  addFormats(ajv)
  for (const shape of shapeSchemas) ajv.addSchema(shape)
  const validate: ValidateFunction = ajv.compile(schema)
  return (data) => validate(data)
    ? { value: data as T }
    // ajv sets errors, each with a message, whenever it returns false.
    : { errors: (validate.errors as ErrorObject[]).map(e => ({ path: pointer(e), message: e.message as string })) }
}

// A required or unknown property points at itself rather than at its parent.
export function pointer (e: { instancePath: string, params: Record<string, unknown> }): string {
  const name = e.params.missingProperty ?? e.params.additionalProperty
  return `${e.instancePath}${typeof name === 'string' ? `/${name}` : ''}`
}
