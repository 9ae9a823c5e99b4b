import { offsetClock, type Clock } from '../../src/shared/clock'

/**
 * The time tests run at. Whatever the machine's clock, weekday or zone says, every process a test
 * file starts (portal servers, engines, the browser) believes it is the same instant and lets it
 * run on at the real pace, so the times they write agree to the millisecond and outcomes that
 * depend on the time (business hours, the auto-reply, digests, snoozes, insights' days) are the
 * same at any hour. A test that needs another time starts its server with another TestClock.
 */

/** Monday 7 December 2026, 10:20 UTC: inside the demo company's business hours (Mon–Fri 08:00–17:00 UTC), and away from midnight in every zone from UTC-12 to UTC+14. */
export const IN_BUSINESS_HOURS = '2026-12-07T10:20:00Z'
/** Saturday 5 December 2026, 23:30 UTC: the weekend, after hours. */
export const OUTSIDE_BUSINESS_HOURS = '2026-12-05T23:30:00Z'

export interface TestClock extends Clock {
  /** The spec that gives a child process this same clock (PORTAL_CLOCK; src/shared/clock.ts). */
  readonly spec: string
  /** `{ PORTAL_CLOCK }` for a child process's environment. */
  readonly env: { PORTAL_CLOCK: string }
  iso(): string
}

const clocks = new Map<string, TestClock>()

/**
 * A clock that reads `at` now and runs on from there. The same `at` gives the same clock for the
 * whole file, so two servers started at different moments on IN_BUSINESS_HOURS agree with each
 * other and with the test's own assertions.
 */
export function testClockAt(at: string): TestClock {
  let clock = clocks.get(at)
  if (!clock) clocks.set(at, (clock = newTestClock(at)))
  return clock
}

function newTestClock(at: string): TestClock {
  const offsetMs = Date.parse(at) - Date.now()
  const clock = offsetClock(offsetMs)
  const spec = `offset:${offsetMs}`
  return {
    now: () => clock.now(),
    iso: () => new Date(clock.now()).toISOString(),
    spec,
    env: { PORTAL_CLOCK: spec },
  }
}

/** The clock of this test file (each file runs in its own process, so each has its own). */
export const testClock = testClockAt(IN_BUSINESS_HOURS)
