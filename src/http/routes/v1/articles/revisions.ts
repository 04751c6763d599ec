import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CursorQuery, Id, LimitQuery, problems, ref, security } from '../../../schemas/common.ts'
import { listOf, sendList, type Defaulted } from '../../helpers.ts'

const tags = ['articles']
const RevisionParams = Type.Object({ id: Id, revision: Id }, { additionalProperties: false })
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 1000 })) })

// Earlier versions of an article (editors): read them, and make one current again.
export default async function revisionRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { articles, revisions, articleQueries } = app.services
  const editor = app.requireRole('editor')

  app.get('/:id/revisions', {
    onRequest: editor,
    schema: {
      summary: 'Earlier versions of an article, newest first',
      description: 'The versions an article had before its current one, newest first, without their bodies. How many are kept is REVISIONS_KEEP.',
      tags,
      operationId: 'listArticleRevisions',
      security: security.required,
      params: Type.Object({ id: Id }, { additionalProperties: false }),
      querystring: Type.Object({ limit: Type.Optional(LimitQuery), cursor: Type.Optional(CursorQuery) }, { additionalProperties: false }),
      response: { 200: listOf('RevisionSummary'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    const article = await articleQueries.get(String(request.params.id), { editor: true })
    const q = request.query as Defaulted<typeof request.query, 'limit'>
    const page = await revisions.list(article.id, q.limit, q.cursor)
    return sendList(request, reply, page.data, page.nextCursor)
  })

  app.get('/:id/revisions/:revision', {
    onRequest: editor,
    schema: {
      summary: 'One earlier version of an article, whole',
      description: 'One earlier version of an article, with every field as it was then.',
      tags,
      operationId: 'getArticleRevision',
      security: security.required,
      params: RevisionParams,
      response: { 200: ref('Revision'), ...problems(403, 404) }
    }
  }, async (request) => revisions.get(request.params.id, request.params.revision))

  app.post('/:id/revisions/:revision/restore', {
    onRequest: editor,
    schema: {
      summary: 'Make an earlier version current again, as a new version',
      description: 'The current state is kept as a revision first, so a restore can itself be undone. ' +
        'The old slug comes back only while no other article holds it; media attachments are not part of revisions.',
      tags,
      operationId: 'restoreArticleRevision',
      security: security.required,
      params: RevisionParams,
      headers: IfMatch,
      response: { 200: ref('Article'), ...problems(403, 404, 409, 412) }
    }
  }, async (request) => articles.restoreRevision(request.params.id, request.params.revision, request.headers['if-match']))
}
