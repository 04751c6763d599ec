import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ArticleListQuery, ArticleReadQuery, ArticleCreateSchema, ArticlePatchSchema } from '../../../../domain/shapes/articles.ts'
import { MediaAttachBody } from '../../../../domain/shapes/media.ts'
import { IdParams, IdOrSlugParams, IdAtSlugParams, problems, ref, security, noContent } from '../../../schemas/common.ts'
import { withHeaders } from '../../../schemas/headers.ts'
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
// Attaching makes a new version of the article: its ETag is the next change's If-Match.
const AttachedListWithEtag = withHeaders({ ...AttachedList, description: 'The media now attached' }, 'ETag')

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
      description: 'Without a key: published articles only (a draft, a scheduled or a trashed article is a 404). A slug the article had before answers 301 to its current URL. `include=category,media` adds those; `fields=` cuts the answer down to the fields named (and `id`). The ETag starts with the article\'s version, so it also serves as If-Match on a PATCH.',
      tags,
      operationId: 'getArticle',
      security: security.optional,
      params: IdOrSlugParams,
      querystring: ArticleReadQuery,
      response: { 200: withHeaders(ref('Article'), 'Last-Modified'), ...problems(301, 404) }
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
      response: { 201: withHeaders(ref('Article'), 'ETag'), ...problems(403, 409) }
    }
  }, async (request, reply) => {
    const article = await articles.create(request.body)
    reply.code(201).header('location', urlFor(request, `/v1/articles/${article.id}`))
    reply.header('etag', `"${article.version}"`)
    return article
  })

  app.patch('/:idOrSlug', {
    onRequest: editor,
    schema: {
      summary: 'Change some fields of an article',
      description: 'Send `If-Match` with the version or ETag you read to get 412 instead of overwriting someone else\'s change.',
      tags,
      operationId: 'updateArticle',
      security: security.required,
      params: IdAtSlugParams,
      headers: IfMatch,
      body: ref(ArticlePatchSchema),
      response: { 200: withHeaders(ref('Article'), 'ETag'), ...problems(403, 404, 409, 412) }
    }
  }, async (request, reply) => {
    const article = await articles.update(request.params.idOrSlug, request.body, request.headers['if-match'])
    reply.header('etag', `"${article.version}"`)
    return article
  })

  app.delete('/:idOrSlug', {
    onRequest: editor,
    schema: {
      summary: 'Move an article to the trash, or delete it for good',
      description: 'By default the article moves to the trash: it disappears from every public read and can be brought back with POST .../restore. `permanent=true` (admin key) deletes it, its revisions, view counts and old slugs for good.',
      tags,
      operationId: 'deleteArticle',
      security: security.required,
      params: IdAtSlugParams,
      querystring: DeleteQuery,
      response: { 204: noContent('Done'), ...problems(403, 404) }
    }
  }, async (request, reply) => {
    if (request.query.permanent === true) {
      if (request.principal?.role !== 'admin') throw forbidden('Permanent deletion needs an admin key')
      await articles.deletePermanently(request.params.idOrSlug)
    } else {
      await articles.trash(request.params.idOrSlug)
    }
    return await reply.code(204).send()
  })

  app.post('/:id/restore', {
    onRequest: editor,
    schema: {
      summary: 'Bring an article back from the trash',
      description: 'Brings a trashed article back with the status it had; 409 when it is not in the trash.',
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
      description: 'The media attached to a published article (any article, with a key), in the order of `position`, each with its role (featured, inline, gallery).',
      tags,
      operationId: 'listArticleMedia',
      security: security.optional,
      params: IdOrSlugParams,
      response: { 200: AttachedList, ...problems(301, 404) }
    }
  }, async (request) => ({ data: await articles.listMedia(request.params.idOrSlug, viewerOf(request)) }))

  app.put('/:idOrSlug/media', {
    onRequest: editor,
    schema: {
      summary: 'Attach media to an article, replacing the list',
      description: 'Replaces the whole list of attached media with the one sent, in one change. The article\'s version goes up: the answer\'s ETag is the new one, to send as If-Match on the next PATCH.',
      tags,
      operationId: 'setArticleMedia',
      security: security.required,
      params: IdAtSlugParams,
      body: ref(MediaAttachBody),
      response: { 200: AttachedListWithEtag, ...problems(403, 404) }
    }
  }, async (request, reply) => {
    const { media, version } = await articles.setMedia(request.params.idOrSlug, request.body)
    // Attaching makes a new version: its ETag, as PATCH sends it, is the next If-Match.
    reply.header('etag', `"${version}"`)
    return { data: media }
  })
}
