import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PORTAL_DIST } from '../../server/src/app'
import { demoPdf } from '../../server/src/demo/seed'
import { signIn } from '../support/api'
import { newContext } from '../support/browser'
import { emlMails } from '../support/mail'
import { scriptPayloads } from '../support/payloads'
import { startHost } from '../../src/main/host/host'
import { serverForFile } from '../support/file-server'
import { browserForFile, requireBuilt, signedInEngine } from '../support/file-hooks'

const portal = serverForFile({
  people: { admin: 'admin@demo.test', staff: 'staff@demo.test' },
  // The script-payload case seeds 54 threads with files as one customer within seconds, faster
  // than a person's write limit allows; the limits have their own suites (tests/server/limits-*).
  env: { PORTAL_WRITE_LIMITS: 'off' },
  before: () => requireBuilt(PORTAL_DIST, 'portal page'),
})
const browser = browserForFile()
const shots = process.env.PORTAL_SCREENSHOTS

async function signedInPage(email: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
  const page = await (await newContext(browser(), { viewport })).newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  ;(page as Page & { errors: string[] }).errors = errors
  await page.goto(`${portal.server.url}/portal/`)
  await page.getByLabel(/^Email/).fill(email)
  await page.getByLabel(/^Password/).fill('portal-demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByTestId('messages-widget').waitFor()
  return page
}

describe('customer portal', () => {
  it('serves its page, and every route of it, with a strict CSP and no framing', async () => {
    for (const url of ['/portal/', '/portal/threads/some-thread', '/portal/settings']) {
      const res = await fetch(`${portal.server.url}${url}`)
      expect(res.status, url).toBe(200)
      expect(res.headers.get('content-security-policy'), url).toMatch(/script-src 'self';/)
      expect(res.headers.get('content-security-policy'), url).toMatch(/frame-ancestors 'none'/)
      expect(res.headers.get('x-frame-options'), url).toBe('DENY')
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff')
    }
  })

  it('signs in, shows the messages widget with new messages, and an unread mark in the navigation', async () => {
    const page = await signedInPage('customer@demo.test')
    await expect
      .poll(() => page.getByTestId('messages-widget').textContent())
      .toMatch(/\d+ new messages?/)
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Portal' }).textContent())
      .toMatch(/Messages\d+/)
    if (shots) await page.screenshot({ path: path.join(shots, 'portal-dashboard.png') })
    await page.close()
  })

  it('opens a thread (no internal note), marks it read, and replies', async () => {
    const page = await signedInPage('customer@demo.test')
    await page.getByRole('link', { name: 'Messages' }).first().click()
    await page.getByText('Water coming through the basement wall').click()
    await page.getByRole('article').first().waitFor()
    const text = await page.locator('main').textContent()
    expect(text).toContain('pooling on the floor')
    expect(text).not.toContain('Called Plumb Bros')
    await page
      .getByLabel('Your reply')
      .fill('Thank you, the plumber can come in through the side door.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await expect.poll(() => page.getByRole('article').last().textContent()).toContain('side door')
    if (shots)
      await page.screenshot({ path: path.join(shots, 'portal-thread.png'), fullPage: true })
    await page.close()
  })

  it('starts a conversation with a dropped file, and staff see it', async () => {
    const page = await signedInPage('customer@demo.test')
    await page.getByRole('link', { name: 'New message' }).first().click()
    await page.getByLabel(/^Subject/).fill('Permit copy')
    await page.getByLabel('Message').fill('Here is the permit you asked for.')
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'permit.pdf', mimeType: 'application/pdf', buffer: demoPdf('permit') })
    await page.getByText('permit.pdf').waitFor()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('heading', { name: 'Permit copy' }).waitFor()
    const threads = (await portal.staff.get('/threads?limit=20')).body.threads as {
      id: string
      subject: string
    }[]
    const created = threads.find((t) => t.subject === 'Permit copy')!
    const messages = (await portal.staff.get(`/threads/${created.id}/messages`)).body.messages
    expect(messages[0].attachments[0].name).toBe('permit.pdf')
    await page.close()
  })

  it('refuses an oversize file before uploading, naming the limit', async () => {
    const page = await signedInPage('customer@demo.test')
    await page.getByRole('link', { name: 'New message' }).first().click()
    await page.locator('input[type=file]').setInputFiles({
      name: 'huge.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(26 * 1024 * 1024),
    })
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('"huge.pdf" is 26 MB; the limit is 25 MB per file.')
    await page.close()
  })

  it('explains why a customer on a lead-stage project cannot send', async () => {
    const page = await signedInPage('customer4@demo.test')
    await page.getByRole('link', { name: 'New message' }).first().click()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(
        /open once the project is under way \(it is in the planning stage now\)\. Until then, please call us at \(555\) 010-4477/,
      )
    await page.close()
  })

  it('a staff reply sent through the desktop engine appears for the customer without a reload, and her answer reaches the engine', async () => {
    const sam = await signedInEngine(portal.server.url, 'staff@demo.test')
    try {
      const tile = (await sam.api.listThreads({ view: 'all', limit: 100 })).threads.find(
        (t) => t.subject === 'Tile selection for the primary bath',
      )!
      const page = await signedInPage('customer@demo.test')
      await page.goto(`${portal.server.url}/portal/threads/${tile.id}`)
      await page.getByRole('article').first().waitFor()
      await sam.api.reply({
        threadId: tile.id,
        body: 'Grout confirmed: Warm Gray, sent from the desktop inbox.',
      })
      await expect
        .poll(() => page.locator('main').textContent(), { timeout: 10_000 })
        .toContain('sent from the desktop inbox')
      await page.getByLabel('Your reply').fill('Great, thanks for confirming!')
      await page.getByRole('button', { name: 'Send reply' }).click()
      await sam.until(
        async () =>
          (await sam.api.openThread({ threadId: tile.id })).messages.some(
            (m) => m.body === 'Great, thanks for confirming!',
          ),
        'the customer reply in the engine cache',
      )
      await page.close()
    } finally {
      await sam.close()
    }
  })

  it('a customer message written in the portal reaches the staff inbox page through the headless host, without a reload', async () => {
    const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer')
    const sam = await signedInEngine(portal.server.url, 'staff@demo.test')
    const host = await startHost({ engine: sam.engine, rendererDir })
    try {
      const inbox = await (await newContext(browser())).newPage()
      await inbox.goto(host.openUrl)
      const rows = inbox.getByRole('list', { name: /conversations$/ }).getByRole('listitem')
      await expect.poll(() => rows.count()).toBeGreaterThan(0)

      const page = await signedInPage('customer@demo.test')
      await page.getByRole('link', { name: 'New message' }).first().click()
      await page.getByLabel(/^Subject/).fill('Through the host')
      await page.getByLabel('Message').fill('Does this reach the office?')
      await page.getByRole('button', { name: 'Send', exact: true }).click()
      await page.getByRole('heading', { name: 'Through the host' }).waitFor()

      await expect
        .poll(() => rows.filter({ hasText: 'Through the host' }).count(), { timeout: 10_000 })
        .toBe(1)
      const thread = (await sam.api.listThreads({ view: 'all', limit: 5 })).threads[0]
      expect(thread?.subject).toBe('Through the host')
      await page.close()
      await inbox.close()
    } finally {
      await host.close()
      await sam.close()
    }
  })

  it('Settings changes the password, signs out the other devices and keeps this one', async () => {
    const phone = await signIn(portal.server.url, 'customer3@demo.test')
    const page = await signedInPage('customer3@demo.test')
    await page.getByRole('link', { name: 'Settings' }).first().click()
    const form = page.getByRole('form', { name: 'Change password' })
    await form.getByLabel('Current password').fill('portal-demo')
    await form.getByLabel('New password', { exact: true }).fill('chris-mendes-2026')
    await form.getByLabel('New password again').fill('chris-mendes-2026')
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByRole('status').filter({ hasText: 'One other device was signed out' }).waitFor()
    expect((await phone.get('/me')).status).toBe(401)
    // This page is still signed in.
    await page.getByRole('link', { name: 'Messages' }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor()
    await signIn(portal.server.url, 'customer3@demo.test', 'chris-mendes-2026')
    expect((page as Page & { errors: string[] }).errors).toEqual([])
    await page.close()
  })

  it('“Forgot password?” mails a link; the set-password page speaks of a reset, the new password signs in, and the link works once', async () => {
    const page = await (
      await newContext(browser(), { viewport: { width: 1280, height: 860 } })
    ).newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const axe = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id)

    await page.goto(`${portal.server.url}/portal/`)
    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor()
    expect(await axe()).toEqual([])
    await page.getByLabel(/^Email/).fill('customer2@demo.test')
    await page.getByRole('button', { name: 'Send me a link' }).click()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/If that address has an account, we’ve sent it a link to set a new password\./)

    let mail
    for (const deadline = Date.now() + 10_000; !mail && Date.now() < deadline;) {
      mail = (await emlMails(portal.server.dataDir, 'password-reset')).find((m) =>
        m.to.includes('customer2@demo.test'),
      )
      if (!mail) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    if (!mail) throw new Error('no reset mail for Ben')
    const link = new URL(mail.text.match(/https?:\/\/\S+token=\S+/)?.[0] ?? '')
    expect(link.searchParams.get('reset')).toBe('1')

    await page.goto(link.href)
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    expect(await axe()).toEqual([])
    await page.getByLabel(/^New password/).fill('bens-new-password')
    await page.getByRole('button', { name: 'Save new password and sign in' }).click()
    await page.getByTestId('messages-widget').waitFor()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.goto(link.href)
    await page.getByLabel(/^New password/).fill('another-password-here')
    await page.getByRole('button', { name: 'Save new password and sign in' }).click()
    const refused = page.getByRole('alert')
    await expect
      .poll(() => refused.textContent())
      .toMatch(/^This reset link has expired or was already used\./)
    await refused.getByRole('link', { name: 'Ask for a new link' }).click()
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor()
    expect(errors).toEqual([])
    await page.close()
  })

  it('works on a phone-sized screen', async () => {
    const page = await signedInPage('customer@demo.test', { width: 390, height: 844 })
    await page.getByRole('button', { name: 'Open the menu' }).click()
    await page.getByRole('link', { name: 'Search' }).click()
    await page.getByLabel('Search').fill('tile')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('main mark').count()).toBeGreaterThan(0)
    if (shots) await page.screenshot({ path: path.join(shots, 'portal-phone-search.png') })
    await page.close()
  })

  it('has no serious or critical accessibility violations on its main screens', async () => {
    const page = await signedInPage('customer@demo.test')
    const screens = [
      '/portal/',
      '/portal/threads',
      '/portal/new',
      '/portal/search?q=tile',
      '/portal/settings',
    ]
    for (const screen of screens) {
      await page.goto(`${portal.server.url}${screen}`)
      await page.getByRole('heading', { level: 1 }).waitFor()
      const results = await new AxeBuilder({ page }).analyze()
      const bad = results.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      )
      expect(bad.map((v) => `${screen}: ${v.id} (${v.nodes.length})`)).toEqual([])
    }
    await page.close()
  })

  it(`renders ${scriptPayloads.length} kinds of script payload in subjects, bodies, names and file names as text`, async () => {
    const admin = await signIn(portal.server.url, 'admin@demo.test')
    const carlaId = portal.dir.person('customer@demo.test')
    // A person's name carries one too: a teammate added to the project.
    const teammate = (
      await admin.post('/admin/people', {
        role: 'staff',
        name: `Pat ${scriptPayloads[2]}`,
        email: 'pat.payload@demo.test',
        invite: false,
      })
    ).body.person.id
    await admin.patch(`/admin/projects/${portal.dir.project('Maple')}`, {
      teamIds: [
        portal.dir.person('admin@demo.test'),
        portal.dir.person('staff@demo.test'),
        teammate,
      ],
    })
    const carla = await signIn(portal.server.url, 'customer@demo.test')
    const ids: string[] = []
    for (const [i, p] of scriptPayloads.entries()) {
      const upload = await carla.upload(portal.dir.project('Maple'), `${p}.txt`, `notes ${i}`)
      const attachmentIds = upload.status === 201 ? [upload.body.attachment.id] : []
      const res = await carla.post('/threads', {
        clientId: crypto.randomUUID(),
        projectId: portal.dir.project('Maple'),
        subject: `XSS ${i} ${p}`.slice(0, 200),
        body: `Body ${i} ${p} https://example.com/${encodeURIComponent(p)}`,
        attachmentIds,
      })
      expect(res.status, p).toBe(201)
      ids.push(res.body.thread.id)
    }
    expect(carlaId).toBeTruthy()
    const page = await signedInPage('customer@demo.test')
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.getByRole('link', { name: 'Messages' }).first().click()
    await expect.poll(() => page.locator('main').textContent()).toContain('XSS 0')
    expect(await page.locator('main').textContent()).toContain(scriptPayloads[0])
    for (const id of ids.slice(0, 12)) {
      await page.goto(`${portal.server.url}/portal/threads/${id}`)
      await page.getByRole('article').first().waitFor()
    }
    await page.goto(`${portal.server.url}/portal/search?q=XSS`)
    await expect.poll(() => page.locator('main mark').count()).toBeGreaterThan(0)
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined()
    expect(dialogs).toEqual([])
    expect((page as Page & { errors: string[] }).errors).toEqual([])
    await page.close()
  })
})
