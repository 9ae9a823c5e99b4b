import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { RateLimiterMemory, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible'
import { systemClock } from '../../../../src/shared/clock'
import type { Database } from '../../db/schema'
import type { Count, Counter, CounterSpec, LimitStore } from '../store'

/**
 * The counters in the server's own SQLite database (table rate_limits, migration 003), through
 * rate-limiter-flexible's RateLimiterSQLite on the raw better-sqlite3 handle.
 *
 * Kysely and the limiter share that one connection. Kysely keeps a transaction open across
 * awaits, and a statement run on the raw handle meanwhile would join it (better-sqlite3 nests it
 * as a savepoint): a request that rolled back would take another request's sign-in failure or
 * write with it. So every limiter call holds Kysely's connection (db.connection()), which waits
 * for any open transaction to end and keeps a new one from starting until the count is written.
 * The corollary: never consult a limiter from inside a transaction (it would wait for itself).
 *
 * rate-limiter-flexible reads the machine's clock for its windows. That is fine for windows (a
 * trial server's PORTAL_CLOCK moves business hours, not 15-minute counts), and sweep() uses the
 * same clock so it never removes a window that is still running.
 */
export class SqliteLimitStore implements LimitStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SQLite.Database,
  ) {}

  counter(spec: CounterSpec): Counter {
    const options = { keyPrefix: spec.name, points: spec.points, duration: spec.seconds }
    const limiter = new RateLimiterSQLite({
      ...options,
      storeClient: this.sqlite,
      storeType: 'better-sqlite3',
      tableName: 'rate_limits',
      tableCreated: true,
      // Should the database refuse (busy beyond its timeout, disk full), this node keeps
      // counting in memory rather than letting every request through or refusing them all.
      insuranceLimiter: new RateLimiterMemory(options),
    })
    const exclusive = <T>(work: () => Promise<T>) => this.db.connection().execute(work)
    const toCount = (res: RateLimiterRes): Count => ({
      consumed: res.consumedPoints,
      allowed: res.consumedPoints <= spec.points,
      msBeforeReset: Math.max(0, res.msBeforeNext),
    })
    return {
      spec,
      add: (key, points = 1) =>
        exclusive(() =>
          limiter.consume(key, points).then(toCount, (refused: unknown) => {
            // Over the limit, the library rejects with the count; that is an answer, not a failure.
            if (refused instanceof RateLimiterRes) return toCount(refused)
            throw refused
          }),
        ),
      peek: (key) =>
        exclusive(async () => {
          const res = await limiter.get(key)
          return res ? toCount(res) : null
        }),
      forget: (key) =>
        exclusive(async () => {
          await limiter.delete(key)
        }),
    }
  }

  async sweep(): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('expire', '<', systemClock.now()).execute()
  }
}
