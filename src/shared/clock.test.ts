import { describe, expect, it } from 'vitest'
import { clockFromSpec, isoIn, ManualClock, nowIso, offsetClock, systemClock } from './clock'

describe('clockFromSpec', () => {
  it('is the machine clock when empty', () => {
    expect(clockFromSpec(undefined)).toBe(systemClock)
    expect(clockFromSpec('  ')).toBe(systemClock)
  })

  it('starts at an instant and runs on', async () => {
    const clock = clockFromSpec('2026-12-05T23:30:00Z')
    const first = clock.now()
    expect(Math.abs(first - Date.parse('2026-12-05T23:30:00Z'))).toBeLessThan(1000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(clock.now()).toBeGreaterThan(first)
  })

  it('stands still when fixed, and shifts by an offset', () => {
    const fixed = clockFromSpec('fixed:2026-12-07T06:45:00+14:00')
    expect(nowIso(fixed)).toBe('2026-12-06T16:45:00.000Z')
    expect(fixed.now()).toBe(fixed.now())
    const shifted = clockFromSpec('offset:-86400000')
    expect(Math.abs(shifted.now() - (Date.now() - 86_400_000))).toBeLessThan(1000)
  })

  it('refuses an instant without a zone (it would mean another time on another machine) and nonsense', () => {
    expect(() => clockFromSpec('2026-12-05 23:30')).toThrow(/time zone.*2026-12-05T23:30:00Z/)
    expect(() => clockFromSpec('fixed:tomorrow')).toThrow(/not an instant/)
    expect(() => clockFromSpec('offset:soon')).toThrow(/milliseconds/)
  })
})

describe('clocks', () => {
  it('a manual clock moves only when told', () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 10))
    expect(nowIso(clock)).toBe('2026-12-07T10:00:00.000Z')
    clock.advance(90_000)
    expect(isoIn(clock, 0)).toBe('2026-12-07T10:01:30.000Z')
    clock.set('2026-12-05T23:30:00Z')
    expect(isoIn(clock, -1800_000)).toBe('2026-12-05T23:00:00.000Z')
  })

  it('an offset clock keeps the machine clock pace', () => {
    const clock = offsetClock(3600_000)
    expect(Math.abs(clock.now() - Date.now() - 3600_000)).toBeLessThan(50)
  })
})
