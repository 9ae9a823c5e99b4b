import { randomUUID } from 'node:crypto'
import { assert, describe, expect, it } from 'vitest'
import { Api } from '../support/api'
import { testClock, testClockAt } from '../support/clock'
import { demoPeople, serverForFile } from '../support/file-server'
import { mailDelivered, MailSink, type ReceivedMail } from '../support/mail'

/**
 * The links in mail that act without a password, over real SMTP: the one-click unsubscribe of
 * a message alert (RFC 8058) and the one-time sign-in link a customer asks for.
 */

const PUBLIC = 'https://portal.harbor.test'
const sink = new MailSink()
const portal = serverForFile({
  people: demoPeople('admin', 'sam', 'carla', 'chris'),
  env: { PORTAL_PUBLIC_URL: PUBLIC },
  mail: sink,
  fixedPort: true,
})

const CARLA = 'customer@demo.test'
const CHRIS = 'customer3@demo.test'
const SAM = 'staff@demo.test'
const tag = () => randomUUID().slice(0, 8)
const anyone = () => new Api(portal.server.url)

/** A mail's header lines as written, by lowercased name (mailparser rewrites List-* headers). */
const header = (mail: ReceivedMail, name: string) =>
  mail.parsed.headerLines
    .find((h) => h.key === name.toLowerCase())
    ?.line.replace(/^[^:]+:\s*/, '')
    .replace(/\r?\n\s+/g, ' ')

/**
 * Sam starts a conversation with these people (Carla and Chris unless said); its subject and
 * thread, and each one's alert once it arrives, by address.
 */
async function alertsOfNewThread(emails = [CARLA, CHRIS]) {
  const subject = `Tile samples ${tag()}`
  const res = await portal.sam.post('/threads', {
    clientId: randomUUID(),
    projectId: portal.dir.project('Maple'),
    subject,
    body: 'The tile samples are at the office.',
    participantIds: emails.map((e) => portal.dir.person(e)),
  })
  expect(res.status).toBe(201)
  const mails = new Map<string, ReceivedMail>()
  for (const to of emails)
    mails.set(
      to,
      await sink.waitFor((m) => m.envelopeTo.includes(to) && m.subject.endsWith(subject)),
    )
  const alertTo = (to: string) => mails.get(to) ?? assert.fail(`no alert to ${to}`)
  return { subject, threadId: res.body.thread.id as string, alertTo }
}

/** The token of a mail's List-Unsubscribe link. */
function unsubscribeToken(mail: ReceivedMail): string {
  const link = header(mail, 'List-Unsubscribe') ?? ''
  const match = new RegExp(`^<${PUBLIC}/api/v1/unsubscribe/([A-Za-z0-9_-]{40,})>$`).exec(link)
  if (!match?.[1]) throw new Error(`no unsubscribe link in "${link}"`)
  return match[1]
}

/** What a mail client sends for a one-click unsubscribe (RFC 8058 §3.1). */
const oneClick = (token: string) =>
  anyone().request('POST', `/unsubscribe/${token}`, undefined, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    raw: 'List-Unsubscribe=One-Click',
  })

const alertsOn = async (who: Api) =>
  (await who.get('/me')).body.preferences.emailOnNewMessage as boolean

describe('one-click unsubscribe', () => {
  it('is in every customer alert (a link of its own in each) and in no staff mail', async () => {
    const first = await alertsOfNewThread()
    const second = await alertsOfNewThread()
    for (const mail of [first.alertTo(CARLA), first.alertTo(CHRIS), second.alertTo(CARLA)])
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    const carlaFirst = unsubscribeToken(first.alertTo(CARLA))
    expect(carlaFirst).not.toBe(unsubscribeToken(second.alertTo(CARLA)))
    expect(carlaFirst).not.toBe(unsubscribeToken(first.alertTo(CHRIS)))

    // Carla answers: Sam's alert is staff mail, without the header.
    await portal.sam.patch('/me/preferences', { emailOnNewMessage: true })
    const reply = await portal.carla.post(`/threads/${first.threadId}/messages`, {
      clientId: randomUUID(),
      body: 'I will pick them up on Friday.',
    })
    expect(reply.status).toBe(201)
    const staffMail = await sink.waitFor(
      (m) => m.envelopeTo.includes(SAM) && m.subject.endsWith(first.subject),
    )
    expect(header(staffMail, 'List-Unsubscribe')).toBeUndefined()
    await portal.sam.patch('/me/preferences', { emailOnNewMessage: false })
  })

  it('GET of the link or of the landing page changes nothing; the POST turns only that person’s alerts off', async () => {
    const token = unsubscribeToken((await alertsOfNewThread()).alertTo(CARLA))
    // A mail scanner fetches links before anyone clicks them.
    expect((await anyone().get(`/unsubscribe/${token}`)).status).toBe(404)
    const landing = await fetch(`${portal.server.url}/portal/unsubscribe?token=${token}`)
    expect([200, 503]).toContain(landing.status)
    expect(await alertsOn(portal.carla)).toBe(true)

    const res = await oneClick(token)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true, email: CARLA })
    expect(await alertsOn(portal.carla)).toBe(false)
    expect(await alertsOn(portal.chris)).toBe(true)
    // Again (a mail client retrying): the same answer, nothing more.
    expect((await oneClick(token)).body).toEqual({ ok: true, email: CARLA })

    // Off means off: Sam's next message mails Chris, not Carla.
    const { subject } = await alertsOfNewThread([CHRIS])
    await mailDelivered(portal.server, testClock)
    expect(sink.to(CARLA, (m) => m.subject.endsWith(subject))).toEqual([])
    expect((await portal.carla.patch('/me/preferences', { emailOnNewMessage: true })).status).toBe(
      200,
    )
  })

  it('a token that is no one’s changes nothing and says how to turn alerts off instead', async () => {
    const res = await oneClick('x'.repeat(43))
    expect(res.status).toBe(404)
    expect(res.body.error.message).toBe(
      'This unsubscribe link is not complete, so nothing was changed. Open it again from the email, or sign in to your portal and turn message emails off in Settings.',
    )
    expect(await alertsOn(portal.carla)).toBe(true)
    expect(await alertsOn(portal.chris)).toBe(true)
  })
})

const LINK_SENT =
  'If that address has a portal account, we’ve sent it a sign-in link. The link works once, for 15 minutes; check your spam folder if it does not arrive.'
const LINK_USED =
  'This sign-in link has expired or was already used (each link works once, for 15 minutes). Ask for a new one below, or sign in with your password.'

/** The sign-in link in the newest sign-in mail to `to`, once it arrives after `before` mails. */
async function signInLinkTo(to: string, before: number): Promise<URL> {
  await sink.waitFor(() => sink.to(to, (m) => m.subject.includes('sign-in link')).length > before)
  const mail = sink.to(to, (m) => m.subject.includes('sign-in link')).at(-1)!
  const link = mail.text.match(new RegExp(`${PUBLIC}/portal/sign-in-link\\?\\S+`))?.[0]
  if (!link) throw new Error(`no sign-in link in: ${mail.text}`)
  return new URL(link)
}

const sentLinks = (to: string) => sink.to(to, (m) => m.subject.includes('sign-in link')).length

/** Asks for a sign-in link for `email` (into `threadId`, if given); the link that is mailed. */
async function mailedLink(email: string, threadId?: string): Promise<URL> {
  const before = sentLinks(email)
  await anyone().post('/auth/sign-in-link', { email, ...(threadId && { threadId }) })
  return signInLinkTo(email, before)
}

/** The link signs no one in, and says it is used up or expired. */
async function expectUsedUp(url: URL) {
  const res = await useLink(url)
  expect(res.status).toBe(400)
  expect(res.body.error.message).toBe(LINK_USED)
}
const useLink = (url: URL, headers: Record<string, string> = {}) =>
  anyone().request(
    'POST',
    '/auth/sign-in-link/use',
    { token: url.searchParams.get('token') },
    {
      headers,
    },
  )

describe('sign-in by email link', () => {
  it('answers the same for any address, and mails only a customer or subcontractor with portal access', async () => {
    const before = {
      carla: sentLinks(CARLA),
      sam: sentLinks(SAM),
      nora: sentLinks('noaccess@demo.test'),
    }
    const answers = []
    for (const email of [CARLA, 'nobody@demo.test', SAM, 'noaccess@demo.test'])
      answers.push(await anyone().post('/auth/sign-in-link', { email }))
    for (const res of answers) {
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ ok: true, message: LINK_SENT })
    }
    await signInLinkTo(CARLA, before.carla)
    await mailDelivered(portal.server, testClock)
    expect(sentLinks(SAM)).toBe(before.sam)
    expect(sentLinks('noaccess@demo.test')).toBe(before.nora)
  })

  it('signs in once with the link, into the conversation it was asked from; the page gets a cookie, not the token', async () => {
    const { threadId } = await alertsOfNewThread([CHRIS])
    const url = await mailedLink(CHRIS, threadId)
    expect(url.pathname).toBe('/portal/sign-in-link')
    expect(url.searchParams.get('thread')).toBe(threadId)

    const web = await useLink(url, { 'x-portal-client': 'web' })
    expect(web.status).toBe(200)
    expect(web.body.token).toBe('')
    expect(web.body.user.email).toBe(CHRIS)
    expect(web.headers.get('set-cookie')).toMatch(/HttpOnly/i)

    await expectUsedUp(url)
  })

  it('an older link is used up once a newer one signs in; a link no one was sent does nothing', async () => {
    const older = await mailedLink(CARLA)
    const newer = await mailedLink(CARLA)
    const signedIn = await useLink(newer)
    expect(signedIn.status).toBe(200)
    expect((await new Api(portal.server.url, signedIn.body.token).get('/me')).body.user.email).toBe(
      CARLA,
    )
    await expectUsedUp(older)
    const made = new URL(newer)
    made.searchParams.set('token', 'y'.repeat(43))
    await expectUsedUp(made)
  })

  it('works for a subcontractor too, and not once the person’s address has changed', async () => {
    const SID = 'sub@demo.test'
    const url = await mailedLink(SID)
    const moved = await portal.admin.patch(`/admin/people/${portal.dir.person(SID)}`, {
      email: 'sid@sparks-electric.test',
    })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    await expectUsedUp(url)
  })

  it('is used up when portal access is turned off, even if it is turned on again at once', async () => {
    const url = await mailedLink(CHRIS)
    const chris = `/admin/people/${portal.dir.person(CHRIS)}`
    expect((await portal.admin.patch(chris, { portalAccess: false })).status).toBe(200)
    expect((await portal.admin.patch(chris, { portalAccess: true })).status).toBe(200)
    await expectUsedUp(url)
  })

  it('expires 15 minutes after it was sent, on the server’s clock', async () => {
    const url = await mailedLink(CHRIS)
    const later = testClockAt(new Date(testClock.now() + 16 * 60_000).toISOString())
    await portal.restart(undefined, { env: later.env })
    await expectUsedUp(url)
  })
})
