import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ImportQuery, ExportQuery } from '../../../domain/shapes/transfer.ts'
import { problems, ref, security } from '../../schemas/common.ts'
import { HttpProblem } from '../../problems.ts'
import { toMs } from '../../../domain/articles/article-rows.ts'

const tags = ['import']
export const NDJSON = 'application/x-ndjson'

const EXAMPLE = [
  { externalId: 'wp-101', title: 'افتتاح معرض الكتاب في دمشق', body: '<p>افتتح معرض الكتاب أبوابه اليوم.</p>', status: 'published', category: 'ثقافة', tags: ['معرض الكتاب'] },
  { externalId: 'wp-102', title: 'تقرير مصور من حلب', status: 'draft', media: [{ url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', role: 'featured' }] }
].map(line => JSON.stringify(line)).join('\n') + '\n'

// Bulk import and export as NDJSON, one article a line (see ArticleImport).
export default async function transferRoutes (fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { imports: importer, exports: exporter } = app.services
  const editor = app.requireRole('editor')

  // In this plugin only: the body is NDJSON and is handed to the route unread, as the
  // raw stream, which the import reads a line at a time. JSON bodies are a 415 here.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(NDJSON, (_request, payload, done) => { done(null, payload) })

  app.post('/import', {
    onRequest: editor,
    // The body streams and is never held whole: no size limit applies to it (a
    // line over 2 MiB is a failed line).
    bodyLimit: Number.MAX_SAFE_INTEGER,
    schema: {
      summary: 'Import articles from NDJSON, creating, updating or skipping each',
      description: 'One ArticleImport object a line, UTF-8 (a BOM and CRLF line ends are fine; empty lines are skipped). ' +
        'An article is found by `externalId`, else by `slug`: it is created, updated (a new version, a revision kept) or left ' +
        'unchanged. Each line is all or nothing and a bad line never stops the others: it is counted in `failed` and listed ' +
        'in `errors` (the first 100). Lines are committed 100 at a time, so a connection lost midway keeps what was ' +
        'committed and no part of any article; sending the same file again completes it. `dryRun=true` checks every line ' +
        'against the database and reports, writing nothing.',
      tags,
      operationId: 'importArticles',
      security: security.required,
      querystring: ImportQuery,
      body: {
        content: {
          [NDJSON]: {
            // The stream itself is not validated here; each line is, against ArticleImport.
            schema: { title: 'ArticleImport NDJSON', description: 'One ArticleImport object (components.schemas.ArticleImport) per line', examples: [EXAMPLE] }
          }
        }
      },
      response: {
        200: ref('ImportResult'),
        ...problems(403),
        415: { description: 'The body is not application/x-ndjson', content: { 'application/problem+json': { schema: ref('Problem') } } }
      }
    }
  }, async (request) => {
    try {
      return await importer.run((request.body ?? []) as AsyncIterable<Uint8Array>, { dryRun: request.query.dryRun })
    } catch (err) {
      // The client went away: the batches committed so far stay, the one being read is dropped.
      if (request.raw.destroyed) throw new HttpProblem(400, 'body-incomplete', 'The request body ended before its end')
      throw err
    }
  })

  app.get('/export', {
    onRequest: editor,
    schema: {
      summary: 'Export every article as NDJSON, in the shape the import takes',
      description: 'Articles not in the trash, by id, one ArticleImport object a line. Importing the result again changes nothing. ' +
        '`since` keeps the articles changed at or after that time, for incremental exports.',
      tags,
      operationId: 'exportArticles',
      security: security.required,
      querystring: ExportQuery,
      response: {
        200: { description: 'One ArticleImport object a line', content: { [NDJSON]: { schema: ref('ArticleImport') } } },
        ...problems(403)
      }
    }
  }, async (request, reply) => {
    const since = request.query.since === undefined ? null : toMs(request.query.since, 'since')
    reply.type(`${NDJSON}; charset=utf-8`)
    return await reply.send(Readable.from(exporter.lines(since)))
  })
}
