import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import {
  DigestResult,
  ErrorBodySchema,
  Me,
  Preferences,
  Session,
  ThreadWithMessage,
} from '../../src/shared/protocol'
import { Api, demoDirectory, signIn } from '../support/api'
import { startPortalServer } from '../../server/src/server'
import { ServerConfig } from '../../server/src/config'
import { ManualClock } from '../../src/shared/clock'
import { IN_BUSINESS_HOURS, OUTSIDE_BUSINESS_HOURS, testClock, testClockAt } from '../support/clock'
import { mailDelivered, MailSink, toReceived, type ReceivedMail } from '../support/mail'
import { startServer } from '../support/server'
import { demoPeople, serverForFile } from '../support/file-server'

/**
 * Email, end to end: the real portal server delivers its mail outbox over SMTP to a real SMTP
 * receiver (smtp-server) in this process, and each case asserts on the parsed messages it got.
 */

const PUBLIC_URL = 'https://portal.example.test'
const COMPANY = 'Harbor & Pine Builders'
const MAPLE = 'Maple Street Remodel'
const OAK = 'Oak Ridge New Build'

const sink = new MailSink()
const received = sink.received
/** The demo company's server, inside its business hours (the test clock): no auto-replies. */
const portal = serverForFile({
  people: demoPeople('admin', 'sam', 'carla', 'chris', 'tess'),
  // Said, not assumed: the demo auto-replies outside business hours, which would add mail
  // to every customer message below.
  clock: testClockAt(IN_BUSINESS_HOURS),
  mail: sink,
  env: { PORTAL_PUBLIC_URL: PUBLIC_URL, PORTAL_SCHEDULER_MS: '200' },
})
/** A second server without an SMTP URL: it writes .eml files. */
const emlPortal = serverForFile({
  people: {},
  env: { PORTAL_SCHEDULER_MS: '200' },
  // It must not inherit an SMTP or public URL from the environment running the tests.
  unsetEnv: ['PORTAL_SMTP_URL', 'PORTAL_PUBLIC_URL'],
})

const tag = () => randomUUID().slice(0, 8)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const waitForMail = (predicate: (m: ReceivedMail) => boolean, timeoutMs?: number) =>
  sink.waitFor(predicate, timeoutMs)
const mailsTo = (address: string, predicate?: (m: ReceivedMail) => boolean) =>
  sink.to(address, predicate)
/** Waits until every mail queued so far has been delivered, so "nothing was sent" can be asserted. */
const flushMail = () => mailDelivered(portal.server)
/** Everyone a mail with `text` in it went to (sorted), once every mail queued so far is delivered. */
async function recipientsOf(text: string): Promise<string[]> {
  await flushMail()
  return received
    .filter((m) => m.text.includes(text))
    .flatMap((m) => m.envelopeTo)
    .sort()
}

function isStaffEmail(address: string): boolean {
  return ['admin@demo.test', 'staff@demo.test', 'staff2@demo.test'].includes(address)
}

function linksIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s>)"]+/g) ?? []
}

/** Who of the file's demo people writes or sets something. */
type Person = 'admin' | 'sam' | 'carla' | 'chris' | 'tess'

async function startThread(
  who: Person,
  project: string,
  subject: string,
  body: string,
  extra: { urgent?: boolean } = {},
) {
  const res = await portal[who].post('/threads', {
    clientId: randomUUID(),
    projectId: portal.dir.project(project),
    subject,
    body,
    ...extra,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return ThreadWithMessage.parse(res.body)
}

async function reply(
  who: Person,
  threadId: string,
  body: string,
  extra: { internal?: boolean } = {},
) {
  const res = await portal[who].post(`/threads/${threadId}/messages`, {
    clientId: randomUUID(),
    body,
    ...extra,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return ThreadWithMessage.parse(res.body)
}

async function setPreferences(who: Person, patch: Partial<Preferences>): Promise<Preferences> {
  const res = await portal[who].patch('/me/preferences', patch)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return Preferences.parse(res.body)
}

describe('customer alerts', () => {
  it('a staff reply emails the customer contacts with the subject and the exact portal link', async () => {
    const subject = `Window trim colour ${tag()}`
    const { thread } = await startThread('carla', 'Maple', subject, 'Which white for the trim?')
    const body = `We suggest Cloud White for the trim, ${tag()}.`
    await reply('sam', thread.id, body)

    const link = `${PUBLIC_URL}/portal/threads/${thread.id}`
    for (const customer of ['customer@demo.test', 'customer3@demo.test']) {
      const mail = await waitForMail(
        (m) => m.envelopeTo.includes(customer) && m.text.includes(body),
      )
      expect(mail.envelopeTo).toEqual([customer])
      expect(mail.to).toEqual([customer])
      expect(mail.envelopeFrom).toBe('no-reply@portal-inbox.local')
      // In the builder's name, not the software's.
      expect(mail.parsed.from?.value[0]).toEqual({
        name: COMPANY,
        address: 'no-reply@portal-inbox.local',
      })
      expect(mail.subject).toBe(`New message from ${COMPANY}: ${subject}`)
      expect(mail.text).toContain(`Sam Rivera from ${COMPANY} wrote in "${subject}" (${MAPLE})`)
      expect(linksIn(mail.text)).toContain(link)
      expect(mail.text).toContain(`Read and reply in your portal: ${link}\n`)
      expect(linksIn(mail.text)).toContain(`${PUBLIC_URL}/portal/settings`)
    }
    // Only the customers hear about a staff message; the author and the rest of the team do not.
    expect(await recipientsOf(body)).toEqual(['customer3@demo.test', 'customer@demo.test'])
  })

  it('an internal note sends nothing to customers (nor anyone else)', async () => {
    const subject = `Change order pricing ${tag()}`
    const { thread } = await startThread('carla', 'Maple', subject, 'What would the upgrade cost?')
    const note = `Internal only: margin is 30 percent ${tag()}`
    await reply('sam', thread.id, note, { internal: true })
    const answer = `The upgrade adds about two thousand, ${tag()}.`
    await reply('sam', thread.id, answer)
    await waitForMail((m) => m.envelopeTo.includes('customer@demo.test') && m.text.includes(answer))
    await flushMail()
    expect(received.filter((m) => m.text.includes(note) || m.text.includes('30 percent'))).toEqual(
      [],
    )
    // The customers got exactly one alert in this thread: the public answer.
    expect(mailsTo('customer@demo.test', (m) => m.subject.endsWith(subject))).toHaveLength(1)
  })

  it('a customer who turned message alerts off gets nothing; the other contact still does', async () => {
    const prefs = await setPreferences('chris', { emailOnNewMessage: false })
    expect(prefs.emailOnNewMessage).toBe(false)
    try {
      const subject = `Driveway pour ${tag()}`
      const { thread } = await startThread(
        'carla',
        'Maple',
        subject,
        'When is the driveway poured?',
      )
      const body = `Concrete is booked for Wednesday, ${tag()}.`
      await reply('sam', thread.id, body)
      await waitForMail((m) => m.envelopeTo.includes('customer@demo.test') && m.text.includes(body))
      await flushMail()
      expect(mailsTo('customer3@demo.test', (m) => m.subject.endsWith(subject))).toEqual([])
    } finally {
      await setPreferences('chris', { emailOnNewMessage: true })
    }
  })
})

describe('staff alerts', () => {
  it('staff get an email about a customer message only when opted in', async () => {
    const me = Me.parse((await portal.sam.get('/me')).body)
    expect(me.preferences).toEqual({
      emailOnNewMessage: false,
      emailUrgent: true,
      emailDigest: true,
    })

    const subject = `Fence gate ${tag()}`
    const first = `Could the gate open inward? ${tag()}`
    const { thread } = await startThread('carla', 'Maple', subject, first)
    await flushMail()
    expect(
      received.filter((m) => m.text.includes(first) && m.envelopeTo.some(isStaffEmail)),
    ).toEqual([])

    await setPreferences('sam', { emailOnNewMessage: true })
    try {
      const second = `On second thought, outward is fine. ${tag()}`
      await reply('carla', thread.id, second)
      const mail = await waitForMail(
        (m) => m.envelopeTo.includes('staff@demo.test') && m.text.includes(second),
      )
      expect(mail.subject).toBe(`Carla Mendes (${MAPLE}): ${subject}`)
      expect(mail.text).toContain(`Carla Mendes wrote in "${subject}" on ${MAPLE}:`)
      expect(mail.text).toContain(`${PUBLIC_URL}/portal/open/${thread.id}`)
      // Ada (admin, on the Maple team) kept the default: no alert for her.
      expect(await recipientsOf(second)).toEqual(['staff@demo.test'])
    } finally {
      await setPreferences('sam', { emailOnNewMessage: false })
    }
    await reply('sam', thread.id, 'Outward it is.')
  })

  it('an urgent customer message (keyword) emails "URGENT:" to staff with urgent alerts on', async () => {
    const subject = `Basement ${tag()}`
    const body = `This is an emergency, the sump pump stopped. ${tag()}`
    const { thread, message } = await startThread('carla', 'Maple', subject, body)
    expect(message.urgent).toBe(true)
    for (const person of ['staff@demo.test', 'admin@demo.test']) {
      const mail = await waitForMail((m) => m.envelopeTo.includes(person) && m.text.includes(body))
      expect(mail.subject).toBe(`URGENT: Carla Mendes (${MAPLE}): ${subject}`)
      expect(mail.text).toContain('and it is marked urgent')
      expect(mail.text).toContain(`${PUBLIC_URL}/portal/open/${thread.id}`)
    }
    // Customers never get staff alerts; Tess is not on Maple Street.
    expect(await recipientsOf(body)).toEqual(['admin@demo.test', 'staff@demo.test'])
    await reply('sam', thread.id, 'On our way.')
  })

  it('urgent:true without a keyword also alerts; a staff member with urgent alerts off is skipped', async () => {
    await setPreferences('admin', { emailUrgent: false })
    try {
      const subject = `Front door ${tag()}`
      const body = `The front door lock is stuck and we cannot get in. ${tag()}`
      const { thread, message } = await startThread('carla', 'Maple', subject, body, {
        urgent: true,
      })
      expect(message.urgent).toBe(true)
      const mail = await waitForMail(
        (m) => m.envelopeTo.includes('staff@demo.test') && m.text.includes(body),
      )
      expect(mail.subject.startsWith('URGENT:')).toBe(true)
      expect(mail.subject).toBe(`URGENT: Carla Mendes (${MAPLE}): ${subject}`)
      await flushMail()
      expect(mailsTo('admin@demo.test', (m) => m.text.includes(body))).toEqual([])
      await reply('sam', thread.id, 'A locksmith is coming.')
    } finally {
      await setPreferences('admin', { emailUrgent: true })
    }
  })
})

describe('the digest', () => {
  it('POST /admin/digest emails each staff member who wants it the activity they may see', async () => {
    await flushMail()
    const since = testClock.iso()
    await sleep(5)
    const mapleSubject = `Dumpster pickup ${tag()}`
    const maple = await startThread(
      'carla',
      'Maple',
      mapleSubject,
      'Is the dumpster pickup Monday?',
    )
    const oakSubject = `Framing inspection ${tag()}`
    await startThread('sam', 'Oak', oakSubject, 'The framing inspection passed today.')

    const res = await portal.admin.post('/admin/digest', { since })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const result = DigestResult.parse(res.body)
    expect(result.periodStart).toBe(since)
    // Ada, Sam and Tess all have emailDigest on by default, and each has something to read.
    expect(result.queued).toBe(3)

    const header = `from ${since.slice(0, 16).replace('T', ' ')} to ${result.periodEnd.slice(0, 16).replace('T', ' ')} UTC`
    const digestFor = (person: string) =>
      waitForMail(
        (m) =>
          m.envelopeTo.includes(person) &&
          m.subject.startsWith(`Portal digest for ${COMPANY}`) &&
          m.text.includes(header),
      )
    const [forSam, forAda, forTess] = await Promise.all(
      ['staff@demo.test', 'admin@demo.test', 'staff2@demo.test'].map(digestFor),
    )

    for (const mail of [forSam, forAda]) {
      if (!mail) throw new Error('missing digest')
      expect(mail.subject).toBe(`Portal digest for ${COMPANY}: 2 new messages`)
      expect(mail.text).toContain('2 new messages, 2 new conversations.')
      expect(mail.text).toContain(`- ${MAPLE}: 1 message (1 from customers)`)
      expect(mail.text).toContain(`- ${OAK}: 1 message (0 from customers)`)
      expect(mail.text).toContain('Waiting for an answer:')
      const waiting = mail.text.split('\n').find((l) => l.includes(mapleSubject))
      expect(waiting).toMatch(new RegExp(`^- ${mapleSubject} \\(${MAPLE}\\), since .* UTC: `))
      expect(waiting).toContain(`${PUBLIC_URL}/portal/open/${maple.thread.id}`)
      // A thread the staff started is not waiting on the team.
      expect(mail.text).not.toContain(oakSubject)
    }
    // Tess is on Oak Ridge only: Maple Street activity is not hers to see.
    if (!forTess) throw new Error('missing digest')
    expect(forTess.subject).toBe(`Portal digest for ${COMPANY}: 1 new message`)
    expect(forTess.text).toContain('1 new message, 1 new conversation.')
    expect(forTess.text).toContain(`- ${OAK}: 1 message (0 from customers)`)
    expect(forTess.text).not.toContain(MAPLE)
    expect(forTess.text).not.toContain(mapleSubject)

    // Exactly one digest each for this period.
    expect(await recipientsOf(header)).toEqual([
      'admin@demo.test',
      'staff2@demo.test',
      'staff@demo.test',
    ])

    // Opting out of the digest means no digest.
    await setPreferences('tess', { emailDigest: false })
    try {
      // Everything queued before was delivered (flushMail above), so what arrives now is new.
      const start = received.length
      const again = DigestResult.parse((await portal.admin.post('/admin/digest', { since })).body)
      expect(again.queued).toBe(2)
      await flushMail()
      const digests = received
        .slice(start)
        .filter((m) => m.subject.startsWith(`Portal digest for ${COMPANY}`))
        .filter((m) => m.text.includes(`from ${since.slice(0, 16).replace('T', ' ')} to `))
      expect(digests.flatMap((m) => m.envelopeTo).sort()).toEqual([
        'admin@demo.test',
        'staff@demo.test',
      ])
    } finally {
      await setPreferences('tess', { emailDigest: true })
    }
    await reply('sam', maple.thread.id, 'Yes, Monday morning.')
  })
})

describe('the auto-reply', () => {
  it('answers a customer message once per thread within 12 hours', async () => {
    const original = (await portal.admin.get('/admin/settings')).body.autoReply
    const set = await portal.admin.patch('/admin/settings', {
      autoReply: { enabled: true, text: 'Thanks! We got it.', when: 'always' },
    })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    try {
      const subject = `Paint order ${tag()}`
      const { thread } = await startThread('carla', 'Maple', subject, 'Did the paint order go out?')
      const mail = await waitForMail(
        (m) =>
          m.envelopeTo.includes('customer@demo.test') &&
          m.subject === `We received your message: ${subject}`,
      )
      expect(mail.text).toContain('Hello Carla Mendes,')
      expect(mail.text).toContain('Thanks! We got it.')
      expect(mail.text).toContain('We reply within one business day.')
      expect(linksIn(mail.text)).toContain(`${PUBLIC_URL}/portal/threads/${thread.id}`)

      await reply('carla', thread.id, 'And one more thing: the primer too.')
      await flushMail()
      const autoReplies = received.filter(
        (m) => m.subject === `We received your message: ${subject}`,
      )
      expect(autoReplies).toHaveLength(1)
      expect(autoReplies[0]?.envelopeTo).toEqual(['customer@demo.test'])
      await reply('sam', thread.id, 'Both are ordered.')
    } finally {
      await portal.admin.patch('/admin/settings', { autoReply: original })
    }
  })
})

describe('at other times (the server clock, PORTAL_CLOCK)', () => {
  const smtpEnv = () => ({
    PORTAL_SMTP_URL: sink.url,
    PORTAL_PUBLIC_URL: PUBLIC_URL,
    PORTAL_SCHEDULER_MS: '200',
  })

  it('the demo company auto-replies outside business hours and not inside them', async () => {
    // Inside (the main server, Monday 10:20 UTC): a customer message gets no auto-reply.
    const inside = `Porch light ${tag()}`
    await startThread('carla', 'Maple', inside, 'Which bulb goes in the porch light?')
    await flushMail()
    expect(received.filter((m) => m.subject === `We received your message: ${inside}`)).toEqual([])

    // Outside (Saturday 23:30 UTC): the same message is answered at once.
    const late = await startServer({ clock: testClockAt(OUTSIDE_BUSINESS_HOURS), env: smtpEnv() })
    try {
      const lateCarla = await signIn(late.url, 'customer@demo.test')
      const lateDir = await demoDirectory(await signIn(late.url, 'admin@demo.test'))
      const subject = `Garage door ${tag()}`
      const res = await lateCarla.post('/threads', {
        clientId: randomUUID(),
        projectId: lateDir.project('Maple'),
        subject,
        body: 'The garage door will not close.',
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      const mail = await waitForMail((m) => m.subject === `We received your message: ${subject}`)
      expect(mail.envelopeTo).toEqual(['customer@demo.test'])
      expect(mail.text).toContain('Our office hours are Monday to Friday, 8am to 5pm.')
      // "Call us" names the office phone and hours from Company Settings.
      expect(mail.text).toContain(
        'For urgent matters, please call us at (555) 010-4477 (Mon–Fri 8am–5pm).',
      )
    } finally {
      await late.stop()
      await fs.rm(late.dataDir, { recursive: true, force: true })
    }
  })

  it("the daily digest goes out when the company's digest hour (07:00) comes on the server clock", async () => {
    // The server runs in this process on a clock the test moves, so however long it takes to
    // start, it starts before 07:00 (recording the period that ended yesterday, unsent) and the
    // scheduler (every 100 ms) finds today's period once the clock passes the hour.
    const clock = new ManualClock(Date.parse('2026-12-07T06:59:00Z'))
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-digest-'))
    const early = await startPortalServer(
      ServerConfig.parse({
        port: 0,
        dataDir,
        demo: true,
        schedulerMs: 100,
        logLevel: 'silent',
        smtpUrl: sink.url,
        publicUrl: PUBLIC_URL,
      }),
      clock,
    )
    try {
      const header = 'from 2026-12-06 07:00 to 2026-12-07 07:00 UTC'
      const digests = () =>
        mailsTo(
          'staff@demo.test',
          (m) => m.text.includes(header) && m.subject.startsWith(`Portal digest for ${COMPANY}`),
        )
      await sleep(500)
      expect(digests()).toEqual([])
      clock.set('2026-12-07T07:00:01Z')
      const digest = await waitForMail((m) => digests().includes(m))
      expect(digest.text).toContain(MAPLE)
      // Once per period: the scheduler keeps running and sends no second one.
      await sleep(500)
      expect(digests()).toHaveLength(1)
    } finally {
      await early.close()
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  })
})

describe('invitations', () => {
  it('the invitation link sets a password once and signs the person in', async () => {
    const email = `ivy-${tag()}@example.test`
    const created = await portal.admin.post('/admin/people', {
      role: 'customer',
      name: 'Ivy Invitee',
      email,
      projectIds: [portal.dir.project('Maple')],
      invite: true,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)

    const mail = await waitForMail((m) => m.envelopeTo.includes(email))
    expect(mail.subject).toBe(`${COMPANY} invited you to their client portal`)
    expect(mail.text).toContain('Hello Ivy Invitee,')
    const link = linksIn(mail.text).find((l) => l.includes('token='))
    if (!link) throw new Error(`no set-password link in:\n${mail.text}`)
    const url = new URL(link)
    expect(url.origin).toBe(PUBLIC_URL)
    expect(url.pathname).toBe('/portal/set-password')
    const token = url.searchParams.get('token')
    expect(token?.length).toBeGreaterThanOrEqual(20)

    const open = new Api(portal.server.url)
    const accepted = await open.post('/auth/set-password', {
      token,
      password: 'a-brand-new-password',
    })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    const session = Session.parse(accepted.body)
    expect(session.user.email).toBe(email)
    const me = await open.as(session.token).get('/me')
    expect(me.status).toBe(200)
    expect(Me.parse(me.body).user.email).toBe(email)

    const reused = await open.post('/auth/set-password', {
      token,
      password: 'another-password-here',
    })
    expect(reused.status).toBe(400)
    expect(ErrorBodySchema.parse(reused.body).error.code).toBe('INVITATION_INVALID')

    // The password set through the link is the one that signs in.
    const signedIn = await open.post('/auth/sign-in', { email, password: 'a-brand-new-password' })
    expect(signedIn.status).toBe(200)
  })
})

describe('delivery', () => {
  it('every mail above went through SMTP without a failed attempt', () => {
    expect(portal.server.output()).not.toContain('mail delivery failed')
  })
})

describe('without an SMTP URL', () => {
  it('a customer alert is written as an .eml file under <data>/mail', async () => {
    const staff = await signIn(emlPortal.server.url, 'staff@demo.test')
    const projects = (await staff.get('/projects')).body.projects as { id: string; name: string }[]
    const mapleId = projects.find((p) => p.name === MAPLE)?.id
    const subject = `Eml check ${tag()}`
    const res = await staff.post('/threads', {
      clientId: randomUUID(),
      projectId: mapleId,
      subject,
      body: 'Written to disk, not sent.',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const { thread } = ThreadWithMessage.parse(res.body)

    const mailDir = path.join(emlPortal.server.dataDir, 'mail')
    const deadline = Date.now() + 10_000
    let found: ReceivedMail | undefined
    while (!found) {
      const files = await fs.readdir(mailDir).catch(() => [] as string[])
      for (const file of files.filter((f) => f.endsWith('.eml') && f.includes('-new-message-'))) {
        const parsed = await simpleParser(await fs.readFile(path.join(mailDir, file)))
        const mail = toReceived(parsed, [], '')
        if (mail.to.includes('customer@demo.test') && mail.subject.endsWith(subject)) found = mail
      }
      if (!found && Date.now() > deadline) throw new Error(`no .eml in ${mailDir}: ${files}`)
      if (!found) await sleep(50)
    }
    expect(found.subject).toBe(`New message from ${COMPANY}: ${subject}`)
    expect(found.text).toContain('Written to disk, not sent.')
    // Without a public URL the links point at the address the server listens on.
    expect(linksIn(found.text)).toContain(`${emlPortal.server.url}/portal/threads/${thread.id}`)
    // And nothing of it went over SMTP.
    expect(received.filter((m) => m.subject.endsWith(subject))).toEqual([])
  })
})
