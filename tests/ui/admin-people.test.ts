import type { Locator, Page } from 'playwright-core'
import { afterAll, describe, expect } from 'vitest'
import { Api } from '../support/api'
import { seriousViolations } from '../support/axe'
import { screenshot } from '../support/inbox'
import { mailDelivered, MailSink, setPasswordLink } from '../support/mail'
import { uiSuite } from '../support/ui-suite'

// Admin → People in the real renderer, through the headless host, against the real engine and
// portal server (demo data), the server's mail going over SMTP to a sink in this process: what
// the admin does on the screen is checked where it lands, at the server and in the mail.

const sink = await new MailSink().listen()
afterAll(() => sink.close())

const SLOW = 90_000
/** The engine and the page work asynchronously (syncs, debounced reloads). */
const WITHIN = { timeout: 10_000 }

/** A Mantine notification with this title. */
const toast = (page: Page, title: string) =>
  page.locator('.mantine-Notification-root').filter({ hasText: title }).first()

/** Opens the Admin screen's People tab on a new page; answers the page and the people table. */
async function openPeople(openInbox: () => Promise<{ page: Page; errors: string[] }>) {
  const { page, errors } = await openInbox()
  await page
    .getByRole('navigation', { name: 'Inbox navigation' })
    .getByRole('button', { name: /^Admin/ })
    .click({ timeout: 20_000 })
  await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor(WITHIN)
  await page.getByRole('tab', { name: 'People' }).click()
  const table = page.getByRole('table', { name: 'People' })
  await table.waitFor(WITHIN)
  const row = (text: string): Locator => table.getByRole('row').filter({ hasText: text })
  return { page, errors, table, row }
}

/**
 * `people`: the admin's page open on Admin → People. Every case ends with that page having
 * logged no error (checked after the case, passed or not, before the page closes).
 */
const it = uiSuite(
  { email: 'admin@demo.test', startTimeout: 120_000, env: { PORTAL_SMTP_URL: sink.url } },
  (base) =>
    base.extend('people', async ({ openInbox }, { onCleanup }) => {
      const people = await openPeople(openInbox)
      onCleanup(async () => expect(people.errors).toEqual([]))
      return people
    }),
)

interface Listed {
  id: string
  name: string
  email: string
  role: string
  portalAccess: boolean
  passwordSet: boolean | null
}
/** The person as the server lists them to the admin. */
const atServer = async (admin: Api, email: string): Promise<Listed | undefined> =>
  ((await admin.get('/people')).body.people as Listed[]).find((p) => p.email === email)

const invitationsTo = (email: string) =>
  sink.to(email, (m) => m.subject.includes('invited you to their client portal'))

describe('Admin → People', { timeout: SLOW }, () => {
  it('invites a subcontractor: said at the fields first, then listed as not signed in yet, at the server and in their mail; resending mails a new link', async ({
    admin,
    people: { page, table, row },
  }) => {
    const email = `omar.tile.${Date.now()}@example.test`

    await page.getByRole('button', { name: 'Invite person' }).click()
    const dialog = page.getByRole('dialog', { name: 'Invite person' })
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click()
    await dialog.getByText('Enter their name, e.g. “Dana Lake”.').waitFor(WITHIN)
    await dialog.getByText('Enter their email address').waitFor(WITHIN)

    await dialog.getByRole('combobox', { name: 'Role' }).click()
    await page.getByRole('option', { name: 'Subcontractor' }).click()
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Omar Tile')
    // An address that has an account already: the server's sentence, at the email.
    await dialog.getByRole('textbox', { name: 'Email' }).fill('customer@demo.test')
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click()
    await dialog.getByText('customer@demo.test already has an account').waitFor(WITHIN)

    await dialog.getByRole('textbox', { name: 'Email' }).fill(email)
    await dialog.getByRole('combobox', { name: 'Projects' }).click()
    await page.getByRole('option', { name: /^Maple/ }).click()
    await page.keyboard.press('Escape')
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click()
    await toast(page, 'Person invited').waitFor(WITHIN)
    await dialog.waitFor({ state: 'detached' })

    await expect.poll(() => row(email).count(), WITHIN).toBe(1)
    const text = await row(email).textContent()
    expect(text).toContain('Omar Tile')
    expect(text).toContain('Subcontractor')
    expect(text).toContain('Not signed in yet')
    expect(await atServer(admin, email)).toMatchObject({
      name: 'Omar Tile',
      role: 'subcontractor',
      portalAccess: true,
      passwordSet: false,
    })
    await sink.waitFor((m) => m.envelopeTo.includes(email))
    expect(invitationsTo(email)).toHaveLength(1)

    // The filter and the search find him; Customers does not list him.
    const show = (label: string) =>
      page.locator('.mantine-SegmentedControl-label', { hasText: label }).click()
    await show('Subcontractors')
    await expect.poll(() => row(email).count(), WITHIN).toBe(1)
    expect(await row('customer@demo.test').count()).toBe(0)
    await show('Customers')
    await expect.poll(() => row(email).count(), WITHIN).toBe(0)
    await show('Everyone')
    await page.getByRole('textbox', { name: 'Search people' }).fill('omar tile')
    await expect.poll(() => table.locator('tbody tr').count(), WITHIN).toBe(1)
    await screenshot(page, 'inbox-admin-people')

    // Resend: a second invitation with a new link.
    await row(email).getByRole('button', { name: 'Resend invitation to Omar Tile' }).click()
    await toast(page, 'Invitation sent').waitFor(WITHIN)
    await expect.poll(() => invitationsTo(email).length, WITHIN).toBe(2)
    const [first, second] = invitationsTo(email)
    const { token } = setPasswordLink(second!)
    expect(token).not.toBe(setPasswordLink(first!).token)

    // He sets his password from the new link: he sees the project he was invited to, and the
    // row says he has signed in.
    const set = await new Api(admin.url).post('/auth/set-password', {
      token,
      password: 'tiles-and-grout-2026',
    })
    expect(set.status).toBe(200)
    const omar = admin.as(set.body.token as string)
    const projects = (await omar.get('/projects')).body.projects as { name: string }[]
    expect(projects.map((p) => p.name)).toEqual([expect.stringMatching(/^Maple/)])
    await expect.poll(() => row(email).textContent(), WITHIN).toContain('Has signed in')
  })

  it('corrects Ben’s email: warned first, then his session ends and the server has the new address', async ({
    admin,
    ben,
    people: { page, row },
  }) => {
    expect((await ben.get('/me')).status).toBe(200)
    const fixed = `ben.okafor.${Date.now()}@example.test`

    await row('customer2@demo.test').getByRole('button', { name: 'Edit Ben Okafor' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit Ben Okafor' })
    await dialog.getByRole('textbox', { name: 'Email' }).fill(fixed)
    await dialog.getByText('Changing the email signs them out everywhere').waitFor(WITHIN)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await toast(page, 'Person saved').waitFor(WITHIN)

    await expect.poll(() => row(fixed).count(), WITHIN).toBe(1)
    expect((await ben.get('/me')).status).toBe(401)
    expect(await atServer(admin, fixed)).toMatchObject({ name: 'Ben Okafor' })
    expect(await atServer(admin, 'customer2@demo.test')).toBeUndefined()
  })

  it('turns Chris’s portal access off (his session ends) and on again, as the server says', async ({
    admin,
    chris,
    people: { page },
  }) => {
    expect((await chris.get('/me')).status).toBe(200)
    const access = page.getByRole('switch', { name: 'Portal access for Chris Mendes' })

    expect(await access.isChecked()).toBe(true)
    await access.click({ force: true })
    await toast(page, 'Portal access').waitFor(WITHIN)
    await expect.poll(() => access.isChecked(), WITHIN).toBe(false)
    expect((await atServer(admin, 'customer3@demo.test'))?.portalAccess).toBe(false)
    // Refused for the access first; and the session itself has ended, as turning access on shows.
    expect((await chris.get('/me')).body.error.code).toBe('PORTAL_ACCESS_DISABLED')

    await access.click({ force: true })
    await expect.poll(() => access.isChecked(), WITHIN).toBe(true)
    await expect
      .poll(async () => (await atServer(admin, 'customer3@demo.test'))?.portalAccess, WITHIN)
      .toBe(true)
    expect((await chris.get('/me')).status).toBe(401)
  })

  it('signs Sid out everywhere after asking; staff show no portal switch but why they are not deactivated; axe finds nothing serious', async ({
    sid,
    people: { page, row },
  }) => {
    expect((await sid.get('/me')).status).toBe(200)

    expect(await row('staff@demo.test').getByRole('switch').count()).toBe(0)
    expect(await row('staff@demo.test').textContent()).toContain('Staff: always')
    await page.getByText('Staff accounts cannot be deactivated here').waitFor(WITHIN)
    // Nobody signs themselves out everywhere from here.
    expect(
      await row('admin@demo.test')
        .getByRole('button', { name: /out everywhere/ })
        .count(),
    ).toBe(0)

    await row('sub@demo.test')
      .getByRole('button', { name: 'Sign Sid Sparks (Sparks Electric) out everywhere' })
      .click()
    const dialog = page.getByRole('dialog', {
      name: 'Sign Sid Sparks (Sparks Electric) out everywhere?',
    })
    expect(await sid.get('/me').then((r) => r.status)).toBe(200)
    expect(
      await seriousViolations(page, 'Admin → People', [
        'nav[aria-label="Inbox navigation"]',
        'header',
      ]),
    ).toEqual([])
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click()
    await toast(page, 'Signed out everywhere').waitFor(WITHIN)
    await dialog.waitFor({ state: 'detached' })
    expect((await sid.get('/me')).status).toBe(401)
  })

  it('shows the digest’s next run as the server has it, and its preview reaches the admin alone', async ({
    admin,
    server,
    people: { page },
  }) => {
    const schedule = (await admin.get('/admin/digest')).body as { nextRunAt: string | null }
    expect(schedule.nextRunAt).not.toBeNull()
    const next = page.getByTestId('digest-next-run').locator('time')
    await expect.poll(() => next.getAttribute('datetime'), WITHIN).toBe(schedule.nextRunAt)

    await mailDelivered(server)
    const before = sink.received.length
    await page.getByRole('button', { name: 'Send me a preview' }).click()
    await page.getByTestId('digest-preview').waitFor(WITHIN)
    expect(await page.getByTestId('digest-preview').textContent()).toContain(
      'A preview went to admin@demo.test only',
    )
    const preview = await sink.waitFor((m) => m.subject.startsWith('Preview: Portal digest'))
    expect(preview.envelopeTo).toEqual(['admin@demo.test'])
    await mailDelivered(server)
    const digests = sink.received.slice(before).filter((m) => /digest/i.test(m.subject))
    expect(digests.map((m) => m.envelopeTo)).toEqual([['admin@demo.test']])
  })
})
