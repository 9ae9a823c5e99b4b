import { describe, expect, it } from 'vitest'
import { decide, defaultNotificationPreferences, inQuietHours, type DecisionInput } from './notify'

const base: DecisionInput = {
  message: {
    authorId: 'carla',
    urgent: false,
    internal: false,
    createdAt: '2026-03-10T10:00:00.000Z',
  },
  thread: { id: 't1', projectId: 'maple', assigneeId: null },
  authorRole: 'customer',
  me: 'sam',
  prefs: defaultNotificationPreferences,
  focus: { threadId: null, windowFocused: false },
  now: new Date(2026, 2, 10, 10, 0),
}
const withPrefs = (
  prefs: Partial<typeof defaultNotificationPreferences>,
  rest: Partial<DecisionInput> = {},
) => ({ ...base, ...rest, prefs: { ...defaultNotificationPreferences, ...prefs } })
const urgent = { ...base.message, urgent: true }

describe('notification policy', () => {
  it('a customer message notifies; an urgent one notifies as urgent', () => {
    expect(decide(base)).toBe('normal')
    expect(decide({ ...base, message: urgent })).toBe('urgent')
    expect(decide({ ...base, authorRole: 'subcontractor' })).toBe('normal')
  })

  it('my own messages and colleagues’ messages do not interrupt', () => {
    expect(decide({ ...base, message: { ...base.message, authorId: 'sam' } })).toBe('none')
    expect(decide({ ...base, authorRole: 'staff' })).toBe('badge')
    expect(decide({ ...base, authorRole: 'admin', message: urgent })).toBe('badge')
  })

  it('the open, focused thread needs nothing; an unfocused window still notifies', () => {
    expect(decide({ ...base, focus: { threadId: 't1', windowFocused: true } })).toBe('none')
    expect(decide({ ...base, focus: { threadId: 't1', windowFocused: false } })).toBe('normal')
    expect(decide({ ...base, focus: { threadId: 'other', windowFocused: true } })).toBe('normal')
  })

  it('muted projects, only-assigned and quiet hours give a badge, unless urgent and urgent-always', () => {
    const muted = withPrefs({ mutedProjectIds: ['maple'] })
    expect(decide(muted)).toBe('badge')
    expect(decide({ ...muted, message: urgent })).toBe('urgent')
    expect(
      decide({
        ...withPrefs({ mutedProjectIds: ['maple'], urgentAlways: false }),
        message: urgent,
      }),
    ).toBe('badge')

    const assignedOnly = withPrefs({ onlyAssignedToMe: true })
    expect(decide(assignedOnly)).toBe('badge')
    expect(decide({ ...assignedOnly, thread: { ...base.thread, assigneeId: 'sam' } })).toBe(
      'normal',
    )

    const quiet = withPrefs(
      { quietHours: { enabled: true, start: '22:00', end: '07:00' } },
      { now: new Date(2026, 2, 10, 23, 30) },
    )
    expect(decide(quiet)).toBe('badge')
    expect(decide({ ...quiet, message: urgent })).toBe('urgent')
  })

  it('quiet hours wrap midnight', () => {
    const prefs = {
      ...defaultNotificationPreferences,
      quietHours: { enabled: true, start: '22:00', end: '07:00' },
    }
    expect(inQuietHours(prefs, new Date(2026, 2, 10, 6, 59))).toBe(true)
    expect(inQuietHours(prefs, new Date(2026, 2, 10, 7, 0))).toBe(false)
    expect(
      inQuietHours(
        { ...prefs, quietHours: { enabled: true, start: '12:00', end: '13:00' } },
        new Date(2026, 2, 10, 12, 30),
      ),
    ).toBe(true)
    expect(
      inQuietHours(
        { ...prefs, quietHours: { ...prefs.quietHours, enabled: false } },
        new Date(2026, 2, 10, 23, 0),
      ),
    ).toBe(false)
  })
})
