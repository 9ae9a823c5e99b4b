import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { UserRow } from '../db/schema'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  ChangePasswordBody,
  ForgotPasswordBody,
  ForgotPasswordResult,
  Me,
  Preferences,
  PreferencesPatch,
  Session,
  SessionsEnded,
  SetPasswordBody,
  SignInBody,
} from '../../../src/shared/protocol'
import { AppError } from '../errors'
import { clearSessionCookie, isWebClient, setSessionCookie } from '../plugins/auth'
import { verifyPassword } from '../passwords'
import { assertPortalAccess, callerFromRow } from '../repositories/sessions'
import { toPerson } from '../repositories/entities'
import { errorResponses } from '../responses'
import type { Services } from '../services'

/** What forgot-password answers, whether or not the address has an account. */
const RESET_SENT =
  'If that address has an account, we’ve sent it a link to set a new password. The link works for an hour; check your spam folder if it does not arrive.'

/** Sign-in, invitation acceptance and reset links: the routes reachable without a session. */
export async function publicAuthRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()

  /** The portal page gets its session as an HttpOnly cookie and never sees the token; other clients get the token. */
  const issueSession = async (request: FastifyRequest, reply: FastifyReply, user: UserRow) => {
    const session = await services.sessions.create(user.id)
    const person = toPerson(user, callerFromRow(user))
    if (!isWebClient(request)) return { ...session, user: person }
    setSessionCookie(request, reply, session.token, session.expiresAt)
    return { token: '', expiresAt: session.expiresAt, user: person }
  }

  r.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        body: SignInBody,
        response: { 200: Session, ...errorResponses(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body
      const user = await services.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst()
      const party = { email, ip: request.ip, passwordHash: user?.password_hash ?? null }
      await services.signInLimiter.check(party)
      const ok = await verifyPassword(password, user?.password_hash ?? null)
      if (!user || !ok) {
        await services.signInLimiter.failed(party)
        throw new AppError(
          'INVALID_CREDENTIALS',
          'That email and password do not match. Check both, or choose “Forgot password?” to get a link that sets a new one.',
        )
      }
      assertPortalAccess(user)
      await services.signInLimiter.succeeded(party)
      return issueSession(request, reply, user)
    },
  )

  r.post(
    '/auth/set-password',
    {
      schema: {
        tags: ['auth'],
        body: SetPasswordBody,
        response: { 200: Session, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) => {
      const written = await services.passwords.acceptInvitation(
        request.body.token,
        request.body.password,
      )
      const userId = written.result
      // Every earlier sign-in ended with the new password (acceptInvitation): close their sockets.
      await services.afterCommit(written.changed)
      const user = await services.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
      // The link came by email, so whoever opened it holds the mailbox: the account's locks go.
      await services.signInLimiter.passwordSet(user.email, request.ip)
      assertPortalAccess(user)
      return issueSession(request, reply, user)
    },
  )

  r.post(
    '/auth/forgot-password',
    {
      schema: {
        tags: ['auth'],
        description:
          'Mails a single-use link to set a new password (valid for an hour). Answers the same whether or not the email has an account.',
        body: ForgotPasswordBody,
        response: { 200: ForgotPasswordResult, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const { email } = request.body
      if (await services.signInLimiter.resetRequested(email, request.ip)) {
        // Queued after the answer, so how long it takes does not tell whether the account exists.
        void services.passwords.requestPasswordReset(email).then(
          async (queued) => {
            if (queued) await services.mailer.kick()
          },
          (err: unknown) =>
            request.log.error({ err: String(err) }, 'queueing a password reset failed'),
        )
      }
      return { ok: true as const, message: RESET_SENT }
    },
  )
}

export async function sessionRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/auth/sign-out',
    { schema: { tags: ['auth'], response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request, reply) => {
      await services.sessions.revoke(request.token)
      await services.realtime.endSession(request.caller.id, request.token)
      clearSessionCookie(reply)
      return { ok: true as const }
    },
  )

  r.get('/me', { schema: { tags: ['me'], response: { 200: Me } } }, async (request) =>
    services.people.me(request.caller),
  )

  r.post(
    '/me/password',
    {
      schema: {
        tags: ['me'],
        description:
          'Changes the password after checking the current one. Every other session of the person ends; this one stays.',
        body: ChangePasswordBody,
        response: { 200: SessionsEnded, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const written = await services.passwords.changePassword(
        request.caller,
        request.token,
        request.body.currentPassword,
        request.body.newPassword,
      )
      await services.afterCommit(written.changed)
      return { ok: true as const, sessionsEnded: written.result.sessionsEnded }
    },
  )

  r.patch(
    '/me/preferences',
    { schema: { tags: ['me'], body: PreferencesPatch, response: { 200: Preferences } } },
    async (request) => services.people.updatePreferences(request.caller, request.body),
  )
}
