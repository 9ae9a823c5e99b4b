import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { PORTAL_DIST } from '../../server/src/app'
import { InvitationResult, MessagePage } from '../../src/shared/protocol'
import { startThread } from '../support/api'
import { newContext } from '../support/browser'
import { setPasswordLink, waitForEml } from '../support/mail'
import { serverForFile } from '../support/file-server'
import { browserForFile, requireBuilt } from '../support/file-hooks'

/**
 * Issue 12, the architect's side of an invitation into one conversation: she follows the emailed
 * link, sets a password and lands on that conversation, replies, sees no other conversation, and
 * the New message page tells her why she cannot start one. The homeowner sees her as a guest.
 */

const ANNA = 'anna@studio-nord.test'
const shots = process.env.PORTAL_SCREENSHOTS
const portal = serverForFile({
  people: { admin: 'admin@demo.test', sam: 'staff@demo.test' },
  before: () => requireBuilt(PORTAL_DIST, 'portal page'),
})
const browser = browserForFile()
let kitchen: string

beforeAll(async () => {
  kitchen = await startThread(
    portal.sam,
    portal.dir.project('Maple'),
    'Kitchen island layout',
    'Anna, we are thinking of moving the island 40 cm towards the window. Does that work with your plan?',
  )
  const invited = await portal.sam.post(`/threads/${kitchen}/invitations`, {
    name: 'Anna Berg',
    email: ANNA,
    kind: 'guest',
  })
  expect(invited.status, JSON.stringify(invited.body)).toBe(201)
  expect(InvitationResult.parse(invited.body).mailed).toBe('set-password-link')
})

const shot = async (page: Page, name: string) => {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })
}
const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${n.html} ${n.failureSummary}`).join(' | ')}`)

describe('an architect invited into one conversation', () => {
  let page: Page
  const errors: string[] = []

  it('follows the emailed link, sets a password, and lands on that conversation', async () => {
    const mail = await waitForEml(portal.server.dataDir, 'invitation', ANNA)
    const { url } = setPasswordLink(mail)
    const context = await newContext(browser(), { viewport: { width: 1280, height: 800 } })
    context.setDefaultTimeout(8_000)
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    // The mail's link names the server the test started; the page is the same one.
    await page.goto(`${portal.server.url}${url.pathname}${url.search}`)
    await page.getByRole('heading', { name: 'Set your password' }).waitFor()
    expect(await page.locator('form').textContent()).toContain(
      'The conversation you were invited to opens as soon as it is saved.',
    )
    expect(await seriousViolations(page)).toEqual([])
    await shot(page, 'portal-invitation-set-password')
    await page.getByLabel(/^New password/).fill('anna-berg-studio-nord')
    await page.getByRole('button', { name: 'Save password and sign in' }).click()

    await page.getByRole('heading', { level: 1, name: 'Kitchen island layout' }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/portal/threads/${kitchen}`)
    expect(await page.locator('main').textContent()).toContain('moving the island 40 cm')
  })

  it('replies there, and the team has it', async () => {
    await page.getByLabel('Your reply').fill('40 cm works with the hood. Drawing follows tomorrow.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await expect.poll(() => page.getByRole('article').last().textContent()).toContain('hood')
    // Her name, marked as a guest of the conversation; Sam as the team.
    expect(await page.getByRole('article').last().textContent()).toContain('Anna Berg (guest)')
    expect(await page.getByRole('article').first().textContent()).toContain('Sam Rivera (team)')
    const messages = MessagePage.parse((await portal.sam.get(`/threads/${kitchen}/messages`)).body)
    expect(messages.messages.at(-1)?.body).toBe(
      '40 cm works with the hood. Drawing follows tomorrow.',
    )
    await shot(page, 'portal-invitation-thread')
  })

  it('sees that conversation and no other, on the dashboard and in Messages', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click()
    const widget = page.getByTestId('messages-widget')
    await widget.waitFor()
    await expect
      .poll(() => widget.getByRole('link', { name: /^Kitchen island layout/ }).count())
      .toBe(1)
    // Maple Street has other conversations (the tile, the leak, the panel): none of them here.
    expect(await widget.locator('a[href^="/portal/threads/"]').count()).toBe(1)
    expect(await widget.textContent()).not.toMatch(/Tile selection|basement|panel upgrade/i)

    await page
      .getByRole('navigation', { name: 'Portal' })
      .getByRole('link', { name: /^Messages/ })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor()
    const rows = page.locator('main a[href^="/portal/threads/"]')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().getAttribute('href')).toBe(`/portal/threads/${kitchen}`)
  })

  it('the New message page says why she cannot start a conversation, and where she can write', async () => {
    await page
      .getByRole('navigation', { name: 'Portal' })
      .getByRole('link', { name: 'New message' })
      .click()
    const why = page
      .getByRole('status')
      .filter({ hasText: 'started by the project’s homeowners and team' })
    await why.waitFor()
    const text = (await why.textContent()) ?? ''
    expect(text).toContain(
      'Harbor & Pine Builders invited you to the conversation “Kitchen island layout”, so you can read and reply there.',
    )
    expect(text).toContain('New conversations about a project are started by its homeowners')
    expect(text).toContain('call us at (555) 010-4477 (Mon–Fri 8am–5pm)')
    // No form to fill in for nothing.
    expect(await page.getByLabel(/^Subject/).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await shot(page, 'portal-invitation-new-message')
    await why.getByRole('link', { name: 'Open your conversation' }).click()
    await page.getByRole('heading', { level: 1, name: 'Kitchen island layout' }).waitFor()
    expect(errors).toEqual([])
  })

  it('the homeowner sees her as a guest of the conversation', async () => {
    const context = await newContext(browser(), { viewport: { width: 1280, height: 800 } })
    const carla = await context.newPage()
    await carla.goto(`${portal.server.url}/portal/threads/${kitchen}`)
    await carla.getByLabel(/^Email/).fill('customer@demo.test')
    await carla.getByLabel(/^Password/).fill('portal-demo')
    await carla.getByRole('button', { name: 'Sign in' }).click()
    await carla.getByRole('heading', { level: 1, name: 'Kitchen island layout' }).waitFor()
    await expect
      .poll(() => carla.getByRole('article').last().textContent())
      .toContain('Anna Berg (guest)')
    await context.close()
  })
})
