import type { FastifyPluginAsync } from 'fastify'
import { routes } from '../../../src/shared/protocol/routes'
import { readChanges } from '../repositories/changes'
import { searchMessages } from '../repositories/search'
import { route } from './route'

export const feedRoutes: FastifyPluginAsync = async (app) => {
  route(
    app,
    routes.changes,
    {
      tags: ['sync'],
      description:
        'Everything the caller may see that changed after the cursor, oldest first. Apply `removedThreadIds` first, then upsert by id keeping the higher seq. Initial sync is the same pull from 0.',
      // The page is built field by field from typed rows (repositories/entities.ts), so checking
      // it against ChangesPage again on the way out bought nothing but time: zod's encode took
      // 29 ms of a 2000-message page, four times JSON.stringify itself. The schema still
      // documents the answer, and the engine still parses what it receives with it.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) =>
      readChanges(app.db, request.caller, request.query.after, request.query.limit),
  )

  route(
    app,
    routes.search,
    {
      tags: ['search'],
      description:
        'Words, "phrases", prefix*, from:, project:, before:YYYY-MM-DD, after:YYYY-MM-DD, has:attachment, is:unread, is:urgent. Any input is safe; empty input finds nothing.',
    },
    async (request) => ({
      hits: await searchMessages(app.db, request.caller, request.query.q, request.query.limit),
    }),
  )
}
