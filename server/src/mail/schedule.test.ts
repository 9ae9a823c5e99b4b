import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../domain/settings'
import { latestDigestPeriod } from './digest'
import { withinBusinessHours } from './queue'

const withDigest = (digest: typeof defaultSettings.digest, timezone = 'UTC') => ({
  ...defaultSettings,
  digest,
  businessHours: { ...defaultSettings.businessHours, timezone },
})

describe('latestDigestPeriod', () => {
  it('daily: the last time the hour came round, covering the day before', () => {
    const settings = withDigest({ frequency: 'daily', hour: 7, weekday: 1 })
    expect(latestDigestPeriod(settings, new Date('2026-03-10T09:30:00Z'))).toEqual({
      start: '2026-03-09T07:00:00.000Z',
      end: '2026-03-10T07:00:00.000Z',
    })
    expect(latestDigestPeriod(settings, new Date('2026-03-10T06:59:00Z'))).toEqual({
      start: '2026-03-08T07:00:00.000Z',
      end: '2026-03-09T07:00:00.000Z',
    })
  })

  it('weekly: the last given weekday at the hour, covering the week before', () => {
    const settings = withDigest({ frequency: 'weekly', hour: 8, weekday: 1 })
    // 2026-03-11 is a Wednesday; the Monday before is the 9th.
    expect(latestDigestPeriod(settings, new Date('2026-03-11T12:00:00Z'))).toEqual({
      start: '2026-03-02T08:00:00.000Z',
      end: '2026-03-09T08:00:00.000Z',
    })
  })

  it('follows the company time zone', () => {
    const settings = withDigest({ frequency: 'daily', hour: 7, weekday: 1 }, 'America/Denver')
    // 07:00 in Denver in March (MDT, UTC-6) is 13:00 UTC.
    expect(latestDigestPeriod(settings, new Date('2026-03-10T14:00:00Z'))?.end).toBe(
      '2026-03-10T13:00:00.000Z',
    )
  })

  it('off means no digest', () => {
    expect(
      latestDigestPeriod(withDigest({ frequency: 'off', hour: 7, weekday: 1 }), new Date()),
    ).toBeNull()
  })
})

describe('withinBusinessHours', () => {
  const settings = {
    ...defaultSettings,
    businessHours: {
      timezone: 'Europe/Berlin',
      days: [1, 2, 3, 4, 5],
      start: '08:00',
      end: '17:00',
    },
  }
  it('is true on a weekday inside the hours, in the company time zone', () => {
    expect(withinBusinessHours(settings, new Date('2026-03-10T08:30:00Z'))).toBe(true) // 09:30 in Berlin, Tuesday
  })
  it('is false before opening, after closing and at weekends', () => {
    expect(withinBusinessHours(settings, new Date('2026-03-10T06:30:00Z'))).toBe(false) // 07:30
    expect(withinBusinessHours(settings, new Date('2026-03-10T16:00:00Z'))).toBe(false) // 17:00
    expect(withinBusinessHours(settings, new Date('2026-03-14T10:00:00Z'))).toBe(false) // Saturday
  })
})
