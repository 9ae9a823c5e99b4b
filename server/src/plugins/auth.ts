import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type {} from '@fastify/cookie'
import type { Caller } from '../domain/caller'
import { AppError } from '../errors'
import { documentErrors } from '../responses'
import type { Services } from '../services'

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
    token: string
  }
}

/**
 * Two ways to carry a session: the desktop app sends `Authorization: Bearer <token>`; the
 * customer portal's page gets an HttpOnly, SameSite=Strict cookie it cannot read (so a script
 * injected into the page could not steal it) and marks its requests with X-Portal-Client: web.
 * A state-changing request authenticated by the cookie must carry that header, which a form or
 * image on another site cannot send: CSRF is refused twice over.
 */
export const SESSION_COOKIE = 'portal_session'
export const WEB_CLIENT_HEADER = 'x-portal-client'

export function isWebClient(request: FastifyRequest): boolean {
  return request.headers[WEB_CLIENT_HEADER] === 'web'
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

export function sessionToken(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request)
  if (bearer) return bearer
  const cookie = request.cookies?.[SESSION_COOKIE]
  if (!cookie) return undefined
  if (request.method !== 'GET' && request.method !== 'HEAD' && !isWebClient(request)) {
    throw new AppError(
      'FORBIDDEN',
      'This request came without the portal page’s header; reload the portal and try again.',
    )
  }
  return cookie
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
export function requireSession(app: FastifyInstance, services: Services): void {
  app.addHook('onRoute', (route) => {
    documentErrors(route, [401, 403])
    route.schema = { ...route.schema, security: [{ session: [] }, { portalCookie: [] }] }
  })
  app.decorateRequest('caller', null as unknown as Caller)
  app.decorateRequest('token', '')
  app.addHook('onRequest', async (request) => {
    const token = sessionToken(request)
    request.caller = await services.sessions.resolve(token)
    request.token = token ?? ''
  })
}
