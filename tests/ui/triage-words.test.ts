import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { conversationRow, openConversation, screenshot } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Issue 12, "triage says what is so": the header names who has the thread, a snoozed thread of
// mine stays in Assigned to me (marked snoozed), a row says one of "Waiting 3 days" and "Waiting
// on customer", names an assignee only when there is one, and the reply box says before sending
// that a reply clears Urgent (the server clears it when staff answer the customer).

const list = (page: Page) => page.getByRole('list', { name: /conversations$/ })
const row = conversationRow
const nav = (page: Page) => page.getByRole('navigation', { name: 'Inbox navigation' })

const open = openConversation

const it = uiSuite()

/** What Carla writes to ask staff to look at something. */
const question = (subject: string, urgent = false) => ({
  subject,
  body: `${subject}: could someone have a look?`,
  urgent,
})

describe('triage says what is so', () => {
  it('the header names the assignee; a snoozed thread of mine stays in Assigned to me, marked; rows name only real assignees', async ({
    stack,
    admin,
    dir,
    openCustomerThread,
  }) => {
    const { threadId, page, errors } = await openCustomerThread(question('Who has the deck permit'))
    // Nobody has it: the button offers to assign, and no row says "Unassigned".
    const assign = page.getByTestId('assign-button')
    await expect.poll(() => assign.textContent()).toBe('Assign…')
    expect(await list(page).textContent()).not.toContain('Unassigned')
    expect(await row(page, 'Who has the deck permit').getByTestId('row-assignee').count()).toBe(0)

    await assign.click()
    await page.getByRole('menuitem', { name: 'Tess Nguyen' }).click()
    await expect.poll(() => assign.textContent()).toBe('Assigned to Tess Nguyen')
    await expect
      .poll(() => row(page, 'Who has the deck permit').getByTestId('row-assignee').textContent())
      .toBe('Tess Nguyen')
    // The menu says who has it by not offering her again.
    await assign.click()
    await expect
      .poll(() => page.getByRole('menuitem', { name: 'Tess Nguyen' }).getAttribute('data-disabled'))
      .toBe('true')
    await page.getByRole('menuitem', { name: /^Me \(Sam/ }).click()
    await expect.poll(() => assign.textContent()).toBe('Assigned to Sam Rivera')
    await stack.engine.until(
      async () =>
        (await admin.get(`/threads/${threadId}`)).body.assigneeId === dir.person('staff@demo.test'),
      'the assignment on the server',
    )

    // Snoozed, it leaves All but stays in Assigned to me, saying it is snoozed.
    await page.getByRole('button', { name: 'Snooze…' }).click()
    await page.getByRole('menuitem', { name: /^Tomorrow morning/ }).click()
    await expect.poll(() => page.getByRole('button', { name: /^Snoozed until/ }).count()).toBe(1)
    await nav(page)
      .getByRole('button', { name: /^Assigned to me/ })
      .click()
    await expect
      .poll(() => row(page, 'Who has the deck permit').textContent())
      .toMatch(/Snoozed until/)
    const counts = await stack.engine.api.viewCounts({})
    await expect
      .poll(() => page.getByTestId('view-total').textContent())
      .toBe(
        `${counts.views.assigned} ${counts.views.assigned === 1 ? 'conversation' : 'conversations'}`,
      )
    await screenshot(page, 'inbox-assigned-snoozed')
    await nav(page).getByRole('button', { name: /^All/ }).click()
    await expect.poll(() => page.getByTestId('view-total').textContent()).toMatch(/conversation/)
    expect(await row(page, 'Who has the deck permit').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('a thread set waiting on the customer says so, not how long a customer waited, and leaves Waiting on us', async ({
    customerThread,
    openInbox,
  }) => {
    await customerThread(question('Tile grout colour'))
    const { page, errors } = await openInbox()
    await expect
      .poll(() => row(page, 'Tile grout colour').textContent(), { timeout: 10_000 })
      .toMatch(/Waiting (a|an|\d)/)
    await open(page, 'Tile grout colour')
    await page.getByRole('button', { name: /^Status/ }).click()
    await page.getByRole('menuitem', { name: 'Waiting on customer' }).click()
    await expect
      .poll(() => row(page, 'Tile grout colour').textContent())
      .toMatch(/Waiting on customer/)
    expect(await row(page, 'Tile grout colour').textContent()).not.toMatch(/Waiting (a|an|\d)/)
    await nav(page)
      .getByRole('button', { name: /^Waiting on us/ })
      .click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Waiting on us')
    await expect.poll(() => row(page, 'Tile grout colour').count(), { timeout: 10_000 }).toBe(0)
    // No row anywhere says both.
    for (const text of await list(page).getByRole('listitem').allTextContents())
      expect(text).not.toMatch(/Waiting on customer/)
    expect(errors).toEqual([])
  })

  it('replying to an urgent thread says first that the reply clears Urgent, and then it is cleared', async ({
    admin,
    openCustomerThread,
  }) => {
    const { threadId, page, errors } = await openCustomerThread(
      question('Smoke alarm keeps beeping', true),
    )
    await expect.poll(() => page.getByTestId('thread-urgent').count()).toBe(1)
    const warning = page.getByTestId('urgent-clears')
    await expect.poll(() => warning.textContent()).toMatch(/clears the thread’s Urgent mark/)
    // An internal note leaves Urgent alone, and the box says nothing of it.
    await page.getByRole('switch', { name: 'Internal note' }).check()
    await expect.poll(() => warning.count()).toBe(0)
    await page.getByRole('switch', { name: 'Internal note' }).uncheck()
    await expect.poll(() => warning.count()).toBe(1)
    await page.getByRole('textbox', { name: 'Reply' }).fill('We will call you in five minutes.')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('thread-urgent').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => warning.count()).toBe(0)
    await expect
      .poll(() => row(page, 'Smoke alarm keeps beeping').textContent())
      .not.toMatch(/Urgent/)
    expect((await admin.get(`/threads/${threadId}`)).body.urgent).toBe(false)
    expect(errors).toEqual([])
  })
})
