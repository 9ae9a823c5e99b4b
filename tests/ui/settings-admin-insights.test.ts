import type { Locator, Page } from 'playwright-core'
import { afterAll, describe, expect } from 'vitest'
import { signIn } from '../support/api'
import { seriousViolations as seriousViolationsOn } from '../support/axe'
import { screenshot, startInboxStack, type InboxPage, type InboxStack } from '../support/inbox'
import { closesAtEnd, uiSuite } from '../support/ui-suite'

// Settings, Admin and Insights in the real renderer, through the headless host, against the real
// engine and portal server (demo data). The admin stack owns the server; the staff stack shares it.

const SLOW = 90_000
/** The engine and the page work asynchronously (syncs, debounced reloads). */
const WITHIN = { timeout: 10_000 }
type Screen = 'Settings' | 'Admin' | 'Insights'

/**
 * `openScreen` opens a page on the screen, as the admin unless another stack is named; the
 * pages a test opened close when it ends.
 */
const it = uiSuite({ email: 'admin@demo.test', startTimeout: 120_000 }, (base) =>
  base.extend('openScreen', ({ stack }, { onCleanup }) => {
    const closedAtEnd = closesAtEnd(onCleanup)
    return async (screen: Screen, on: InboxStack = stack): Promise<InboxPage> => {
      const inbox = closedAtEnd(await on.open({ colorScheme: 'light' }))
      await nav(inbox.page, screen).click({ timeout: 20_000 })
      await inbox.page.getByRole('heading', { level: 1, name: screen }).waitFor(WITHIN)
      return inbox
    }
  }),
)

const nav = (page: Page, name: string): Locator =>
  page
    .getByRole('navigation', { name: 'Inbox navigation' })
    .getByRole('button', { name: new RegExp(`^${name}`) })

/** A Mantine notification with this title (they are role="alert"). */
const toast = (page: Page, title: string | RegExp) =>
  page.locator('.mantine-Notification-root').filter({ hasText: title })

const toggle = (page: Page | Locator, label: string) =>
  page.getByRole('switch', { name: label, exact: true }).click()

/**
 * Serious and critical axe findings on the screen and its dialogs. The shell's header and
 * navigation are left to the shell's own test (tests/ui/inbox.test.ts scans them).
 */
const seriousViolations = (page: Page, where: string) =>
  seriousViolationsOn(page, where, ['nav[aria-label="Inbox navigation"]', 'header'])

/** The screen's way of writing a median first response: "2 h 15 min", "45 min", "—". */
function asDuration(minutes: number | null): string {
  if (minutes === null) return '—'
  const m = Math.round(minutes)
  if (m < 1) return 'under 1 min'
  if (m < 60) return `${m} min`
  const d = Math.floor(m / 1440)
  const h = Math.floor((m % 1440) / 60)
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
}

describe('Settings', () => {
  it(
    'saves notification preferences in the engine, with a confirmation, and shows account and server',
    async ({ stack: admin, openScreen }) => {
      const { page, errors } = await openScreen('Settings')
      const projects = await admin.engine.api.listProjects({})
      const muted = [...projects].sort((a, b) => a.name.localeCompare(b.name))[0]!

      await toggle(page, 'Only conversations assigned to me')
      await toast(page, 'Notification settings saved').first().waitFor()
      await expect
        .poll(
          async () => (await admin.engine.api.getNotificationPreferences({})).onlyAssignedToMe,
          WITHIN,
        )
        .toBe(true)

      await page.getByRole('combobox', { name: 'Muted projects' }).click()
      await page.getByRole('option', { name: muted.name, exact: true }).click()
      await page.keyboard.press('Escape')
      await expect
        .poll(
          async () => (await admin.engine.api.getNotificationPreferences({})).mutedProjectIds,
          WITHIN,
        )
        .toEqual([muted.id])

      await toggle(page, 'Quiet hours')
      await page.getByLabel('Quiet from').fill('21:30')
      await page.getByLabel('Quiet until').fill('06:45')
      await expect
        .poll(
          async () => (await admin.engine.api.getNotificationPreferences({})).quietHours,
          WITHIN,
        )
        .toEqual({ enabled: true, start: '21:30', end: '06:45' })

      await toggle(page, 'Play a sound')
      await expect
        .poll(async () => (await admin.engine.api.getNotificationPreferences({})).sound, WITHIN)
        .toBe(false)

      // A reload reads them back from the engine.
      await page.reload()
      await nav(page, 'Settings').click()
      await expect
        .poll(
          () => page.getByRole('switch', { name: 'Only conversations assigned to me' }).isChecked(),
          WITHIN,
        )
        .toBe(true)
      expect(await page.getByRole('switch', { name: 'Play a sound' }).isChecked()).toBe(false)
      expect(await page.getByLabel('Quiet from').inputValue()).toBe('21:30')

      const account = page.getByRole('region', { name: 'Account' })
      expect(await account.textContent()).toContain('admin@demo.test')
      expect(await account.textContent()).toContain('Admin')
      const server = page.getByRole('region', { name: 'Server' })
      expect(await server.textContent()).toContain(admin.server.url)
      expect(await page.getByTestId('settings-connection-state').getAttribute('data-state')).toBe(
        'online',
      )
      await server.getByRole('button', { name: 'Sync now' }).click()
      await toast(page, 'Synced').first().waitFor()
      await screenshot(page, 'inbox-settings')

      // Put the defaults back for the other tests (notifications are not under test there).
      await admin.engine.api.setNotificationPreferences({
        onlyAssignedToMe: false,
        mutedProjectIds: [],
        quietHours: { enabled: false, start: '22:00', end: '07:00' },
        sound: true,
      })
      expect(errors).toEqual([])
    },
    SLOW,
  )
})

describe('Admin → Client Portal', () => {
  it(
    'sends only the changed fields: urgent keywords and auto-reply reach the server, another admin’s change survives',
    async ({ stack: admin, admin: adminApi, openScreen }) => {
      const { page, errors } = await openScreen('Admin')
      await page.getByRole('tab', { name: 'Client Portal', selected: true }).waitFor()
      const form = page.getByRole('form', { name: 'Client Portal settings' })
      await form.waitFor()
      await screenshot(page, 'inbox-admin-settings')

      const keywords = page.getByRole('combobox', { name: 'Urgent keywords' })
      await keywords.fill('sewage backup')
      await keywords.press('Enter')
      await keywords.fill('no water')
      await keywords.press('Enter')

      // Turned on with no text: the form says what to fix and sends nothing.
      const autoReply = page.getByRole('switch', { name: 'Send an automatic reply' })
      if (await autoReply.isChecked()) await toggle(page, 'Send an automatic reply')
      await toggle(page, 'Send an automatic reply')
      await page.getByLabel('Auto-reply text').fill('')
      await page.getByRole('button', { name: 'Save settings' }).click()
      await page.getByText('Write the auto-reply, or turn auto-reply off.').first().waitFor()
      expect((await adminApi.get('/admin/settings')).body.urgentKeywords).not.toContain(
        'sewage backup',
      )

      const text = 'Thanks! We read every message and answer within one business day.'
      await page.getByLabel('Auto-reply text').fill(text)
      await page.getByRole('combobox', { name: 'Send the auto-reply' }).click()
      await page.getByRole('option', { name: 'To every customer message' }).click()

      // Meanwhile another admin changes a field this form does not touch.
      const other = 'Another admin: we reply within two hours.'
      expect(
        (await adminApi.patch('/admin/settings', { expectedResponseTime: other })).status,
      ).toBe(200)

      await page.getByRole('button', { name: 'Save settings' }).click()
      await toast(page, 'Client Portal settings saved').first().waitFor()

      const onServer = (await adminApi.get('/admin/settings')).body
      expect(onServer.urgentKeywords).toEqual(expect.arrayContaining(['sewage backup', 'no water']))
      expect(onServer.autoReply).toEqual({ enabled: true, text, when: 'always' })
      expect(onServer.expectedResponseTime).toBe(other)
      expect((await admin.engine.api.getCompanySettings({})).autoReply.text).toBe(text)
      expect(await page.getByText('All changes saved').count()).toBe(1)
      // The other admin's value shows in the form too.
      await expect
        .poll(() => page.getByLabel('Expected response time').inputValue(), WITHIN)
        .toBe(other)

      // The server's refusal is shown beside the form in its own words.
      await page.getByLabel('Largest file (MB)').fill('')
      await page.getByRole('button', { name: 'Save settings' }).click()
      await page.getByText('Enter the largest file size in MB.').first().waitFor()
      await page.getByRole('button', { name: 'Discard changes' }).click()

      expect(errors).toEqual([])
    },
    SLOW,
  )
})

describe('Admin → Projects', () => {
  it(
    'creates a project with a new customer contact and a team member, then turns the contact’s portal access off',
    async ({ stack: admin, admin: adminApi, openScreen }) => {
      const { page, errors } = await openScreen('Admin')
      await page.getByRole('tab', { name: 'Projects' }).click()
      const table = page.getByRole('table', { name: 'Projects' })
      await table.waitFor()
      const before = await admin.engine.api.listProjects({})
      expect(await table.getByRole('row').count()).toBe(before.length + 1)

      await page.getByRole('button', { name: 'New project' }).click()
      const dialog = page.getByRole('dialog', { name: 'New project' })
      await dialog.getByRole('button', { name: 'Create project' }).click()
      await dialog.getByText('Enter the project’s name').waitFor()

      const name = `Lakeview deck rebuild ${Date.now()}`
      const email = `dana.lake.${Date.now()}@example.test`
      await dialog.getByLabel('Project name').fill(name)
      await dialog.getByRole('combobox', { name: 'Stage' }).click()
      await page.getByRole('option', { name: /^Construction/ }).click()

      await dialog.getByRole('button', { name: 'Add customer contact' }).click()
      await dialog.getByRole('button', { name: 'Add contact' }).click()
      await dialog.getByText('Enter the customer’s name.').waitFor()
      await dialog.getByLabel('Customer name').fill('Dana Lake')
      await dialog.getByLabel('Customer email').fill(email)
      await dialog.getByRole('button', { name: 'Add contact' }).click()
      await toast(page, 'Customer contact added').first().waitFor()
      await dialog.getByRole('switch', { name: 'Portal access for Dana Lake' }).waitFor()

      await screenshot(page, 'inbox-admin-new-project')
      await dialog.getByRole('combobox', { name: 'Team members' }).click()
      await page.getByRole('option', { name: /^Sam Rivera/ }).click()
      await page.keyboard.press('Escape')
      await dialog.getByRole('button', { name: 'Create project' }).click()
      await toast(page, 'Project saved').first().waitFor()
      await dialog.waitFor({ state: 'detached' })

      const row = table.getByRole('row').filter({ hasText: name })
      await expect.poll(() => row.count(), WITHIN).toBe(1)
      const rowText = await row.textContent()
      expect(rowText).toContain('Construction')
      expect(rowText).toContain('Dana Lake')
      expect(rowText).toContain('Sam Rivera')

      const people = await admin.engine.api.listPeople({})
      const dana = people.find((p) => p.email === email)!
      const sam = people.find((p) => p.email === 'staff@demo.test')!
      expect(dana).toMatchObject({ role: 'customer', name: 'Dana Lake', portalAccess: true })
      const project = (await admin.engine.api.listProjects({})).find((p) => p.name === name)!
      expect(project).toMatchObject({
        stage: 'construction',
        portalOpen: true,
        customerIds: [dana.id],
        teamIds: [sam.id],
      })
      const fromServer = (await adminApi.get('/projects')).body.projects.find(
        (p: { name: string }) => p.name === name,
      )
      expect(fromServer.customerIds).toEqual([dana.id])

      // Edit: portal access off for the new contact.
      await row.getByRole('button', { name: `Edit ${name}` }).click()
      const edit = page.getByRole('dialog', { name: `Edit ${name}` })
      await toggle(edit, 'Portal access for Dana Lake')
      await edit.getByRole('button', { name: 'Save project' }).click()
      await edit.waitFor({ state: 'detached' })
      await expect
        .poll(
          async () =>
            (await admin.engine.api.listPeople({})).find((p) => p.id === dana.id)?.portalAccess,
          WITHIN,
        )
        .toBe(false)
      await expect.poll(() => row.textContent(), WITHIN).toContain('Dana Lake (no portal access)')
      await screenshot(page, 'inbox-admin-projects')
      expect(await row.getByTestId('setup-problems').textContent()).toContain(
        'No customer has portal access',
      )

      expect(errors).toEqual([])
    },
    SLOW,
  )
})

describe('Insights', () => {
  it(
    'shows the chart, stats and tables with the engine’s numbers, for a range and a project',
    async ({ stack: admin, openScreen, customerThread }) => {
      const { page, errors } = await openScreen('Insights')
      await page
        .getByText('Computed on this computer from your cached conversations; works offline.')
        .waitFor()

      const check = async (days: number, projectId?: string) => {
        const expected = await admin.engine.api.insights({ days, ...(projectId && { projectId }) })
        const total = expected.messagesPerDay.reduce((n, d) => n + d.customer + d.staff, 0)
        await expect
          .poll(() => page.getByTestId('stat-messages-value').textContent(), WITHIN)
          .toBe(total.toLocaleString('en-US'))
        expect(await page.getByTestId('stat-waiting-value').textContent()).toBe(
          String(expected.waiting),
        )
        expect(await page.getByTestId('stat-first-response-value').textContent()).toBe(
          asDuration(expected.medianFirstResponseMinutes),
        )
        const staffTable = page.getByRole('table', { name: 'By staff member' })
        for (const s of expected.byStaff) {
          const cells = await staffTable
            .getByRole('row')
            .filter({ hasText: s.name })
            .getByRole('cell')
            .allTextContents()
          expect(cells).toEqual([
            s.name,
            String(s.replies),
            asDuration(s.medianFirstResponseMinutes),
            String(s.waiting),
          ])
        }
        return { expected, total }
      }

      const { expected, total } = await check(30)
      await screenshot(page, 'inbox-insights')
      expect(total).toBeGreaterThan(0)
      const projectTable = page.getByRole('table', { name: 'By project' })
      for (const p of expected.byProject) {
        const cells = await projectTable
          .getByRole('row')
          .filter({ has: page.getByRole('cell', { name: p.name, exact: true }) })
          .getByRole('cell')
          .allTextContents()
        expect(cells).toEqual([
          p.name,
          String(p.messages),
          asDuration(p.medianFirstResponseMinutes),
          String(p.waiting),
        ])
      }
      // The chart draws one bar per side and day with messages.
      const chart = page.getByTestId('messages-per-day')
      await expect
        .poll(() => chart.locator('.recharts-bar-rectangle').count(), WITHIN)
        .toBeGreaterThan(0)
      expect(await chart.textContent()).toContain('From customers')

      // A customer writes: the screen follows the cache (debounced) without a reload.
      await customerThread({
        subject: 'Insights: is the deck stain dry?',
        body: 'Can we walk on the deck yet?',
      })
      await admin.engine.until(
        async () =>
          (await admin.engine.api.insights({ days: 30 })).messagesPerDay.reduce(
            (n, d) => n + d.customer + d.staff,
            0,
          ) > total,
        'the new message in the cache',
      )
      const after = await check(30)
      expect(after.total).toBeGreaterThan(total)

      await page.locator('label', { hasText: /^7 days$/ }).click()
      await check(7)

      const busiest = [...expected.byProject].sort((a, b) => b.messages - a.messages)[0]!
      await page.getByRole('combobox', { name: 'Project' }).click()
      await page.getByRole('option', { name: busiest.name, exact: true }).click()
      await check(7, busiest.projectId)
      expect(await projectTable.count()).toBe(0)

      expect(errors).toEqual([])
    },
    SLOW,
  )
})

describe('a staff member (not an admin)', () => {
  let staff: InboxStack
  it.beforeAll(async ({ server }) => {
    staff = await startInboxStack({ email: 'staff@demo.test', server })
  }, 120_000)
  afterAll(async () => {
    await staff?.close()
  })

  it(
    'changes the password in Settings: mistakes are said at the field, a wrong current one by the server, and other devices are signed out',
    async ({ stack: admin, openScreen }) => {
      const elsewhere = await signIn(admin.server.url, 'staff@demo.test')
      const { page, errors } = await openScreen('Settings', staff)
      const form = page.getByRole('form', { name: 'Change password' })
      const fill = async (current: string, next: string, again = next) => {
        await form.getByLabel('Current password').fill(current)
        await form.getByLabel('New password', { exact: true }).fill(next)
        await form.getByLabel('New password again').fill(again)
        await form.getByRole('button', { name: 'Change password' }).click()
      }
      await fill('portal-demo', 'short')
      await form.getByText('Use at least 10 characters (5 now).').waitFor()
      await fill('portal-demo', 'a-long-new-password', 'a-long-new-passwort')
      await form.getByText('The two new passwords differ').waitFor()
      await fill('not-my-password', 'a-long-new-password')
      await form.getByRole('alert').filter({ hasText: 'current password is not right' }).waitFor()
      expect((await elsewhere.get('/me')).status).toBe(200)

      await fill('portal-demo', 'a-long-new-password')
      await form
        .getByRole('status')
        .filter({ hasText: 'One other device was signed out; you stay signed in here.' })
        .waitFor(WITHIN)
      expect(await form.getByLabel('Current password').inputValue()).toBe('')
      expect((await elsewhere.get('/me')).status).toBe(401)
      expect((await staff.engine.api.getConnection({})).state).toBe('online')
      await signIn(admin.server.url, 'staff@demo.test', 'a-long-new-password')
      expect(errors).toEqual([])
    },
    SLOW,
  )

  it(
    'has no Admin entry, reads that only admins can change company settings (the engine refuses too), and signs out',
    async ({ openScreen }) => {
      const { page, errors } = await openScreen('Settings', staff)
      expect(await nav(page, 'Admin').count()).toBe(0)
      await page.getByText('Only admins can change company settings').waitFor()
      expect(await page.getByRole('button', { name: 'Open Admin' }).count()).toBe(0)
      await expect(staff.engine.api.getCompanySettings({})).rejects.toMatchObject({
        code: 'FORBIDDEN',
      })
      expect(await seriousViolations(page, 'staff settings')).toEqual([])

      // Sign out: the engine forgets the session and the page returns to the sign-in form.
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('button', { name: 'Sign in' }).waitFor(WITHIN)
      expect((await staff.engine.api.getConnection({})).state).toBe('signed-out')
      expect(errors).toEqual([])
    },
    SLOW,
  )
})

describe('accessibility (axe: no serious or critical findings)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(
      `Settings, Admin (both tabs, project dialog) and Insights in ${colorScheme}`,
      async ({ stack: admin }) => {
        const { page, errors, close } = await admin.open({ colorScheme })
        const found: string[] = []

        await nav(page, 'Settings').click({ timeout: 20_000 })
        await page.getByRole('switch', { name: 'Play a sound' }).waitFor()
        found.push(...(await seriousViolations(page, `${colorScheme} settings`)))

        await nav(page, 'Admin').click()
        await page.getByRole('form', { name: 'Client Portal settings' }).waitFor()
        found.push(...(await seriousViolations(page, `${colorScheme} admin client portal`)))
        await page.getByRole('tab', { name: 'Projects' }).click()
        await page.getByRole('table', { name: 'Projects' }).waitFor()
        found.push(...(await seriousViolations(page, `${colorScheme} admin projects`)))
        await page.getByRole('button', { name: 'New project' }).click()
        await page.getByRole('dialog', { name: 'New project' }).waitFor()
        await page.getByRole('button', { name: 'Add customer contact' }).click()
        found.push(...(await seriousViolations(page, `${colorScheme} new project dialog`)))
        await page.getByRole('button', { name: 'Cancel' }).last().click()
        await page.keyboard.press('Escape')

        await nav(page, 'Insights').click()
        await page.getByTestId('stat-messages-value').waitFor()
        await expect
          .poll(
            () => page.getByTestId('messages-per-day').locator('.recharts-bar-rectangle').count(),
            WITHIN,
          )
          .toBeGreaterThan(0)
        found.push(...(await seriousViolations(page, `${colorScheme} insights`)))
        if (colorScheme === 'dark') await screenshot(page, 'inbox-insights-dark')

        expect(found).toEqual([])
        expect(errors).toEqual([])
        await close()
      },
      SLOW,
    )
  }
})
