import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Me, Preferences, WhoIsNotified, type NotifiedPerson } from '../../src/shared/protocol'
import { startThread, type Api } from '../support/api'
import { testClockAt } from '../support/clock'
import { demoPeople, serverForFile } from '../support/file-server'

/**
 * "Who is notified" in a thread: each person a new message reaches, each channel, and why not.
 * The clock reads 10:20 in the demo company's zone (UTC), which the quiet-hours cases rely on.
 */
const portal = serverForFile({
  people: demoPeople('admin', 'sam', 'tess', 'carla'),
  clock: testClockAt('2026-12-07T10:20:00Z'),
})

const DESKTOP_DEFAULTS = {
  mutedProjectIds: [] as string[],
  onlyAssignedToMe: false,
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  urgentAlways: true,
}

async function notified(who: Api, threadId: string) {
  const res = await who.get(`/threads/${threadId}/notified`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return WhoIsNotified.parse(res.body)
}

/** One person's channels as `channel: on|off (reason)`, the way a test reads them best. */
function channelsOf(list: { people: NotifiedPerson[] }, name: string): Record<string, string> {
  const person = list.people.find((p) => p.name === name)
  if (!person) throw new Error(`${name} is not among ${list.people.map((p) => p.name).join(', ')}`)
  return Object.fromEntries(
    person.channels.map((c) => [
      c.channel,
      `${c.on ? 'on' : 'off'}${c.reason ? ` (${c.reason})` : ''}`,
    ]),
  )
}

async function setPreferences(who: Api, patch: Partial<Preferences>) {
  const res = await who.patch('/me/preferences', patch)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return Preferences.parse(res.body)
}

const mapleThread = (subject: string) =>
  startThread(
    portal.carla,
    portal.dir.project('Maple'),
    `${subject} ${randomUUID().slice(0, 6)}`,
    'Hello',
  )

describe('who is notified', () => {
  it('staff only (403 for a customer); a thread the staff member may not see is 404', async () => {
    const thread = await mapleThread('Access')
    const customer = await portal.carla.get(`/threads/${thread}/notified`)
    expect(customer.status).toBe(403)
    expect(customer.body.error.message).toMatch(/Only staff/)
    // Tess is neither on Maple's team nor in the thread.
    expect((await portal.tess.get(`/threads/${thread}/notified`)).status).toBe(404)
  })

  it('by default: staff desktop on, email for new customer messages off, customers mailed and see the portal; internal notes reach no customer', async () => {
    const thread = await mapleThread('Defaults')
    const list = await notified(portal.sam, thread)
    const sam = list.people.find((p) => p.name === 'Sam Rivera')
    expect(sam).toMatchObject({
      role: 'staff',
      as: ['participant', 'team'],
      when: 'customer-message',
    })
    expect(channelsOf(list, 'Sam Rivera')).toEqual({
      desktop: 'on (desktop alerts on (default))',
      email: 'off (opted out of email for new customer messages (urgent ones are still mailed))',
      portal: 'off (staff read conversations in Portal Inbox, not the portal)',
    })
    expect(list.people.find((p) => p.name === 'Carla Mendes')).toMatchObject({
      role: 'customer',
      as: ['participant'],
      when: 'staff-message',
    })
    expect(channelsOf(list, 'Carla Mendes')).toEqual({
      desktop: 'off (customers and subcontractors have no desktop app)',
      email: 'on',
      portal: 'on (sees it next time they open the portal)',
    })
    expect(list.internalNote).toBe(
      'An internal note reaches no customer or subcontractor: only staff see it.',
    )
  })

  it('the desktop part of the preferences is kept on the server and read back at sign-in', async () => {
    const desktop = { ...DESKTOP_DEFAULTS, onlyAssignedToMe: true }
    expect((await setPreferences(portal.tess, { desktop })).desktop).toEqual(desktop)
    expect(Me.parse((await portal.tess.get('/me')).body).preferences.desktop).toEqual(desktop)
    const bad = await portal.tess.patch('/me/preferences', {
      desktop: { ...desktop, quietHours: { enabled: true, start: 'late', end: '07:00' } },
    })
    expect(bad.status).toBe(400)
    await setPreferences(portal.tess, { desktop: DESKTOP_DEFAULTS })
  })

  it('desktop: muted this project, only assigned to them, quiet hours in the company zone; urgent ones still alert when asked', async () => {
    const thread = await mapleThread('Desktop')
    const maple = portal.dir.project('Maple')
    const cases: [Partial<typeof DESKTOP_DEFAULTS>, string][] = [
      [{ mutedProjectIds: [maple] }, 'off (muted this project (urgent messages still alert))'],
      [{ mutedProjectIds: [maple], urgentAlways: false }, 'off (muted this project)'],
      [
        { onlyAssignedToMe: true, urgentAlways: false },
        'off (alerts only for conversations assigned to them)',
      ],
      [
        { quietHours: { enabled: true, start: '10:00', end: '11:00' }, urgentAlways: false },
        'off (quiet hours 10:00–11:00)',
      ],
      // 22:00–07:00 does not hold at 10:20.
      [{ quietHours: { enabled: true, start: '22:00', end: '07:00' } }, 'on'],
    ]
    for (const [prefs, expected] of cases) {
      await setPreferences(portal.sam, { desktop: { ...DESKTOP_DEFAULTS, ...prefs } })
      expect(
        channelsOf(await notified(portal.admin, thread), 'Sam Rivera').desktop,
        JSON.stringify(prefs),
      ).toBe(expected)
    }
    // The company's zone, not the server's: 10:20 UTC is 19:20 in Tokyo.
    const hours = { timezone: 'Asia/Tokyo', days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' }
    expect((await portal.admin.patch('/admin/settings', { businessHours: hours })).status).toBe(200)
    const evening = { enabled: true, start: '19:00', end: '20:00' }
    await setPreferences(portal.sam, {
      desktop: { ...DESKTOP_DEFAULTS, quietHours: evening, urgentAlways: false },
    })
    expect(channelsOf(await notified(portal.admin, thread), 'Sam Rivera').desktop).toBe(
      'off (quiet hours 19:00–20:00)',
    )
    const utc = { ...hours, timezone: 'UTC' }
    expect((await portal.admin.patch('/admin/settings', { businessHours: utc })).status).toBe(200)
    expect(channelsOf(await notified(portal.admin, thread), 'Sam Rivera').desktop).toBe('on')
    await setPreferences(portal.sam, { desktop: DESKTOP_DEFAULTS })
  })

  it('email follows the same rule as the mail queue: opted in or out, staff and customers', async () => {
    const thread = await mapleThread('Email')
    await setPreferences(portal.sam, { emailOnNewMessage: true })
    await setPreferences(portal.carla, { emailOnNewMessage: false })
    const list = await notified(portal.sam, thread)
    expect(channelsOf(list, 'Sam Rivera').email).toBe('on')
    expect(channelsOf(list, 'Carla Mendes').email).toBe(
      'off (opted out of message alerts by email)',
    )
    await setPreferences(portal.sam, { emailOnNewMessage: false, emailUrgent: false })
    expect(channelsOf(await notified(portal.sam, thread), 'Sam Rivera').email).toBe(
      'off (opted out of email for new customer messages)',
    )
    await setPreferences(portal.sam, { emailUrgent: true })
    await setPreferences(portal.carla, { emailOnNewMessage: true })
  })

  it('no portal access: no mail and no portal', async () => {
    const threads = (await portal.sam.get('/threads?view=all&limit=200')).body.threads as {
      id: string
      subject: string
    }[]
    const warranty = threads.find((t) => t.subject === 'Warranty: cabinet door alignment')!
    expect(channelsOf(await notified(portal.sam, warranty.id), 'Nora Lindqvist')).toEqual({
      desktop: 'off (customers and subcontractors have no desktop app)',
      email: 'off (no portal access)',
      portal: 'off (no portal access)',
    })
  })

  it('not on the project: an assignee taken off the team and the thread no longer gets the thread on the desktop', async () => {
    const { person } = portal.dir
    const created = await portal.admin.post('/admin/projects', {
      name: `Spruce ${randomUUID().slice(0, 6)}`,
      stage: 'construction',
      customerIds: [person('customer@demo.test')],
      teamIds: [person('staff2@demo.test')],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const projectId = created.body.project.id as string
    const thread = await startThread(portal.carla, projectId, 'Assigned', 'Hello')
    const tess = person('staff2@demo.test')
    expect((await portal.admin.patch(`/threads/${thread}`, { assigneeId: tess })).status).toBe(200)
    const moved = await portal.admin.patch(`/admin/projects/${projectId}`, { teamIds: [] })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    const out = await portal.admin.delete(`/threads/${thread}/participants/${tess}`)
    expect(out.status, JSON.stringify(out.body)).toBe(200)
    const list = await notified(portal.admin, thread)
    expect(list.people.find((p) => p.name === 'Tess Nguyen')?.as).toEqual(['assignee'])
    expect(channelsOf(list, 'Tess Nguyen').desktop).toBe(
      'off (not on the project: their Portal Inbox does not receive this conversation)',
    )
  })
})
