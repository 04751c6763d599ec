import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ArticleListQuery, ArticleReadQuery, ArticleCreateSchema, ArticlePatchSchema } from '../../../../domain/shapes/articles.ts'
import { MediaAttachBody } from '../../../../domain/shapes/media.ts'
import { IdParams, IdOrSlugParams, problems, ref, security, noContent } from '../../../schemas/common.ts'
import { commaSet, listOf, project, sendList, urlFor, viewerOf } from '../../helpers.ts'
import { forbidden } from '../../../problems.ts'

const tags = ['articles']
const IfMatch = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 1000, description: 'The version ("7") or the ETag of the article as you last read it' }))
})
const DeleteQuery = Type.Object({
  permanent: Type.Optional(Type.Boolean({ default: false, description: 'Delete for good instead of moving to the trash (admin)' }))
}, { additionalProperties: false })
const AttachedList = { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'array', items: ref('AttachedMedia') } } }
const AttachedListWithEtag = {
  ...AttachedList,
  description: 'The media now attached',
  headers: { etag: { type: 'string', description: 'The article\'s new version ("8"), as PATCH sends it: the If-Match of the next change' } }
}

export default async function articleRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { articles, articleQueries } = app.services
  const editor = app.requireRole('editor')

  app.get('/', {
    schema: {
      summary: 'List articles, newest first',
      description: 'Without a key: published articles only. With a key: every article not in the trash, or those of `status`.',
      tags,
      operationId: 'listArticles',
      security: security.optional,
      querystring: ArticleListQuery,
      response: { 200: listOf('ArticleSummary') }
    }
  }, async (request, reply) => {
    const q = request.query
    const fields = commaSet(q.fields)
    const result = await articleQueries.list(q, viewerOf(request), fields.has('body'))
    await articleQueries.addIncludes(result.data, commaSet(q.include))
    return sendList(request, reply, project(reply, result.data, q.fields), result.nextCursor, result.total)
  })

  app.get('/:idOrSlug', {
    schema: {
      summary: 'Read one article by id or slug',
      tags,
      operationId: 'getArticle',
      security: security.optional,
      params: IdOrSlugParams,
      querystring: ArticleReadQuery,
      response: { 200: ref('Article'), 304: noContent('Not modified (If-None-Match)'), ...problems(301, 404) }
    }
  }, async (request, reply) => {
    const article = await articleQueries.get(request.params.idOrSlug, viewerOf(request), commaSet(request.query.include))
    reply.etagPrefix = `${article.version}-`
    reply.header('last-modified', new Date(article.updatedAt).toUTCString())
    return project(reply, [article], request.query.fields)[0]
  })

  app.post('/', {
    onRequest: editor,
    schema: {
      summary: 'Create an article',
      description: 'A missing slug is made from the title, Arabic letters kept. The body is sanitized HTML.',
      tags,
      operationId: 'createArticle',
      security: security.required,
      body: ref(ArticleCreateSchema),
      response: { 201: ref('Article'), ...problems(403, 409) }
    }
  }, async (request, reply) => {
    const article = await articles.create(request.body)
    reply.code(201).header('location', urlFor(request, `/v1/articles/${article.id}`))
    reply.header('etag', `"${article.version}"`)
    return article
  })

  app.patch('/:id', {
    onRequest: editor,
    schema: {
      summary: 'Change some fields of an article',
      description: 'Send `If-Match` with the version or ETag you read to get 412 instead of overwriting someone else\'s change.',
      tags,
      operationId: 'updateArticle',
      security: security.required,
      params: IdParams,
      headers: IfMatch,
      body: ref(ArticlePatchSchema),
      response: { 200: ref('Article'), ...problems(403, 404, 409, 412) }
    }
  }, async (request, reply) => {
    const article = await articles.update(request.params.id, request.body, request.headers['if-match'])
    reply.header('etag', `"${article.version}"`)
    return article
  })

  app.delete('/:id', {
    onRequest: editor,
    schema: {
      summary: 'Move an article to the trash, or delete it for good',
      tags,
      operationId: 'deleteArticle',
      security: security.required,
      params: IdParams,
      querystring: DeleteQuery,
      response: { 204: noContent('Done'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    if (request.query.permanent === true) {
      if (request.principal?.role !== 'admin') throw forbidden('Permanent deletion needs an admin key')
      await articles.deletePermanently(request.params.id)
    } else {
      await articles.trash(request.params.id)
    }
    return await reply.code(204).send()
  })

  app.post('/:id/restore', {
    onRequest: editor,
    schema: {
      summary: 'Bring an article back from the trash',
      tags,
      operationId: 'restoreArticle',
      security: security.required,
      params: IdParams,
      response: { 200: ref('Article'), ...problems(403, 404, 409) }
    }
  }, async (request) => articles.restore(request.params.id))

  app.get('/:idOrSlug/media', {
    schema: {
      summary: 'The media attached to an article, in order',
      tags,
      operationId: 'listArticleMedia',
      security: security.optional,
      params: IdOrSlugParams,
      response: { 200: AttachedList, ...problems(301, 404) }
    }
  }, async (request) => ({ data: await articles.listMedia(request.params.idOrSlug, viewerOf(request)) }))

  app.put('/:id/media', {
    onRequest: editor,
    schema: {
      summary: 'Attach media to an article, replacing the list',
      tags,
      operationId: 'setArticleMedia',
      security: security.required,
      params: IdParams,
      body: ref(MediaAttachBody),
      response: { 200: AttachedListWithEtag, ...problems(403, 404) }
    }
  }, async (request, reply) => {
    const { media, version } = await articles.setMedia(request.params.id, request.body)
    // Attaching makes a new version: its ETag, as PATCH sends it, is the next If-Match.
    reply.header('etag', `"${version}"`)
    return { data: media }
  })
}
