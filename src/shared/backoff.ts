/** How a queue waits between attempts: the first wait, doubled each time, up to a ceiling. */
export interface Backoff {
  firstMs: number
  maxMs: number
  /**
   * Spread of each wait, as a fraction of it (0.5: from 75% to 125%), so that many clients that
   * failed together do not come back together. 0 for none.
   */
  jitter?: number
}

/** The wait before attempt `attempts + 1`, after `attempts` failed ones (1 for the first failure). */
export function backoffMs(
  attempts: number,
  { firstMs, maxMs, jitter = 0 }: Backoff,
  random: () => number = Math.random,
): number {
  const base = Math.min(maxMs, firstMs * 2 ** Math.max(0, attempts - 1))
  return jitter ? Math.round(base * (1 - jitter / 2 + random() * jitter)) : base
}
