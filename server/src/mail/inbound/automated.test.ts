import { describe, expect, it } from 'vitest'
import { whyAutomated, type MailSigns } from './automated'

const mail = (headers: Record<string, string>, more: Partial<MailSigns> = {}): MailSigns => ({
  envelopeFrom: 'carla@example.test',
  fromAddress: 'carla@example.test',
  header: (name) => headers[name],
  contentType: 'text/plain',
  ...more,
})

describe('mail no person wrote', () => {
  it.each([
    ['Auto-Submitted: auto-replied', mail({ 'auto-submitted': 'auto-replied' }), /Auto-Submitted/],
    [
      'Auto-Submitted: auto-generated',
      mail({ 'auto-submitted': 'Auto-Generated' }),
      /Auto-Submitted/,
    ],
    ['Precedence: bulk', mail({ precedence: 'bulk' }), /Precedence: bulk/],
    ['Precedence: auto_reply', mail({ precedence: 'auto_reply' }), /Precedence/],
    ['X-Autoreply', mail({ 'x-autoreply': 'yes' }), /x-autoreply/],
    ['X-Autorespond', mail({ 'x-autorespond': 'Out of office' }), /x-autorespond/],
    ['a mailing list', mail({ 'list-id': '<homeowners.example.test>' }), /mailing-list/],
    ['the null sender', mail({}, { envelopeFrom: '' }), /null sender/],
    ['MAILER-DAEMON', mail({}, { fromAddress: 'MAILER-DAEMON@mx.example.test' }), /bounce/],
    [
      'a delivery report',
      mail({}, { contentType: 'multipart/report; report-type=delivery-status' }),
      /delivery report/,
    ],
  ])('%s is automatic', (_what, signs, reason) => {
    expect(whyAutomated(signs)).toMatch(reason)
  })

  it('a person’s reply is not, even one saying it is not automatic', () => {
    expect(whyAutomated(mail({}))).toBeNull()
    expect(whyAutomated(mail({ 'auto-submitted': 'no', precedence: 'normal' }))).toBeNull()
    // A webhook may not know the envelope: no MAIL FROM is not the null sender.
    expect(whyAutomated(mail({}, { envelopeFrom: undefined }))).toBeNull()
  })
})
