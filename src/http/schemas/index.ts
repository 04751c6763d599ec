import type { FastifyInstance } from 'fastify'
import { shapeSchemas } from '../../domain/shapes/index.ts'
import { ProblemSchema, ListMetaSchema } from './common.ts'

// Shared shapes are registered once and referenced as { $ref: 'Name#' }, so each
// appears once under components.schemas in the OpenAPI document.
export const sharedSchemas = [ProblemSchema, ListMetaSchema, ...shapeSchemas]

export function registerSchemas (app: FastifyInstance): void {
  for (const schema of sharedSchemas) app.addSchema(schema)
}
