import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  ErrorBodySchema,
  Me,
  Preferences,
  PreferencesPatch,
  Session,
  SetPasswordBody,
  SignInBody,
} from '../../../src/shared/protocol'
import { AppError } from '../errors'
import { verifyPassword } from '../passwords'
import { assertPortalAccess, callerFromRow } from '../repositories/sessions'
import { toPerson } from '../repositories/entities'
import type { Services } from '../services'

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  429: ErrorBodySchema,
}

/** Sign-in and invitation acceptance: the routes reachable without a session. */
export async function publicAuthRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/auth/sign-in',
    { schema: { tags: ['auth'], body: SignInBody, response: { 200: Session, ...errors } } },
    async (request) => {
      const { email, password } = request.body
      services.limiter.check(email, request.ip)
      const user = await services.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst()
      const ok = await verifyPassword(password, user?.password_hash ?? null)
      if (!user || !ok) {
        services.limiter.fail(email, request.ip)
        throw new AppError(
          'INVALID_CREDENTIALS',
          'That email and password do not match. Check both, or use the link in your invitation email to set a password.',
        )
      }
      assertPortalAccess(user)
      const session = await services.sessions.create(user.id)
      return { ...session, user: toPerson(user, callerFromRow(user)) }
    },
  )

  r.post(
    '/auth/set-password',
    { schema: { tags: ['auth'], body: SetPasswordBody, response: { 200: Session, ...errors } } },
    async (request) => {
      const userId = await services.directory.acceptInvitation(
        request.body.token,
        request.body.password,
      )
      const user = await services.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
      assertPortalAccess(user)
      const session = await services.sessions.create(user.id)
      return { ...session, user: toPerson(user, callerFromRow(user)) }
    },
  )
}

export async function sessionRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/auth/sign-out',
    { schema: { tags: ['auth'], response: { 200: z.object({ ok: z.literal(true) }), ...errors } } },
    async (request) => {
      await services.sessions.revoke(request.token)
      await services.realtime.endSession(request.caller.id, request.token)
      return { ok: true as const }
    },
  )

  r.get('/me', { schema: { tags: ['me'], response: { 200: Me, ...errors } } }, async (request) =>
    services.directory.me(request.caller),
  )

  r.patch(
    '/me/preferences',
    { schema: { tags: ['me'], body: PreferencesPatch, response: { 200: Preferences, ...errors } } },
    async (request) => services.directory.updatePreferences(request.caller, request.body),
  )
}
