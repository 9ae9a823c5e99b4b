import { describe, expect, it } from 'vitest'
import type { MailLogEntry } from '../../../../shared/protocol'
import { kindLabel, refetchWhilePending, testOutcome } from './mail-words'

const mail = (fields: Partial<MailLogEntry>): MailLogEntry => ({
  id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  kind: 'test',
  to: 'staff@demo.test',
  subject: 'Portal Inbox test: your email alerts reach you',
  threadId: null,
  createdAt: '2026-12-07T10:20:00.000Z',
  status: 'queued',
  sentAt: null,
  nextAttemptAt: null,
  attempts: 0,
  problem: null,
  ...fields,
})

describe('the delivery log’s words', () => {
  it.each([
    [[], false],
    [[mail({ status: 'sent' }), mail({ status: 'bounced' })], false],
    [[mail({ status: 'sent' }), mail({ status: 'queued' })], 2000],
    [[mail({ status: 'retrying' })], 2000],
  ] as const)('asks again while a mail is on its way: %j → %s', (log, expected) => {
    expect(refetchWhilePending(log)).toBe(expected)
  })

  it('says what became of a test mail, with the server’s reason when it did not arrive', () => {
    expect(testOutcome(mail({ status: 'queued' }))).toBe(
      'Queued at the portal server for staff@demo.test; waiting for it to go out.',
    )
    expect(testOutcome(mail({ status: 'sent' }))).toContain('Sent to staff@demo.test.')
    expect(testOutcome(mail({ status: 'retrying', problem: '451 try later' }))).toBe(
      'The mail server did not take it yet (451 try later); the portal server tries again.',
    )
    expect(testOutcome(mail({ status: 'failed', problem: '550 no such user' }))).toBe(
      'Not delivered to staff@demo.test: 550 no such user. Check the address with your admin.',
    )
    expect(testOutcome(mail({ status: 'bounced', problem: null }))).toContain('no reason given')
  })

  it('names the kinds it knows and shows others as the server names them', () => {
    expect(kindLabel('digest-preview')).toBe('Digest preview')
    expect(kindLabel('new_message')).toBe('new message')
  })
})
