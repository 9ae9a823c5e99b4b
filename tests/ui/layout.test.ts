import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { DESKTOP, LAPTOP, screenshot, waitForInbox } from '../support/inbox'
import { inboxSuite } from '../support/fixtures'

// Issue 12, "layout for 1280x720 and up": every navigation entry is on screen with a long
// project list (which scrolls on its own), and the thread header's subject, badges and buttons
// are whole, at a laptop's 1280x720 and a desktop's 1440x900. Ada (admin) sees every entry.

const it = inboxSuite({ email: 'admin@demo.test' })
it.beforeAll(async ({ stack, admin }) => {
  // Enough projects that the list cannot fit beside the fixed entries on any of the screens.
  for (let i = 1; i <= 14; i++) {
    const res = await admin.post('/admin/projects', {
      name: `Lot ${i} Riverside Estates`,
      stage: 'construction',
      teamIds: [],
    })
    expect(res.status).toBe(201)
  }
  await stack.engine.until(
    async () => (await stack.engine.api.listProjects({})).length >= 19,
    'the new projects in the cache',
  )
})

const nav = (page: Page) => page.getByRole('navigation', { name: 'Inbox navigation' })

/** Inside the viewport, and its text not cut off (what is clipped scrolls wider than it shows). */
async function whole(page: Page, element: Locator, what: string): Promise<void> {
  const viewport = page.viewportSize()!
  const box = await element.boundingBox()
  expect(box, `${what} is laid out`).not.toBeNull()
  expect(box!.x, `${what} starts inside the window`).toBeGreaterThanOrEqual(0)
  expect(box!.y, `${what} starts inside the window`).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width, `${what} ends inside the window`).toBeLessThanOrEqual(viewport.width)
  expect(box!.y + box!.height, `${what} ends inside the window`).toBeLessThanOrEqual(
    viewport.height,
  )
  const clipped = await element.evaluate(
    (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1,
  )
  expect(clipped, `${what} is not clipped`).toBe(false)
}

describe.each([
  ['laptop', LAPTOP],
  ['desktop', DESKTOP],
])('at %s size', (name, viewport) => {
  it(`${viewport.width}x${viewport.height}: every navigation entry is on screen; the projects scroll on their own`, async ({
    stack,
  }) => {
    const { page, errors, close } = await stack.open({ viewport })
    await waitForInbox(page)
    for (const entry of [
      'All',
      'Unread',
      'Urgent',
      'Assigned to me',
      'Waiting on us',
      'Snoozed',
      'Closed',
      'Search',
      'Outbox',
      'Insights',
      'Settings',
      'Admin',
    ]) {
      const button = nav(page).getByRole('button', { name: new RegExp(`^${entry}`) })
      await expect.poll(() => button.isVisible()).toBe(true)
      await whole(page, button, `the ${entry} entry`)
    }
    // The project list scrolls inside its own part of the navigation; the last project can be
    // reached, and reaching it moves nothing else.
    const projects = page.getByTestId('nav-projects')
    const viewportEl = projects.locator('.mantine-ScrollArea-viewport')
    expect(await viewportEl.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true)
    const last = nav(page).getByRole('button', { name: /^Oak Ridge New Build/ })
    await last.scrollIntoViewIfNeeded()
    await expect.poll(() => last.isVisible()).toBe(true)
    await whole(page, nav(page).getByRole('button', { name: /^Settings/ }), 'Settings, after')
    await screenshot(page, `inbox-${name}-navigation`)
    expect(errors).toEqual([])
    await close()
  })

  it(`${viewport.width}x${viewport.height}: the thread header shows its subject, badges and buttons whole`, async ({
    stack,
  }) => {
    const { page, errors, close } = await stack.open({ viewport })
    await waitForInbox(page)
    const leak = (await stack.engine.api.listThreads({ view: 'urgent' })).threads.find((t) =>
      t.subject.startsWith('Water coming through the basement wall'),
    )!
    await page
      .getByRole('list', { name: /conversations$/ })
      .getByRole('listitem')
      .filter({ hasText: leak.subject })
      .getByRole('button')
      .first()
      .click()
    const header = page
      .getByRole('region', { name: /^Conversation: Water coming/ })
      .locator(':scope > div')
      .first()
    await expect.poll(() => header.getByTestId('thread-urgent').count()).toBe(1)
    // The longest labels the header shows: assigned, waiting on the customer, snoozed.
    await header.getByTestId('assign-button').click()
    await page.getByRole('menuitem', { name: /^Me \(Ada/ }).click()
    await expect.poll(() => header.getByTestId('assign-button').textContent()).toMatch(/^Assigned/)
    await header.getByRole('button', { name: /^Status/ }).click()
    await page.getByRole('menuitem', { name: 'Waiting on customer' }).click()
    await header.getByRole('button', { name: 'Snooze…' }).click()
    await page.getByRole('menuitem', { name: /^Next week/ }).click()
    await expect.poll(() => header.getByRole('button', { name: /^Snoozed until/ }).count()).toBe(1)
    await whole(page, page.getByTestId('thread-subject'), 'the subject')
    await whole(page, header.getByTestId('thread-urgent'), 'the Urgent badge')
    await whole(page, header.locator('.mantine-Badge-label').first(), 'the Urgent label')
    const buttons = header.getByRole('button')
    const count = await buttons.count()
    expect(count).toBeGreaterThanOrEqual(6)
    for (let i = 0; i < count; i++) {
      const button = buttons.nth(i)
      const label = (await button.textContent()) ?? ''
      await whole(page, button, `the “${label}” button`)
      await whole(page, button.locator('.mantine-Button-label'), `the “${label}” label`)
    }
    // The confirmations of the three changes close by themselves (the page's clock moves on).
    await page.clock.fastForward(3000)
    await expect.poll(() => page.locator('.mantine-Notification-root').count()).toBe(0)
    await screenshot(page, `inbox-${name}-thread-header`)
    // Put back what this test changed in the demo thread, for the next screen size.
    await stack.engine.api.updateThread({
      threadIds: [leak.id],
      status: 'open',
      assigneeId: null,
      snoozedUntil: null,
    })
    await stack.engine.until(
      async () => (await stack.engine.api.listOutbox({})).length === 0,
      'the demo thread put back',
    )
    expect(errors).toEqual([])
    await close()
  })
})
