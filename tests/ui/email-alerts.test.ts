import type { Locator, Page } from 'playwright-core'
import { afterAll, describe, expect } from 'vitest'
import { MailLog, Me } from '../../src/shared/protocol'
import { signIn } from '../support/api'
import { cutOff, screenshot } from '../support/inbox'
import { deliveryReport, mailWorld } from '../support/replies-by-email'
import { uiSuite } from '../support/ui-suite'

// Issue 14, Settings → Email alerts and Email delivery in the real renderer, through the headless
// host, against the real engine and portal server. The server's mail goes over SMTP to a sink in
// this process, and its bounce address is its own SMTP listener, so a delivery report sent there
// makes a mail "bounced" as a receiving server would. What the admin does is checked where it
// lands: at the server (its API) and in the mail.

const world = await mailWorld()
afterAll(() => world.close())

const SLOW = 90_000
const WITHIN = { timeout: 10_000 }
const TEST_SUBJECT = 'Portal Inbox test: your email alerts reach you'

/** `settings`: the admin's page open on Settings; every case ends with no page error. */
const it = uiSuite(
  { email: 'admin@demo.test', startTimeout: 120_000, env: world.env, viaProxy: true },
  (base) =>
    base.extend('settings', async ({ openInbox }, { onCleanup }) => {
      const inbox = await openInbox()
      await openSettings(inbox.page)
      onCleanup(async () => expect(inbox.errors).toEqual([]))
      return inbox
    }),
)

async function openSettings(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Inbox navigation' })
    .getByRole('button', { name: /^Settings/ })
    .click({ timeout: 20_000 })
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(WITHIN)
}

const section = (page: Page, title: string): Locator =>
  page.getByRole('region', { name: title, exact: true })

/** The newest row of a mail with this subject in the log's table. */
const logRow = (page: Page, whose: string, subject: string) =>
  page
    .getByRole('table', { name: `Mail sent to ${whose}` })
    .getByRole('row', { name: subject })
    .first()

describe('Settings → Email alerts', { timeout: SLOW }, () => {
  it('an email alert switched on is on at the server and still on after a reload; the desktop alert state is said truthfully', async ({
    settings: { page },
    admin,
    stack,
  }) => {
    const alerts = section(page, 'Email alerts')
    const label = 'Email me about new customer messages'
    const atServer = async () => Me.parse((await admin.get('/me')).body).preferences
    // The server keeps the desktop alerts beside the email ones: the screen shows only the latter.
    await stack.engine.api.setNotificationPreferences({ urgentAlways: true })
    await expect.poll(async () => (await atServer()).desktop?.urgentAlways, WITHIN).toBe(true)
    const before = await atServer()
    expect(before.emailOnNewMessage).toBe(false)
    const toggle = alerts.getByRole('switch', { name: label, exact: true })
    await toggle.waitFor(WITHIN)
    expect(await toggle.isChecked()).toBe(false)

    await toggle.click()
    // Switched and not saved: the form says so, and the server still has it off.
    await alerts.getByText('Not saved yet.').waitFor(WITHIN)
    expect((await atServer()).emailOnNewMessage).toBe(false)
    await alerts.getByRole('button', { name: 'Save email alerts' }).click()
    await expect.poll(async () => (await atServer()).emailOnNewMessage, WITHIN).toBe(true)
    // Only the one switched changed.
    expect(await atServer()).toMatchObject({
      emailUrgent: before.emailUrgent,
      emailDigest: before.emailDigest,
    })

    await page.reload()
    await openSettings(page)
    await expect.poll(() => toggle.isChecked(), WITHIN).toBe(true)

    // The headless host has no operating system to ask and no tray: it says so, and no pause.
    const state = page.getByTestId('desktop-alert-state')
    expect(await state.getAttribute('data-os')).toBe('unknown')
    expect(await state.textContent()).toContain('the system was not asked')
    expect(await state.textContent()).toContain('There is no tray here, so nothing is paused.')
  })

  it('“Send me a test”: the mail reaches the sink and shows sent, then bounced in the receiving server’s words; a sixth in an hour is refused in words', async ({
    settings: { page },
    server,
  }) => {
    const delivery = section(page, 'Email delivery')
    await delivery.getByRole('button', { name: 'Send me a test' }).click()
    const mail = await world.sink.waitFor(
      (m) => m.envelopeTo.includes('admin@demo.test') && m.subject === TEST_SUBJECT,
    )
    const outcome = delivery.getByTestId('test-mail-outcome')
    await expect.poll(() => outcome.getAttribute('data-status'), WITHIN).toBe('sent')
    expect(await outcome.textContent()).toContain('Sent to admin@demo.test.')
    const row = logRow(page, 'you', TEST_SUBJECT)
    await expect.poll(() => row.getAttribute('data-status'), WITHIN).toBe('sent')

    // The receiving server sends it back, from the null sender, to the mail's bounce address.
    await world.mailClient.sendMail({
      envelope: { from: '', to: mail.envelopeFrom },
      raw: deliveryReport(mail.envelopeFrom, 'admin@demo.test'),
    })
    await expect
      .poll(async () => {
        await delivery.getByRole('button', { name: 'Check again' }).click()
        return outcome.getAttribute('data-status')
      }, WITHIN)
      .toBe('bounced')
    expect(await outcome.textContent()).toContain('550 5.1.1')
    expect(await row.getAttribute('data-status')).toBe('bounced')
    expect(await row.textContent()).toContain('Recipient address rejected')
    await screenshot(page, 'settings-email-delivery')

    // Four more at the server make five this hour: the button's sixth is refused, in words.
    const ada = await signIn(server.url, 'admin@demo.test')
    for (let i = 0; i < 4; i++) expect((await ada.post('/me/mail/test')).status).toBe(200)
    await delivery.getByRole('button', { name: 'Send me a test' }).click()
    const refused = delivery.getByRole('alert').filter({ hasText: 'No test mail sent' })
    await refused.waitFor(WITHIN)
    expect(await refused.textContent()).toContain(
      'You sent yourself 5 test emails in the last hour',
    )
  })

  it('an admin sees another person’s delivery log, and an empty one said in words', async ({
    settings: { page },
    sam,
    admin,
    dir,
  }) => {
    expect((await sam.post('/me/mail/test')).status).toBe(200)
    await world.sink.waitFor(
      (m) => m.envelopeTo.includes('staff@demo.test') && m.subject === TEST_SUBJECT,
    )
    const delivery = section(page, 'Email delivery')
    const pick = async (option: string) => {
      await delivery.getByRole('combobox', { name: 'Whose mail' }).click()
      await page.getByRole('option', { name: option }).click()
    }
    await pick('Sam Rivera (staff@demo.test)')
    const row = logRow(page, 'Sam Rivera', TEST_SUBJECT)
    await expect.poll(() => row.getAttribute('data-status'), WITHIN).toBe('sent')
    expect(await row.textContent()).toContain('Test to staff@demo.test')

    // Pat has had no mail (the server's own log says so): the screen says it in words.
    const pat = dir.person('sub2@demo.test')
    const patLog = MailLog.parse((await admin.get(`/admin/mail?personId=${pat}`)).body)
    expect(patLog.mail).toEqual([])
    await pick('Pat Plumb (Plumb Bros) (sub2@demo.test)')
    const empty = delivery.getByTestId('delivery-log-empty')
    await empty.waitFor(WITHIN)
    expect(await empty.textContent()).toBe('No mail has been sent to Pat Plumb (Plumb Bros) yet.')
  })

  it('offline: the server’s reads and writes say it cannot be reached, and nothing looks saved or sent', async ({
    settings: { page },
    stack,
    proxy,
    admin,
  }) => {
    const before = Me.parse((await admin.get('/me')).body).preferences
    const sentBefore = world.sink.received.length
    await cutOff(stack, proxy, page)
    try {
      const alerts = section(page, 'Email alerts')
      await alerts.getByRole('switch', { name: 'Email me the digest', exact: true }).click()
      await alerts.getByRole('button', { name: 'Save email alerts' }).click()
      const notSaved = alerts.getByRole('alert').filter({ hasText: 'Email alerts not saved' })
      await notSaved.waitFor(WITHIN)
      expect(await notSaved.textContent()).toContain('the portal server')
      expect(await notSaved.textContent()).toContain('nothing was changed or sent')
      expect(await alerts.getByText('Not saved yet.').count()).toBe(1)

      const delivery = section(page, 'Email delivery')
      await delivery.getByRole('button', { name: 'Send me a test' }).click()
      await delivery.getByRole('alert').filter({ hasText: 'No test mail sent' }).waitFor(WITHIN)
      await delivery.getByRole('button', { name: 'Check again' }).click()
      await delivery.getByText('Could not load the delivery log').waitFor(WITHIN)
    } finally {
      proxy.set('pass')
    }
    expect(Me.parse((await admin.get('/me')).body).preferences).toEqual(before)
    expect(world.sink.received.length).toBe(sentBefore)
  })
})
