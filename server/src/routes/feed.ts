import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { ChangesPage, ChangesQuery, SearchQuery, SearchResult } from '../../../src/shared/protocol'
import { readChanges } from '../repositories/changes'
import { searchMessages } from '../repositories/search'

export const feedRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/changes',
    {
      schema: {
        tags: ['sync'],
        description:
          'Everything the caller may see that changed after the cursor, oldest first. Apply `removedThreadIds` first, then upsert by id keeping the higher seq. Initial sync is the same pull from 0.',
        querystring: ChangesQuery,
        response: { 200: ChangesPage },
      },
      // The page is built field by field from typed rows (repositories/entities.ts), so checking
      // it against ChangesPage again on the way out bought nothing but time: zod's encode took
      // 29 ms of a 2000-message page, four times JSON.stringify itself. The schema still
      // documents the answer, and the engine still parses what it receives with it.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) =>
      readChanges(app.db, request.caller, request.query.after, request.query.limit),
  )

  r.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        description:
          'Words, "phrases", prefix*, from:, project:, before:YYYY-MM-DD, after:YYYY-MM-DD, has:attachment, is:unread, is:urgent. Any input is safe; empty input finds nothing.',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => ({
      hits: await searchMessages(app.db, request.caller, request.query.q, request.query.limit),
    }),
  )
}
