import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type {} from '@fastify/cookie'
import type { Caller } from '../domain/caller'
import { documentErrors } from '../responses'
import { requestToken, SESSION_COOKIE } from '../session-token'

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
    token: string
  }
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: string,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    expires: new Date(expiresAt),
  })
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' })
}

/**
 * Every route registered inside this scope needs a valid session; the caller is resolved once per
 * request. Each route documents that it does (a bearer token or the portal page's cookie), and what
 * that can answer: 401 without a live session, 403 when portal access is off or the portal page's
 * header is missing. Routes outside the scope need no session, and their documents say none.
 */
export function requireSession(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    documentErrors(route, [401, 403])
    route.schema = { ...route.schema, security: [{ session: [] }, { portalCookie: [] }] }
  })
  app.decorateRequest('caller', null as unknown as Caller)
  app.decorateRequest('token', '')
  app.addHook('onRequest', async (request) => {
    const token = requestToken(request)
    request.caller = await app.sessions.resolve(token)
    request.token = token ?? ''
  })
}
