/**
 * Shared pieces of the fault suites: the suite's length (short inside `npm test`, long under
 * `npm run test:faults`), a seeded random source so a failing run can be replayed with
 * FAULT_SEED, and bounded waiting.
 */
import { vi } from 'vitest'

export const long = process.env.FAULT_SUITE === 'long'

export function seedFromEnv(): number {
  const fromEnv = Number(process.env.FAULT_SEED)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Date.now() % 2_147_483_647) + 1
}

/** mulberry32: small, fast and good enough to pick faults and pauses. */
export function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
    shuffle: <T>(list: readonly T[]): T[] => {
      const out = [...list]
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[out[i], out[j]] = [out[j] as T, out[i] as T]
      }
      return out
    },
  }
}
export type Random = ReturnType<typeof random>

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Polls until `check` returns a truthy value; throws with `what` (and the last error) after `timeoutMs`. */
export function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  let last: unknown
  return vi.waitFor(
    async () => {
      try {
        const value = await check()
        if (value) return value as NonNullable<T>
      } catch (err) {
        last = err
      }
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      )
    },
    { timeout: timeoutMs, interval: everyMs },
  )
}

/** A table for the suite's printed report. */
export function table(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '(none)'
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const cells = rows.map((r) => keys.map((k) => String(r[k] ?? '')))
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)))
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ')
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}
