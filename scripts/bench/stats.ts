/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export const median = (values: readonly number[]) => percentile(values, 50)

/** Wall-clock milliseconds comparable across processes on one machine (sub-ms precision). */
export const epochMs = () => performance.timeOrigin + performance.now()

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
