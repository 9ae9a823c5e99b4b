import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { UnsubscribeResult } from '../../../src/shared/protocol'
import { routes } from '../../../src/shared/protocol/routes'
import { errorResponses } from '../responses'
import { assertPortalAccess } from '../repositories/sessions'
import { issueSession, mailLinkLater } from './auth'
import { route } from './route'

/** What asking for a sign-in link answers, whether or not the address has an account. */
const LINK_SENT =
  'If that address has a portal account, we’ve sent it a sign-in link. The link works once, for 15 minutes; check your spam folder if it does not arrive.'

/**
 * Links in mail that work without a session: the one-click unsubscribe mail clients POST to
 * (RFC 8058), and the sign-in link a customer asks for and then opens.
 */
export const portalLinkRoutes: FastifyPluginAsync = async (app) => {
  // A mail client's one-click POST is a form (`List-Unsubscribe=One-Click`), which says nothing
  // the link does not: it is read and set aside. Only here: the rest of the API speaks JSON.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 },
    (_request, _body, done) => done(null, {}),
  )
  app.withTypeProvider<ZodTypeProvider>().post(
    '/unsubscribe/:token',
    {
      schema: {
        tags: ['auth'],
        description:
          'One-click unsubscribe (RFC 8058), the List-Unsubscribe link of a message alert: turns the alerts of the person it was mailed to off. No session: it can only turn alerts off. The portal’s landing page (GET /portal/unsubscribe?token=…) posts here when its button is pressed.',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        params: z.strictObject({ token: z.string().min(20).max(200) }),
        response: { 200: UnsubscribeResult, ...errorResponses(400, 404) },
      },
    },
    async (request) => ({
      ok: true as const,
      ...(await app.portalLinks.unsubscribe(request.params.token)),
    }),
  )

  route(
    app,
    routes.signInLink,
    {
      tags: ['auth'],
      description:
        'Mails a one-time sign-in link (valid 15 minutes) to a customer or subcontractor with portal access; it opens the conversation named, if any. Answers the same whether or not the email has an account.',
      errors: [400, 429],
    },
    async (request) => {
      const { email, threadId, fileId } = request.body
      await mailLinkLater(request, {
        what: 'a sign-in link',
        allowed: () => app.signInLimiter.signInLinkRequested(email, request.ip),
        queue: () => app.portalLinks.requestSignInLink(email, { threadId, fileId }),
      })
      return { ok: true as const, message: LINK_SENT }
    },
  )

  route(
    app,
    routes.signInWithLink,
    {
      tags: ['auth'],
      description:
        'Signs in with an emailed sign-in link’s token; the link, and every other one the person was sent, is used up.',
      errors: [400, 403],
    },
    async (request, reply) => {
      const user = await app.portalLinks.useSignInLink(request.body.token)
      assertPortalAccess(user)
      // The link came by email, so whoever opened it holds the mailbox, as with a reset link.
      await app.signInLimiter.passwordSet(user.email, request.ip)
      return issueSession(app, request, reply, user)
    },
  )
}
