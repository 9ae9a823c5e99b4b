import { describe, expect, it } from 'vitest'
import type { CompanySettings } from '../../../src/shared/protocol'
import { defaultSettings } from '../domain/settings'
import { nextDigestRun } from './digest'

const schedule = (digest: CompanySettings['digest'], timezone = 'UTC'): CompanySettings => ({
  ...defaultSettings,
  digest,
  businessHours: { ...defaultSettings.businessHours, timezone },
})
const next = (settings: CompanySettings, now: string) => nextDigestRun(settings, new Date(now))

describe('nextDigestRun', () => {
  it('daily: today at the hour while it is still to come, else tomorrow', () => {
    const daily = schedule({ frequency: 'daily', hour: 7, weekday: 1 })
    expect(next(daily, '2026-03-10T06:59:00Z')).toBe('2026-03-10T07:00:00.000Z')
    expect(next(daily, '2026-03-10T07:00:00Z')).toBe('2026-03-11T07:00:00.000Z')
    expect(next(daily, '2026-03-10T09:30:00Z')).toBe('2026-03-11T07:00:00.000Z')
  })

  it('weekly: the next given weekday at the hour', () => {
    const weekly = schedule({ frequency: 'weekly', hour: 8, weekday: 1 })
    // 2026-03-11 is a Wednesday; the next Monday is the 16th.
    expect(next(weekly, '2026-03-11T12:00:00Z')).toBe('2026-03-16T08:00:00.000Z')
    // Monday the 9th before eight: that same morning.
    expect(next(weekly, '2026-03-09T07:00:00Z')).toBe('2026-03-09T08:00:00.000Z')
  })

  it('keeps the company’s hour across a daylight-saving change', () => {
    const denver = schedule({ frequency: 'daily', hour: 7, weekday: 1 }, 'America/Denver')
    // Saturday 7 March 07:00 MST was 14:00 UTC; on Sunday the 8th Denver is on MDT (UTC-6).
    expect(next(denver, '2026-03-07T15:00:00Z')).toBe('2026-03-08T13:00:00.000Z')
    // And back in November: Sunday 1 November 2026 07:00 MST is 14:00 UTC.
    expect(next(denver, '2026-10-31T14:00:00Z')).toBe('2026-11-01T14:00:00.000Z')
  })

  it('off: no next run', () => {
    expect(next(schedule({ frequency: 'off', hour: 7, weekday: 1 }), '2026-03-10T09:30:00Z')).toBe(
      null,
    )
  })
})
