/**
 * Where "now" comes from. Everything whose outcome depends on the time (business hours and the
 * auto-reply, digests, snooze, "waiting since", session and invitation expiry, mail retries,
 * insights ranges, quiet hours) reads one Clock handed to it, never the wall clock directly, so a
 * test can say what time it is and get the same answer at any hour, on any weekday, in any zone.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number
}

/** The machine's clock: what the product runs on unless told otherwise. */
export const systemClock: Clock = { now: () => Date.now() }

/** The machine's clock shifted by `offsetMs`: time runs on at its real pace from another instant. */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => Date.now() + offsetMs }
}

/** A clock a test moves by hand; it stands still in between. */
export class ManualClock implements Clock {
  constructor(private at: number = Date.UTC(2026, 11, 7, 10)) {}
  now(): number {
    return this.at
  }
  set(at: number | string | Date): void {
    this.at = typeof at === 'number' ? at : new Date(at).getTime()
  }
  advance(ms: number): void {
    this.at += ms
  }
}

export const nowDate = (clock: Clock): Date => new Date(clock.now())
export const nowIso = (clock: Clock): string => new Date(clock.now()).toISOString()
/** An instant `ms` from now on this clock (negative for the past), as the ISO text stored in rows. */
export const isoIn = (clock: Clock, ms: number): string => new Date(clock.now() + ms).toISOString()

/**
 * A clock from its written form (the server's `--clock` / `PORTAL_CLOCK`, the engine's
 * `PORTAL_CLOCK`), for runs that must happen at a chosen time:
 * - empty: the machine's clock;
 * - `2026-12-05T23:30:00Z`: starts at that instant when read and runs on;
 * - `fixed:2026-12-05T23:30:00Z`: stands at that instant;
 * - `offset:-3600000`: the machine's clock shifted by that many milliseconds (tests give every
 *   process they start the same offset, so the times they write agree to the millisecond).
 * Throws an Error that says what is wrong.
 */
export function clockFromSpec(spec: string | undefined): Clock {
  const text = spec?.trim()
  if (!text) return systemClock
  const instant = (value: string): number => {
    const at = Date.parse(value)
    // A date without an offset would be read in the machine's zone: refuse it, so a spec means
    // the same instant everywhere.
    if (Number.isNaN(at) || !/(Z|[+-]\d\d:?\d\d)$/i.test(value))
      throw new Error(
        `"${value}" is not an instant with a time zone; write it as 2026-12-05T23:30:00Z.`,
      )
    return at
  }
  if (text.startsWith('offset:')) {
    const offset = Number(text.slice('offset:'.length))
    if (!Number.isFinite(offset))
      throw new Error(`"${text}" needs a number of milliseconds after "offset:".`)
    return offsetClock(offset)
  }
  if (text.startsWith('fixed:')) {
    const at = instant(text.slice('fixed:'.length))
    return { now: () => at }
  }
  return offsetClock(instant(text) - Date.now())
}
