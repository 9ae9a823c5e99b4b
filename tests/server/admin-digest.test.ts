import { describe, expect, it } from 'vitest'
import { DigestPreviewResult, DigestSchedule } from '../../src/shared/protocol'
import { testClock } from '../support/clock'
import { mailDelivered, MailSink } from '../support/mail'
import { serverForFile } from '../support/file-server'

/**
 * Admin → People's digest box: when the digest next goes out (GET /admin/digest), on the
 * server's clock (the test clock: Monday 7 December 2026, 10:20 UTC) in the company's zone
 * (the demo's is UTC), and a preview that goes to the admin who asked and to nobody else.
 */

const sink = new MailSink()
const portal = serverForFile({
  people: { admin: 'admin@demo.test', sam: 'staff@demo.test' },
  clock: testClock,
  mail: sink,
})

const setDigest = async (digest: { frequency: string; hour: number; weekday: number }) =>
  expect((await portal.admin.patch('/admin/settings', { digest })).status).toBe(200)
const schedule = async () => {
  const res = await portal.admin.get('/admin/digest')
  expect(res.status).toBe(200)
  return DigestSchedule.parse(res.body)
}
const digestsReceived = () => sink.received.filter((m) => /digest/i.test(m.subject))

describe('GET /admin/digest', () => {
  // Each schedule with what the server must say of it: on Monday 10:20 UTC a daily 07:00 ran
  // this morning; a Thursday 16:00 last ran the Thursday before and runs this week's still.
  const cases = [
    {
      digest: { frequency: 'daily', hour: 7, weekday: 1 },
      says: {
        hour: 7,
        timezone: 'UTC',
        lastRunAt: '2026-12-07T07:00:00.000Z',
        nextRunAt: '2026-12-08T07:00:00.000Z',
      },
    },
    {
      digest: { frequency: 'weekly', hour: 16, weekday: 4 },
      says: {
        weekday: 4,
        lastRunAt: '2026-12-03T16:00:00.000Z',
        nextRunAt: '2026-12-10T16:00:00.000Z',
      },
    },
    {
      digest: { frequency: 'off', hour: 7, weekday: 1 },
      says: { nextRunAt: null, lastRunAt: null, recipients: 0 },
    },
  ]
  it.each(cases)(
    'says the next and the last run of a $digest.frequency digest on the server’s clock',
    async ({ digest, says }) => {
      await setDigest(digest)
      expect(await schedule()).toMatchObject({ frequency: digest.frequency, ...says })
      await setDigest({ frequency: 'daily', hour: 7, weekday: 1 })
    },
  )

  it('counts the staff who get it: one fewer when Sam turns his digest off', async () => {
    const before = (await schedule()).recipients
    expect(before).toBeGreaterThan(0)
    expect((await portal.sam.patch('/me/preferences', { emailDigest: false })).status).toBe(200)
    expect((await schedule()).recipients).toBe(before - 1)
    expect((await portal.sam.patch('/me/preferences', { emailDigest: true })).status).toBe(200)
  })

  it('is for admins only', async () => {
    expect((await portal.sam.get('/admin/digest')).status).toBe(403)
    expect((await portal.sam.post('/admin/digest/preview')).status).toBe(403)
  })
})

describe('POST /admin/digest/preview', () => {
  it('mails the admin alone what the next digest says so far, even with their own digest off', async () => {
    await setDigest({ frequency: 'daily', hour: 7, weekday: 1 })
    expect((await portal.admin.patch('/me/preferences', { emailDigest: false })).status).toBe(200)
    const before = digestsReceived().length

    const res = await portal.admin.post('/admin/digest/preview')
    expect(res.status).toBe(200)
    const preview = DigestPreviewResult.parse(res.body)
    expect(preview).toMatchObject({
      periodStart: '2026-12-07T07:00:00.000Z',
      mail: { kind: 'digest-preview', to: 'admin@demo.test' },
    })
    expect(preview.mail.subject).toMatch(/^Preview: Portal digest for /)

    const mail = await sink.waitFor((m) => m.subject === preview.mail.subject)
    expect(mail.envelopeTo).toEqual(['admin@demo.test'])
    expect(mail.text).toContain('Portal activity at')
    await mailDelivered(portal.server)
    expect(
      digestsReceived()
        .slice(before)
        .map((m) => m.envelopeTo),
    ).toEqual([['admin@demo.test']])
    // Its log entry is the true one: sent.
    const log = (await portal.admin.get('/me/mail')).body.mail as { id: string; status: string }[]
    expect(log.find((m) => m.id === preview.mail.id)?.status).toBe('sent')
    expect((await portal.admin.patch('/me/preferences', { emailDigest: true })).status).toBe(200)
  })

  it('refuses a sixth preview within the hour, in words', async () => {
    // One preview went above; four more reach the limit of five.
    for (let i = 0; i < 4; i++)
      expect((await portal.admin.post('/admin/digest/preview')).status).toBe(200)
    const refused = await portal.admin.post('/admin/digest/preview')
    expect(refused.status).toBe(429)
    expect(refused.body.error.message).toContain('try again later')
  })
})
