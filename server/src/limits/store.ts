/**
 * The limiter port: named counters over fixed windows, kept where every server node sees the
 * same count. Today that is the server's SQLite database (./stores/sqlite.ts); with PostgreSQL and
 * several nodes it becomes rate-limiter-flexible's RateLimiterPostgres over the same pool,
 * behind this same interface, and nothing above it changes.
 */

/** One kind of count: at most `points` in a window of `seconds` that starts with the first point. */
export interface CounterSpec {
  /** Keeps the counters of different kinds apart in the one store. */
  name: string
  points: number
  seconds: number
}

/** A counter's state after a call. */
export interface Count {
  /** Points in the current window, this call's included. */
  consumed: number
  /** Whether the window still has room: consumed is at most the spec's points. */
  allowed: boolean
  /** Until the window ends and the count starts again from nothing. */
  msBeforeReset: number
}

export interface Counter {
  readonly spec: CounterSpec
  /** Adds points and tells where the count stands; a count over the limit is not an error. */
  add(key: string, points?: number): Promise<Count>
  /** The count without adding to it; null when the key has no window running. */
  peek(key: string): Promise<Count | null>
  /** Forgets the key's window, as if it never counted. */
  forget(key: string): Promise<void>
}

export interface LimitStore {
  counter(spec: CounterSpec): Counter
  /** Drops windows that ended (the scheduler calls this). */
  sweep(): Promise<void>
}
