import { parse as parseCookies } from 'cookie'
import type { IncomingHttpHeaders } from 'node:http'
import { AppError } from './errors'

/**
 * Where a request carries its session, for HTTP (plugins/auth.ts) and the live handshake
 * (realtime/handshake.ts) alike. A leaf: it knows headers and cookies, nothing of sessions or
 * sockets, so both sides can import it without importing each other.
 *
 * Two ways to carry a session: the desktop app sends `Authorization: Bearer <token>`; the
 * customer portal's page gets an HttpOnly, SameSite=Strict cookie it cannot read (so a script
 * injected into the page could not steal it) and marks its requests with X-Portal-Client: web.
 * A state-changing request authenticated by the cookie must carry that header, which a form or
 * image on another site cannot send: CSRF is refused twice over.
 */
export const SESSION_COOKIE = 'portal_session'
export const WEB_CLIENT_HEADER = 'x-portal-client'

export function isWebClient(headers: IncomingHttpHeaders): boolean {
  return headers[WEB_CLIENT_HEADER] === 'web'
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
}

/** An HTTP request's token: the bearer header, else the portal page's cookie (with its CSRF header on writes). */
export function requestToken(request: {
  method: string
  headers: IncomingHttpHeaders
  cookies?: Record<string, string | undefined>
}): string | undefined {
  const bearer = bearerToken(request.headers)
  if (bearer) return bearer
  const cookie = request.cookies?.[SESSION_COOKIE]
  if (!cookie) return undefined
  if (request.method !== 'GET' && request.method !== 'HEAD' && !isWebClient(request.headers)) {
    throw new AppError(
      'FORBIDDEN',
      'This request came without the portal page’s header; reload the portal and try again.',
    )
  }
  return cookie
}

/**
 * A live connection's token: the desktop app sends it in `auth`; the customer portal's page has
 * only its HttpOnly cookie, which counts only when the page is our own origin (no cross-site
 * WebSocket hijacking).
 */
export function handshakeToken(handshake: {
  auth?: Record<string, unknown>
  headers: IncomingHttpHeaders
}): string | undefined {
  if (typeof handshake.auth?.token === 'string') return handshake.auth.token
  const cookie = parseCookies(handshake.headers.cookie ?? '')[SESSION_COOKIE]
  if (!cookie) return undefined
  try {
    const origin = new URL(String(handshake.headers.origin ?? ''))
    if (origin.host !== String(handshake.headers.host ?? '')) return undefined
  } catch {
    return undefined
  }
  return cookie
}
