import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { Api, startThread } from '../support/api'
import { addCompany } from '../support/companies'
import { emlMails, setPasswordLink, waitForEml } from '../support/mail'
import { screenshot } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Code passed to evaluate runs in the page; this project's types are Node's.
declare const document: any

// Issue 12, "invite an outsider into one thread": from the thread's Participants dialog, Sam
// invites the architect by email. Each mistake is said at its field, the server's refusal in
// its words at the email, and the new participant is listed as a guest who has not signed in
// yet, until she sets her password.

const ANNA = 'anna@studio-nord.test'
let threadId: string

const it = uiSuite()
it.beforeAll(async ({ server, sam, dir }) => {
  threadId = await startThread(
    sam,
    dir.project('Maple'),
    'Kitchen island layout',
    'We are thinking of moving the island 40 cm towards the window.',
  )
  // An address that belongs to another builder on this server.
  addCompany(server, 'Birchwood Custom Homes', [
    { role: 'customer', name: 'Olga Other', email: 'olga@elsewhere.test' },
  ])
})

const focused = (field: Locator) => field.evaluate((el) => el === document.activeElement)
/** The field's error as a screen reader hears it: its description. */
async function describedBy(page: Page, field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean)
  return page.evaluate(
    (list) => list.map((id: string) => document.getElementById(id)?.textContent ?? '').join(' '),
    ids,
  )
}

describe('inviting an architect by email from the Participants dialog', () => {
  it('says each mistake at its field, the server’s refusal at the email, and lists her as a guest not signed in yet', async ({
    stack,
    admin,
    inbox: { page, errors },
  }) => {
    const row = page
      .getByRole('list', { name: /conversations$/ })
      .getByRole('listitem')
      .filter({ hasText: 'Kitchen island layout' })
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1)
    await row.getByRole('button').first().click()
    await page.getByRole('button', { name: /^Participants/ }).click()
    const drawer = page.getByRole('dialog', { name: 'Participants' })
    const form = drawer.getByRole('group', { name: 'Invite by email' })
    const name = form.getByRole('textbox', { name: 'Name' })
    const email = form.getByRole('textbox', { name: 'Email' })
    const send = form.getByRole('button', { name: 'Send invitation' })

    // Nothing typed: both fields say what they need, and the focus goes to the first.
    await send.click()
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true')
    expect(await describedBy(page, name)).toContain('Write their name, e.g. “Anna Berg”.')
    expect(await describedBy(page, email)).toContain('Write their email address')
    await expect.poll(() => focused(name)).toBe(true)
    // Each goes when its field is written; a mistyped address is still one.
    await name.fill('Anna Berg')
    await expect.poll(() => name.getAttribute('aria-invalid')).toBeNull()
    expect(await email.getAttribute('aria-invalid')).toBe('true')
    await email.fill('anna@studio-nord')
    await send.click()
    await expect.poll(() => focused(email)).toBe(true)
    expect(await describedBy(page, email)).toContain('Write their email address')

    // An address of another builder: the server's sentence, at the email, naming nobody.
    await email.fill('olga@elsewhere.test')
    await send.click()
    await expect
      .poll(() => describedBy(page, email))
      .toContain(
        'olga@elsewhere.test can’t be invited here. Ask them for another email address, such as their work address, and invite that one.',
      )
    expect(await drawer.textContent()).not.toContain('Birchwood')
    await screenshot(page, 'inbox-invite-refused')

    // The architect, as a guest.
    await email.fill(ANNA)
    await form.getByRole('radio', { name: 'Guest (architect, designer…)' }).check()
    await send.click()
    const done = form.getByRole('status')
    await expect
      .poll(() => done.textContent())
      .toContain(
        `Anna Berg (Guest) is in the conversation now. An invitation to set a password went to ${ANNA}`,
      )
    // Listed at once (the engine pulled the change before answering), as a guest not signed in yet.
    const listed = drawer
      .getByRole('list', { name: 'Participants' })
      .getByRole('listitem')
      .filter({ hasText: 'Anna Berg' })
    await expect.poll(() => listed.textContent()).toBe('Anna BergGuestNot signed in yet')
    // The form is empty for the next one.
    expect(await name.inputValue()).toBe('')
    // The drawer scrolled to the answer; back to the top for the picture of the list.
    await listed.evaluate((el) => {
      for (let at = el.parentElement; at; at = at.parentElement) at.scrollTop = 0
    })
    await screenshot(page, 'inbox-invite-listed')

    // On the server: in the thread, and mailed.
    const thread = (await admin.get(`/threads/${threadId}`)).body as { participantIds: string[] }
    const people = (await admin.get('/people')).body.people as { id: string; email: string }[]
    const anna = people.find((p) => p.email === ANNA)
    expect(anna && thread.participantIds.includes(anna.id)).toBe(true)
    const mail = await waitForEml(stack.server.dataDir, 'invitation', ANNA)
    expect(mail.subject).toBe(
      'Sam Rivera at Harbor & Pine Builders invited you to “Kitchen island layout”',
    )
    expect(
      (await emlMails(stack.server.dataDir, 'invitation')).some((m) =>
        m.to.includes('olga@elsewhere.test'),
      ),
    ).toBe(false)

    // She sets her password: the list says so without a reload.
    const set = await new Api(stack.server.url).post('/auth/set-password', {
      token: setPasswordLink(mail).token,
      password: 'anna-berg-studio-nord',
    })
    expect(set.status).toBe(200)
    await expect.poll(() => listed.textContent()).toBe('Anna BergGuest')
    expect(errors).toEqual([])
  })
})
