import { randomUUID } from 'node:crypto'
import AxeBuilder from '@axe-core/playwright'
import fs from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PORTAL_DIST } from '../../server/src/app'
import { demoPdf } from '../../server/src/demo/seed'
import { newContext } from '../support/browser'
import { browserForFile, requireBuilt } from '../support/file-hooks'
import { serverForFile } from '../support/file-server'
import { MailSink, type ReceivedMail } from '../support/mail'

/**
 * The customer portal's side of the links in mail (issue 14): a sign-in link asked for on the
 * sign-in page and opened from the mail while signed out, the unsubscribe landing page, a file
 * link that downloads once signed in, and the browser check. Mail goes over real SMTP to a sink.
 */

const CARLA = 'customer@demo.test'
const sink = new MailSink()
const portal = serverForFile({
  people: { admin: 'admin@demo.test', sam: 'staff@demo.test', carla: CARLA },
  mail: sink,
  before: () => requireBuilt(PORTAL_DIST, 'portal page'),
})
const browser = browserForFile()
const tag = () => randomUUID().slice(0, 8)

async function signedOutPage(init?: string): Promise<Page> {
  const context = await newContext(browser(), { viewport: { width: 1280, height: 860 } })
  context.setDefaultTimeout(8_000)
  if (init) await context.addInitScript(init)
  return context.newPage()
}

/** Sam writes to Carla in a new conversation (with a file, if given); Carla's alert. */
async function samWritesToCarla(file?: { name: string; bytes: Buffer }) {
  const subject = `Permit status ${tag()}`
  const projectId = portal.dir.project('Maple')
  const attachmentIds = file
    ? [(await portal.sam.upload(projectId, file.name, file.bytes)).body.attachment.id as string]
    : []
  const res = await portal.sam.post('/threads', {
    clientId: randomUUID(),
    projectId,
    subject,
    body: 'The permit came through this morning.',
    participantIds: [portal.dir.person(CARLA)],
    attachmentIds,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const mail = await sink.waitFor(
    (m) => m.envelopeTo.includes(CARLA) && m.subject.endsWith(subject),
  )
  return { subject, threadId: res.body.thread.id as string, mail, attachmentIds }
}

/** A link of the mail's text part that starts with this path. */
function linkIn(mail: ReceivedMail, pathStart: string): string {
  const link = mail.text.match(new RegExp(`https?://[^\\s]+${pathStart}[^\\s]*`))?.[0]
  if (!link) throw new Error(`no ${pathStart} link in: ${mail.text}`)
  return link
}

const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)

const alertsOn = async () =>
  (await portal.carla.get('/me')).body.preferences.emailOnNewMessage as boolean

describe('sign-in by email link', () => {
  it('asked for on a conversation’s sign-in page, opened from the mail while signed out: signed in, on that conversation', async () => {
    const { subject, threadId } = await samWritesToCarla()
    const page = await signedOutPage()
    await page.goto(`${portal.server.url}/portal/threads/${threadId}`)
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    await page.getByLabel(/^Email/).fill(CARLA)
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('If that address has a portal account, we’ve sent it a sign-in link.')

    const mail = await sink.waitFor(
      (m) => m.envelopeTo.includes(CARLA) && m.subject.includes('sign-in link'),
    )
    const link = linkIn(mail, '/portal/sign-in-link')
    expect(new URL(link).searchParams.get('thread')).toBe(threadId)
    // Another browser, as when the mail is opened on the phone: no session there either.
    const fromMail = await signedOutPage()
    await fromMail.goto(link)
    await fromMail.getByRole('heading', { level: 1, name: subject }).waitFor()
    expect(new URL(fromMail.url()).pathname).toBe(`/portal/threads/${threadId}`)
    expect(await fromMail.locator('main').textContent()).toContain('The permit came through')
    await fromMail.getByRole('button', { name: 'Sign out' }).waitFor()

    // The same link a second time: it says so, and offers a new one for the same conversation.
    const again = await signedOutPage()
    await again.goto(link)
    await again.getByRole('heading', { name: 'This sign-in link can’t be used' }).waitFor()
    expect(await again.getByRole('alert').textContent()).toBe(
      'This sign-in link has expired or was already used (each link works once, for 15 minutes). Ask for a new one below, or sign in with your password.',
    )
    await again.getByRole('button', { name: 'Send me a sign-in link' }).waitFor()
    expect(await seriousViolations(again)).toEqual([])
    await Promise.all([page, fromMail, again].map((p) => p.context().close()))
  })
})

describe('the unsubscribe landing page', () => {
  it('changes nothing when opened; its button turns message emails off and says how to turn them on', async () => {
    const { mail } = await samWritesToCarla()
    const header = mail.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? ''
    const token = /\/api\/v1\/unsubscribe\/([A-Za-z0-9_-]+)>/.exec(header)?.[1]
    expect(token, header).toBeTruthy()
    const page = await signedOutPage()
    await page.goto(`${portal.server.url}/portal/unsubscribe?token=${token}`)
    await page.getByRole('heading', { name: 'Stop message emails' }).waitFor()
    expect(await alertsOn()).toBe(true)
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Turn off message emails' }).click()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe(
        `Message emails are offWe won’t email ${CARLA} when a new message arrives. Your conversations stay in your portal, and you can still read and reply there.`,
      )
    expect(await alertsOn()).toBe(false)
    expect(await page.locator('body').textContent()).toContain(
      'To turn them on again, sign in to your portal, open Settings and switch on “Email me when a new message arrives”.',
    )
    expect((await portal.carla.patch('/me/preferences', { emailOnNewMessage: true })).status).toBe(
      200,
    )
    await page.context().close()
  })
})

describe('links cut short by a mail app', () => {
  it('say so, change nothing and offer the way on', async () => {
    const page = await signedOutPage()
    await page.goto(`${portal.server.url}/portal/unsubscribe?token=abc`)
    expect(await page.getByRole('alert').textContent()).toBe(
      'This unsubscribe link is not complete, so nothing was changed. Open it again from the email, or sign in to your portal and turn message emails off in Settings.',
    )
    expect(await page.getByRole('button', { name: 'Turn off message emails' }).count()).toBe(0)
    await page.goto(`${portal.server.url}/portal/sign-in-link?token=abc`)
    expect(await page.getByRole('alert').textContent()).toBe(
      'This sign-in link is not complete: your mail app may have cut it short. Open it again from the email, or ask for a new one below.',
    )
    await page.getByRole('button', { name: 'Send me a sign-in link' }).waitFor()
    expect(await alertsOn()).toBe(true)
    await page.context().close()
  })
})

describe('a file link from a mail', () => {
  it('opened signed out: sign in first, then the conversation opens and the file downloads', async () => {
    const bytes = demoPdf('inspection')
    const { subject, mail, attachmentIds } = await samWritesToCarla({
      name: 'inspection.pdf',
      bytes,
    })
    const link = linkIn(mail, '/portal/threads/')
    expect(link).toContain(`?file=${attachmentIds[0]}`)
    const page = await signedOutPage()
    await page.goto(link)
    await page.getByLabel(/^Email/).fill(CARLA)
    await page.getByLabel(/^Password/).fill('portal-demo')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('inspection.pdf')
    expect(
      await file.path().then((p) => import('node:fs/promises').then((fs) => fs.readFile(p))),
    ).toEqual(bytes)
    await page.getByRole('heading', { level: 1, name: subject }).waitFor()
    expect(await page.getByRole('status').first().textContent()).toContain(
      'Downloading “inspection.pdf”.',
    )
    // The address loses the file, so a reload does not download it again.
    expect(new URL(page.url()).search).toBe('')
    await page.context().close()
  })

  it('a staff member’s file link (/portal/open/…?file=) keeps the file when read in the browser', async () => {
    const bytes = demoPdf('survey')
    const { subject, threadId, attachmentIds } = await samWritesToCarla({
      name: 'survey.pdf',
      bytes,
    })
    const page = await signedOutPage()
    await page.goto(`${portal.server.url}/portal/open/${threadId}?file=${attachmentIds[0]}`)
    await page.getByRole('link', { name: 'Read it in the browser' }).click()
    await page.getByLabel(/^Email/).fill('staff@demo.test')
    await page.getByLabel(/^Password/).fill('portal-demo')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    expect(await fs.readFile(await (await download).path())).toEqual(bytes)
    await page.getByRole('heading', { level: 1, name: subject }).waitFor()
    await page.context().close()
  })
})

describe('the browser check', () => {
  it('says in the help page’s words when the browser lacks what the page needs, and when cookies are blocked', async () => {
    const old = await signedOutPage('delete window.WebSocket')
    await old.goto(`${portal.server.url}/portal/`)
    await expect
      .poll(() => old.locator('#browser-check').textContent())
      .toBe(
        'Your browser can’t open the client portalThis browser lacks what the portal needs (live updates (WebSocket)). Make sure your browser is up to date: use the newest Chrome, Edge, Firefox or Safari, then open this page again.',
      )
    const noCookies = await signedOutPage(
      "Object.defineProperty(Navigator.prototype, 'cookieEnabled', { get: () => false })",
    )
    await noCookies.goto(`${portal.server.url}/portal/`)
    await expect
      .poll(() => noCookies.locator('#browser-check').textContent())
      .toContain('Cookies are blocked for this site')
    // An up-to-date browser hears nothing of it.
    const fine = await signedOutPage()
    await fine.goto(`${portal.server.url}/portal/`)
    await fine.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    await fine.waitForLoadState('load')
    expect(await fine.locator('#browser-check').count()).toBe(0)
    await Promise.all([old, noCookies, fine].map((p) => p.context().close()))
  })
})
