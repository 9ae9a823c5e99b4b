import type { FastifyInstance } from 'fastify'
import type { WriteKind } from '../limits/writes'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts the route's requests against the caller's write limits (limits/writes.ts). */
    writeLimit?: WriteKind
  }
}

/**
 * Routes say what they write in their config (`config: { writeLimit: 'message' }`), beside the
 * route, so a renamed path keeps its limit. The count runs after the body is validated (a
 * malformed request costs nothing and says what is wrong) and before any work is done.
 */
export function limitWrites(app: FastifyInstance): void {
  const limiter = app.writeLimiter
  if (!limiter) return
  app.addHook('preHandler', async (request) => {
    const kind = request.routeOptions.config.writeLimit
    if (kind) await limiter.take(request.caller, kind)
  })
}
