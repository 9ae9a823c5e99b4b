import { describe, expect, it } from 'vitest'
import { readConfig } from './config'

describe('the server clock setting', () => {
  it('is taken from --clock before PORTAL_CLOCK, and absent by default', () => {
    expect(readConfig([], {}).clock).toBeUndefined()
    expect(readConfig([], { PORTAL_CLOCK: 'offset:0' }).clock).toBe('offset:0')
    expect(
      readConfig(['--clock', 'fixed:2026-12-05T23:30:00Z'], { PORTAL_CLOCK: 'offset:0' }).clock,
    ).toBe('fixed:2026-12-05T23:30:00Z')
  })

  it('refuses a clock it cannot read, saying how to write one', () => {
    expect(() => readConfig([], { PORTAL_CLOCK: 'saturday night' })).toThrow(
      /clock: "saturday night" is not an instant with a time zone; write it as 2026-12-05T23:30:00Z/,
    )
  })
})

describe('the write limits setting', () => {
  it('is on (a factor of 1) by default; PORTAL_WRITE_LIMITS takes off, on or a positive factor', () => {
    expect(readConfig([], {}).writeLimits).toBe(1)
    expect(readConfig([], { PORTAL_WRITE_LIMITS: 'on' }).writeLimits).toBe(1)
    expect(readConfig([], { PORTAL_WRITE_LIMITS: 'off' }).writeLimits).toBe('off')
    expect(readConfig([], { PORTAL_WRITE_LIMITS: '0.05' }).writeLimits).toBe(0.05)
    for (const wrong of ['-2', 'banana'])
      expect(() => readConfig([], { PORTAL_WRITE_LIMITS: wrong })).toThrow(
        `writeLimits: PORTAL_WRITE_LIMITS is "${wrong}"; write on, off or a positive factor such as 0.05.`,
      )
  })
})
