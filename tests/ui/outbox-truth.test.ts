import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { conversationRow, cutOff, LAPTOP, screenshot, waitForInbox } from '../support/inbox'
import { inboxSuite } from '../support/fixtures'

// Issue 12, "every state shown is the true one": what waits in the outbox says whether it waits
// for the connection, failed (and why) or is held, never "Sending"; the banner and the Outbox
// badge count the same list; a discarded reply leaves the inbox list as it was before it.
// The engine reaches the server through a fault proxy, so it can be cut off while the server runs.

const row = conversationRow
const nav = (page: Page) => page.getByRole('navigation', { name: 'Inbox navigation' })
const outboxBadge = (page: Page) => nav(page).getByRole('button', { name: /^Outbox/ })

const it = inboxSuite({ viaProxy: true }, (base) =>
  base.extend('openOffline', { scope: 'file' }, ({ stack, proxy, carla, newThread }) =>
    /** Carla starts a thread; Sam opens it on a laptop screen, then loses the connection. */
    async (subject: string, body: string) => {
      const created = await newThread(carla, { subject, body })
      expect(created.status).toBe(201)
      const opened = await stack.open({ viewport: LAPTOP })
      const { page } = opened
      await waitForInbox(page)
      await expect.poll(() => row(page, subject).count()).toBe(1)
      await row(page, subject).getByRole('button').first().click()
      await expect.poll(() => page.getByTestId('thread-subject').textContent()).toBe(subject)
      await cutOff(stack, proxy, page)
      return { threadId: created.body.thread.id as string, ...opened }
    },
  ),
)
const quietErrors = (errors: string[]) =>
  errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))

describe('the outbox says what is true', () => {
  it('offline, a reply waits for the connection; the banner and the Outbox badge count the same; a discarded reply leaves the list as it was', async ({
    stack,
    proxy,
    admin,
    dir,
    openOffline,
  }) => {
    const { threadId, page, errors, close } = await openOffline(
      'Discard check',
      'Is the porch light on the plan?',
    )
    try {
      await page.getByRole('textbox', { name: 'Reply' }).fill('A reply I will take back')
      await page.keyboard.press('Control+Enter')
      const pending = page.getByRole('article').filter({ hasText: 'A reply I will take back' })
      await expect.poll(() => pending.getAttribute('data-pending')).toBe('true')
      // Offline nothing is being sent: the message and its row say what it waits for.
      const note = pending.getByTestId('pending-note')
      await expect.poll(() => note.textContent()).toMatch(/^Waiting for the connection/)
      const badge = row(page, 'Discard check').getByTestId('row-outbox-state')
      await expect.poll(() => badge.textContent()).toMatch(/^Waiting for connection/)
      expect(await page.getByText(/^Sending/).count()).toBe(0)
      // The list shows the reply as the thread's last message while it waits.
      await expect
        .poll(() => row(page, 'Discard check').textContent())
        .toContain('A reply I will take back')

      // A second change. The banner and the Outbox badge give the number of entries the outbox
      // lists (the read mark of Carla's message waits there too).
      await page.getByRole('button', { name: 'Assign…' }).click()
      await page.getByRole('menuitem', { name: /^Me \(Sam/ }).click()
      const banner = page.getByTestId('offline-banner-text')
      const waiting = async () => (await stack.engine.api.listOutbox({})).length
      await expect.poll(waiting).toBe(3)
      await expect.poll(() => banner.textContent()).toContain('3 changes wait in the outbox.')
      await expect.poll(() => outboxBadge(page).textContent()).toMatch(/^Outbox3/)
      await screenshot(page, 'inbox-offline-waiting')

      // Discarded: gone from the outbox, the banner and the badge; the list is as it was.
      await outboxBadge(page).click()
      const entry = page
        .getByRole('list', { name: 'Outbox' })
        .getByRole('listitem')
        .filter({ hasText: 'Reply in “Discard check”' })
      await expect.poll(() => entry.textContent()).toMatch(/Waiting for connection/)
      await entry.getByRole('button', { name: 'Discard' }).click()
      await expect.poll(() => entry.count()).toBe(0)
      await expect.poll(waiting).toBe(2)
      await expect.poll(() => banner.textContent()).toContain('2 changes wait in the outbox.')
      await expect.poll(() => outboxBadge(page).textContent()).toMatch(/^Outbox2/)
      await nav(page).getByRole('button', { name: /^All/ }).click()
      await expect
        .poll(() => row(page, 'Discard check').textContent())
        .toContain('Is the porch light on the plan?')
      expect(await row(page, 'Discard check').textContent()).not.toContain(
        'A reply I will take back',
      )
      const { thread } = await stack.engine.api.openThread({ threadId })
      expect(thread.lastMessagePreview).toBe('Is the porch light on the plan?')
      expect(thread.lastMessageSenderId).toBe(dir.person('customer@demo.test'))

      // Back online the assignment goes, and nothing waits any more.
      proxy.set('pass')
      await stack.engine.until(
        async () => (await stack.engine.api.listOutbox({})).length === 0,
        'the outbox to drain',
        20_000,
      )
      await expect.poll(() => badge.count(), { timeout: 10_000 }).toBe(0)
      expect((await admin.get(`/threads/${threadId}`)).body.assigneeId).toBe(
        dir.person('staff@demo.test'),
      )
      expect(quietErrors(errors)).toEqual([])
    } finally {
      proxy.set('pass')
      await close()
    }
  })

  it('a reply the server refuses says Failed and why, each sentence with one full stop', async ({
    proxy,
    admin,
    openOffline,
  }) => {
    const { page, errors, close } = await openOffline(
      'Refused reply check',
      'Can you send the whole spec?',
    )
    try {
      const long = 'The spec, line by line. '.repeat(15).trim()
      await page.getByRole('textbox', { name: 'Reply' }).fill(long)
      await page.keyboard.press('Control+Enter')
      // While the reply waits, the company lowers its limit below it: the server will refuse it.
      expect((await admin.patch('/admin/settings', { maxBodyChars: 100 })).status).toBe(200)
      proxy.set('pass')
      const pending = page.getByRole('article').filter({ hasText: 'The spec, line by line.' })
      const note = pending.getByTestId('pending-note')
      await expect
        .poll(() => note.textContent(), { timeout: 15_000 })
        .toMatch(
          new RegExp(
            `^Failed: The message is ${long.length} characters; the limit is 100\\. Split it, or attach it as a document\\. Edit, retry or discard it in the outbox\\.`,
          ),
        )
      expect(await note.textContent()).not.toContain('..')
      await expect
        .poll(() => row(page, 'Refused reply check').getByTestId('row-outbox-state').textContent())
        .toMatch(/^Failed/)
      await expect.poll(() => outboxBadge(page).textContent()).toMatch(/^Outbox1/)
      await outboxBadge(page).click()
      const entry = page.getByRole('list', { name: 'Outbox' }).getByRole('listitem')
      await expect.poll(() => entry.textContent()).toMatch(/^Failed/)
      expect(await entry.textContent()).not.toContain('..')
      await screenshot(page, 'inbox-outbox-failed')
      await entry.getByRole('button', { name: 'Discard' }).click()
      await expect.poll(() => entry.count()).toBe(0)
      expect(quietErrors(errors)).toEqual([])
    } finally {
      proxy.set('pass')
      await admin.patch('/admin/settings', { maxBodyChars: 20_000 })
      await close()
    }
  })
})
