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
