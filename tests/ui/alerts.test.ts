import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import type { Api } from '../support/api'
import { cutOff, screenshot, waitForInbox } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Issue 12, "alerts belong to the signed-in person": the page's alerts for new customer
// messages go away by themselves (urgent ones later), gather when many arrive (a reconnect's
// catch-up included), and go with the session, whether the person signs out or the server ends
// it. The engine reaches the server through a fault proxy, so it can be cut off.

const toasts = (page: Page) => page.locator('.mantine-Notification-root')
const alerts = (page: Page, kind: 'urgent' | 'normal') =>
  page.locator(`.mantine-Notification-root[data-alert="${kind}"]`)

/** This file's own fixture: a customer writes a new conversation in one of her projects. */
const it = uiSuite({ viaProxy: true }, (base) =>
  base.extend(
    'write',
    { scope: 'file' },
    ({ customerThread }) =>
      async (customer: Api, project: string, subject: string, urgent = false) => {
        const body = `About ${subject.toLowerCase()}, when you have a moment.`
        await customerThread({ project, subject, body, urgent }, customer)
      },
  ),
)

describe('alerts', () => {
  it('go away by themselves: a normal one after a few seconds, an urgent one later, not never', async ({
    carla,
    write,
    inbox: { page, errors },
  }) => {
    await write(carla, 'Maple', 'Fence stain colour')
    await write(carla, 'Maple', 'Sump pump alarm', true)
    await expect.poll(() => alerts(page, 'normal').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => alerts(page, 'urgent').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => alerts(page, 'urgent').textContent()).toMatch(/^Urgent: Carla/)
    // The page's clock moves on (alerts.tsx: 10 s for a normal alert, a minute for an urgent one).
    await page.clock.fastForward(15_000)
    await expect.poll(() => alerts(page, 'normal').count()).toBe(0)
    expect(await alerts(page, 'urgent').count()).toBe(1)
    await page.clock.fastForward(60_000)
    await expect.poll(() => alerts(page, 'urgent').count()).toBe(0)
    // The message itself is still there to find: the Urgent view counts it.
    await expect
      .poll(() =>
        page
          .getByRole('navigation', { name: 'Inbox navigation' })
          .getByRole('button', { name: /^Urgent/ })
          .textContent(),
      )
      .toMatch(/\d/)
    expect(errors).toEqual([])
  })

  it('gather: five urgent messages are one alert, "5 new urgent messages", that opens the Urgent view', async ({
    carla,
    write,
    inbox: { page, errors },
  }) => {
    for (let i = 1; i <= 5; i++) await write(carla, 'Maple', `Storm damage, part ${i}`, true)
    await expect
      .poll(() => alerts(page, 'urgent').textContent(), { timeout: 10_000 })
      .toMatch(/^5 new urgent messages/)
    expect(await alerts(page, 'urgent').count()).toBe(1)
    await expect.poll(() => alerts(page, 'urgent').textContent()).toContain('Storm damage, part 5')
    await screenshot(page, 'inbox-alerts-gathered')
    await alerts(page, 'urgent').click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Urgent')
    await expect.poll(() => alerts(page, 'urgent').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('a reconnect’s catch-up does not bury the screen: one alert per kind, counting what was missed', async ({
    stack,
    proxy,
    carla,
    write,
    inbox: { page, errors },
  }) => {
    try {
      await cutOff(stack, proxy, page)
      for (let i = 1; i <= 4; i++) await write(carla, 'Maple', `Question ${i} from the weekend`)
      for (let i = 1; i <= 3; i++) await write(carla, 'Maple', `Overnight problem ${i}`, true)
      proxy.set('pass')
      await expect
        .poll(() => alerts(page, 'urgent').textContent(), { timeout: 15_000 })
        .toMatch(/^3 new urgent messages/)
      await expect.poll(() => alerts(page, 'normal').textContent()).toMatch(/^4 new messages/)
      expect(await toasts(page).count()).toBe(2)
      await screenshot(page, 'inbox-alerts-catch-up')
    } finally {
      proxy.set('pass')
    }
    expect(errors.filter((e) => !/WebSocket|Failed to load resource/.test(e))).toEqual([])
  })

  it('go with the session: signing out with an alert on screen leaves none for the next person', async ({
    proxy,
    carla,
    write,
    inbox: { page, errors },
  }) => {
    await write(carla, 'Maple', 'Front door will not lock', true)
    await expect
      .poll(() => alerts(page, 'urgent').textContent(), { timeout: 10_000 })
      .toContain('Front door will not lock')
    await page
      .getByRole('navigation', { name: 'Inbox navigation' })
      .getByRole('button', { name: /^Settings/ })
      .click()
    await page.getByRole('button', { name: 'Sign out' }).click()
    // With read marks still waiting the app asks first.
    const discard = page.getByRole('button', { name: 'Sign out and discard' })
    if (await discard.isVisible().catch(() => false)) await discard.click()
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1)
    await expect.poll(() => toasts(page).count()).toBe(0)
    expect(await page.textContent('body')).not.toContain('Front door will not lock')
    await screenshot(page, 'inbox-signed-out')

    // Tess signs in on the same computer: nothing of Sam's is on her screen.
    await page.getByLabel(/^Server address/).fill(proxy.url)
    await page.getByLabel(/^Email/).fill('staff2@demo.test')
    await page.getByLabel(/^Password/).fill('portal-demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await waitForInbox(page)
    expect(await toasts(page).count()).toBe(0)
    expect(await page.textContent('body')).not.toContain('Front door will not lock')
    expect(errors).toEqual([])
  })

  it('go with a session the server ended: the sign-in screen says why and shows no alert', async ({
    stack,
    admin,
    ben,
    dir,
    write,
    inbox: { page, errors },
  }) => {
    expect((await stack.engine.api.getConnection({})).user?.email).toBe('staff2@demo.test')
    await write(ben, 'Oak', 'Window delivery damaged', true)
    await expect
      .poll(() => alerts(page, 'urgent').textContent(), { timeout: 10_000 })
      .toContain('Window delivery damaged')
    const tess = dir.person('staff2@demo.test')
    expect((await admin.post(`/admin/people/${tess}/sign-out`)).status).toBe(200)
    await expect
      .poll(() => page.getByRole('button', { name: 'Sign in' }).count(), { timeout: 10_000 })
      .toBe(1)
    await expect.poll(() => toasts(page).count()).toBe(0)
    await expect
      .poll(() => page.getByRole('main').textContent())
      .toContain('An admin signed you out on every device. Sign in again.')
    await screenshot(page, 'inbox-session-ended')
    expect(await page.textContent('body')).not.toContain('Window delivery damaged')
    expect(errors).toEqual([])
  })
})
