import type { FastifyPluginAsync } from 'fastify'
import { routes } from '../../../src/shared/protocol/routes'
import { route } from './route'

/** The person's own delivery log and test mail (Settings → Email alerts). */
export const mailLogRoutes: FastifyPluginAsync = async (app) => {
  route(
    app,
    routes.myMail,
    {
      tags: ['me'],
      description:
        'The mail sent to me, newest first, each with what became of it: queued, retrying, sent, failed (with the mail server’s reason) or bounced.',
    },
    async (request) => ({ mail: await app.mailLog.mine(request.caller, request.query.limit) }),
  )

  route(
    app,
    routes.sendTestMail,
    {
      tags: ['me'],
      description:
        'Sends me a test mail now; the delivery log shows what becomes of it. At most 5 an hour.',
      errors: [429],
    },
    async (request) => app.commit(app.mailLog.sendTest(request.caller)),
  )
}
