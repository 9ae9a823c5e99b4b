import { describe, expect, it } from 'vitest'
import { whyCannotSend, type SendContext } from './may-send'

const open: SendContext = {
  role: 'customer',
  internal: false,
  messagesEnabled: true,
  portalOpen: true,
  subcontractorsAllowed: true,
}

describe('whyCannotSend', () => {
  it('lets staff send anything, anywhere', () => {
    for (const role of ['admin', 'staff'] as const) {
      expect(
        whyCannotSend({ role, internal: true, messagesEnabled: false, portalOpen: false }),
      ).toBeNull()
    }
  })

  it('follows the checklist in order: internal note, messages off, stage closed, subcontractors', () => {
    expect(whyCannotSend(open)).toBeNull()
    expect(whyCannotSend({ ...open, internal: true, messagesEnabled: false })).toBe(
      'INTERNAL_NOTE_STAFF_ONLY',
    )
    expect(whyCannotSend({ ...open, messagesEnabled: false, portalOpen: false })).toBe(
      'MESSAGES_DISABLED',
    )
    expect(whyCannotSend({ ...open, portalOpen: false })).toBe('PROJECT_STAGE_CLOSED')
    expect(whyCannotSend({ ...open, role: 'subcontractor', subcontractorsAllowed: false })).toBe(
      'SUBCONTRACTORS_NOT_ALLOWED',
    )
    expect(whyCannotSend({ ...open, subcontractorsAllowed: false })).toBeNull()
  })

  it('leaves the subcontractor rule to the server when the setting is not known', () => {
    const { subcontractorsAllowed: _unknown, ...withoutSetting } = open
    expect(whyCannotSend({ ...withoutSetting, role: 'subcontractor' })).toBeNull()
  })
})
