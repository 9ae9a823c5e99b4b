import fp from 'fastify-plugin'
import { SignInLimiter } from '../../limits/sign-in'
import type { LimitStore } from '../../limits/store'
import { SqliteLimitStore } from '../../limits/stores/sqlite'
import { scaleWriteLimits, WRITE_LIMITS, WriteLimiter } from '../../limits/writes'

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the counts live (the scheduler sweeps ended windows). */
    limitStore: LimitStore
    signInLimiter: SignInLimiter
    /** null when PORTAL_WRITE_LIMITS=off. */
    writeLimiter: WriteLimiter | null
  }
}

/** The sign-in limiter and the write limits, over the limiter port's SQLite store. */
export default fp(
  async (app) => {
    const store = new SqliteLimitStore(app.db, app.sqlite)
    app.decorate('limitStore', store)
    app.decorate('signInLimiter', new SignInLimiter(store))
    app.decorate(
      'writeLimiter',
      app.config.writeLimits === 'off'
        ? null
        : new WriteLimiter(store, scaleWriteLimits(WRITE_LIMITS, app.config.writeLimits)),
    )
  },
  { name: 'limits', dependencies: ['database'] },
)
