import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { UserRow } from '../db/schema'
import { routes } from '../../../src/shared/protocol/routes'
import { AppError } from '../errors'
import { clearSessionCookie, setSessionCookie } from '../plugins/auth'
import { isWebClient } from '../session-token'
import { verifyPassword } from '../passwords'
import { assertPortalAccess, callerFromRow } from '../repositories/sessions'
import { toPerson } from '../repositories/entities'
import { route } from './route'

/** What forgot-password answers, whether or not the address has an account. */
const RESET_SENT =
  'If that address has an account, we’ve sent it a link to set a new password. The link works for an hour; check your spam folder if it does not arrive.'

/** The portal page gets its session as an HttpOnly cookie and never sees the token; other clients get the token. */
export async function issueSession(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRow,
) {
  const session = await app.sessions.create(user.id)
  const person = toPerson(user, callerFromRow(user))
  if (!isWebClient(request.headers)) return { ...session, user: person }
  setSessionCookie(request, reply, session.token, session.expiresAt)
  return { token: '', expiresAt: session.expiresAt, user: person }
}

/** Sign-in, invitation acceptance and reset links: the routes reachable without a session. */
export const publicAuthRoutes: FastifyPluginAsync = async (app) => {
  route(app, routes.signIn, { tags: ['auth'], errors: [401, 403, 429] }, async (request, reply) => {
    const { email, password } = request.body
    const user = await app.sessions.findUserByEmail(email)
    const party = { email, ip: request.ip, passwordHash: user?.password_hash ?? null }
    await app.signInLimiter.check(party)
    const ok = await verifyPassword(password, user?.password_hash ?? null)
    if (!user || !ok) {
      await app.signInLimiter.failed(party)
      throw new AppError(
        'INVALID_CREDENTIALS',
        'That email and password do not match. Check both, or choose “Forgot password?” to get a link that sets a new one.',
      )
    }
    assertPortalAccess(user)
    await app.signInLimiter.succeeded(party)
    return issueSession(app, request, reply, user)
  })

  route(app, routes.setPassword, { tags: ['auth'], errors: [400, 403] }, async (request, reply) => {
    // Every earlier sign-in ended with the new password (acceptInvitation): close their sockets.
    const userId = await app.commit(
      app.passwords.acceptInvitation(request.body.token, request.body.password),
    )
    const user = await app.sessions.getUser(userId)
    // The link came by email, so whoever opened it holds the mailbox: the account's locks go.
    await app.signInLimiter.passwordSet(user.email, request.ip)
    assertPortalAccess(user)
    return issueSession(app, request, reply, user)
  })

  route(
    app,
    routes.forgotPassword,
    {
      tags: ['auth'],
      description:
        'Mails a single-use link to set a new password (valid for an hour). Answers the same whether or not the email has an account.',
      errors: [400, 429],
    },
    async (request) => {
      const { email } = request.body
      await mailLinkLater(request, {
        what: 'a password reset',
        allowed: () => app.signInLimiter.resetRequested(email, request.ip),
        queue: () => app.passwords.requestPasswordReset(email),
      })
      return { ok: true as const, message: RESET_SENT }
    },
  )
}

/**
 * A link by email that anyone may ask for (a reset link, a sign-in link): counted against the
 * asking place and the inbox (429 for a place that asks too often), then queued after the answer,
 * so how long the answer takes does not tell whether the account exists.
 */
export async function mailLinkLater(
  request: FastifyRequest,
  link: { what: string; allowed: () => Promise<boolean>; queue: () => Promise<boolean> },
): Promise<void> {
  if (!(await link.allowed())) return
  void link.queue().then(
    async (queued) => {
      if (queued) await request.server.mailer.kick()
    },
    (err: unknown) => request.log.error({ err: String(err) }, `queueing ${link.what} failed`),
  )
}

export const sessionRoutes: FastifyPluginAsync = async (app) => {
  route(app, routes.signOut, { tags: ['auth'] }, async (request, reply) => {
    await app.sessions.revoke(request.token)
    await app.realtime.endSession(request.caller.id, request.token)
    clearSessionCookie(reply)
    return { ok: true as const }
  })

  route(app, routes.me, { tags: ['me'] }, async (request) => app.people.me(request.caller))

  route(
    app,
    routes.changePassword,
    {
      tags: ['me'],
      description:
        'Changes the password after checking the current one. Every other session of the person ends; this one stays.',
      errors: [400, 401],
    },
    async (request) => ({
      ok: true as const,
      ...(await app.commit(
        app.passwords.changePassword(
          request.caller,
          request.token,
          request.body.currentPassword,
          request.body.newPassword,
        ),
      )),
    }),
  )

  route(app, routes.setPreferences, { tags: ['me'] }, async (request) =>
    app.people.updatePreferences(request.caller, request.body),
  )
}
