import type { FastifyPluginAsync } from 'fastify'
import { routes } from '../../../src/shared/protocol/routes'
import { notFound } from '../errors'
import { route } from './route'

const tags = ['inbound']

/**
 * Replies by email held for review (their sender failed DMARC though the reply address was
 * valid): staff read them and post them after all, through every rule a reply meets, or drop them.
 */
export const heldReplyRoutes: FastifyPluginAsync = async (app) => {
  const inbound = () => {
    if (!app.inbound) throw notFound('Replies by email on this server')
    return app.inbound
  }

  route(
    app,
    routes.heldReplies,
    {
      tags,
      description: 'Replies held for review in conversations I may see.',
      errors: [403, 404],
    },
    async (request) => ({ held: await inbound().held(request.caller) }),
  )

  route(
    app,
    routes.postHeldReply,
    {
      tags,
      description:
        'Posts a held reply as the person its reply address was mailed to, through the rules a reply meets (refused in a mail to them when one says no).',
      errors: [403, 404],
    },
    async (request) => {
      const result = await inbound().release(request.caller, request.params.heldId)
      const { outcome, reason, threadId, messageId } = result
      return { outcome, reason, threadId, messageId }
    },
  )

  route(
    app,
    routes.discardHeldReply,
    { tags, description: 'Drops a held reply; its text is not kept.', errors: [403, 404] },
    async (request) => {
      await inbound().discard(request.caller, request.params.heldId)
      return { ok: true as const }
    },
  )
}
