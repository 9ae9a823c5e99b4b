import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Caller } from '../domain/caller'
import type { Services } from '../services'

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
    token: string
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

/** Every route registered inside this scope needs a valid session; the caller is resolved once per request. */
export function requireSession(app: FastifyInstance, services: Services): void {
  app.decorateRequest('caller', null as unknown as Caller)
  app.decorateRequest('token', '')
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request)
    request.caller = await services.sessions.resolve(token)
    request.token = token ?? ''
  })
}
