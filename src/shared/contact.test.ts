import { describe, expect, it } from 'vitest'
import { callUs, emergencyAdvice } from './contact'

describe('callUs', () => {
  it('names the number and hours the builder gave, and says "call us" without one', () => {
    expect(callUs({ contactPhone: '(555) 010-4477', officeHours: 'Mon–Fri 8am–5pm' })).toBe(
      'call us at (555) 010-4477 (Mon–Fri 8am–5pm)',
    )
    expect(callUs({ contactPhone: '(555) 010-4477', officeHours: ' ' })).toBe(
      'call us at (555) 010-4477',
    )
    expect(callUs({ contactPhone: '', officeHours: 'Mon–Fri' })).toBe('call us')
    expect(callUs(undefined)).toBe('call us')
    expect(emergencyAdvice({ contactPhone: '555' })).toContain('please call us at 555 directly')
  })
})
