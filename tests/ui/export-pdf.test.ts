import fs from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { emptyChanges } from '../../src/main/core/cache/fixtures'
import { seriousViolations } from '../support/axe'
import { openConversation, screenshot } from '../support/inbox'
import { readPdfText } from '../support/pdf-text'
import { uiSuite } from '../support/ui-suite'

// Issue 12, "a conversation cannot be printed or exported for the project file": Export PDF… on
// the open thread asks whether internal notes go in (not unless ticked), saves the PDF the
// engine made from its cache as a download named for the project file, and says what happened,
// an error included, in a person's words. By mouse and by keyboard, on a 1280x720 screen.

const it = uiSuite()

const open = openConversation

const dialog = (page: Page) =>
  page.getByRole('dialog', { name: 'Export the conversation as a PDF' })

const notesBox = (page: Page) =>
  dialog(page).getByRole('checkbox', { name: /Include internal notes/ })

/** Opens the dialog with Enter on the focused header button; it is ready when Save PDF has focus. */
async function openByKeyboard(page: Page) {
  await page.getByRole('button', { name: 'Export PDF…' }).focus()
  await page.keyboard.press('Enter')
  const save = dialog(page).getByRole('button', { name: 'Save PDF' })
  await expect.poll(() => save.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
}

/** The download the action below starts: its name and its bytes. */
async function download(page: Page, act: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent('download'), act()])
  const bytes = await fs.readFile((await file.path())!)
  return {
    name: file.suggestedFilename(),
    bytes,
    text: readPdfText(bytes).text.replace(/\s+/g, ' '),
  }
}

describe('Export PDF', () => {
  it('saves the open thread as a PDF named for the project file, and says so', async ({
    inbox: { page, errors },
  }) => {
    const subject = 'Tile selection for the primary bath'
    await open(page, subject)
    await page.getByRole('button', { name: 'Export PDF…' }).click()
    await expect.poll(() => dialog(page).isVisible()).toBe(true)
    expect(await notesBox(page).isChecked()).toBe(false)
    expect(await seriousViolations(page, 'export dialog')).toEqual([])
    await screenshot(page, 'inbox-export-pdf')

    const pdf = await download(page, () =>
      dialog(page).getByRole('button', { name: 'Save PDF' }).click(),
    )
    expect(pdf.name).toBe(
      'Maple Street Remodel - Tile selection for the primary bath - 2026-12-07.pdf',
    )
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.text).toContain(`Harbor & Pine Builders ${subject}`)
    expect(pdf.text).toContain('Hi Sam, we picked the tile from the showroom.')
    expect(pdf.text).toContain('showroom-tile.png')
    await expect
      .poll(() => page.getByText(`Saved “${pdf.name}” to your downloads.`).count())
      .toBe(1)
    await expect.poll(() => dialog(page).count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('by keyboard: internal notes stay out unless ticked, and the copy with them says it is for staff', async ({
    stack,
    inbox: { page, errors },
  }) => {
    const subject = 'Water coming through the basement wall'
    await open(page, subject)
    await openByKeyboard(page)
    // The dialog opens on Save PDF: Enter saves the copy without internal notes.
    const customerCopy = await download(page, () => page.keyboard.press('Enter'))
    expect(customerCopy.text).toContain('There is a leak in the basement')
    expect(customerCopy.text).not.toContain('Plumb Bros')
    expect(customerCopy.text).toContain('Internal notes Left out')
    // The thread behind the dialog heard none of those keys.
    expect(await page.getByTestId('thread-subject').textContent()).toBe(subject)

    await openByKeyboard(page)
    // u would mark the thread unread and close it; typed in the dialog, it is the dialog's.
    await page.keyboard.press('u')
    expect(await dialog(page).isVisible()).toBe(true)
    await page.keyboard.press('Shift+Tab') // Cancel
    await page.keyboard.press('Shift+Tab') // the internal-notes box
    await page.keyboard.press('Space')
    expect(await notesBox(page).isChecked()).toBe(true)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    const staffCopy = await download(page, () => page.keyboard.press('Enter'))
    expect(staffCopy.name).toBe(
      'Maple Street Remodel - Water coming through the basement wall - 2026-12-07.pdf',
    )
    expect(staffCopy.text).toContain('Internal note (staff only) Sam Rivera Staff ·')
    expect(staffCopy.text).toContain('Called Plumb Bros, they can be there at 2pm.')
    expect(staffCopy.text).toContain('Staff copy with internal notes')

    // Opened again, the box is empty again: the next copy is a customer's unless ticked anew.
    await page.getByRole('button', { name: 'Export PDF…' }).click()
    expect(await notesBox(page).isChecked()).toBe(false)
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog(page).count()).toBe(0)

    // j and Enter still open the next conversation with a button focused: the view just clicked.
    const order = (await stack.engine.api.listThreads({ view: 'all' })).threads
    const next = order[order.findIndex((t) => t.subject === subject) + 1]!
    await page
      .getByRole('navigation', { name: 'Inbox navigation' })
      .getByRole('button', { name: /^All/ })
      .click()
    await page.keyboard.press('j')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('thread-subject').textContent()).toBe(next.subject)
    expect(errors).toEqual([])
  })

  it('says in a person’s words when the PDF cannot be made, and keeps the dialog to try again', async ({
    stack,
    openCustomerThread,
  }) => {
    const { threadId, page, errors } = await openCustomerThread({
      subject: 'Paint colors for the hallway',
      body: 'Which white did we pick for the hallway?',
    })
    await page.getByRole('button', { name: 'Export PDF…' }).click()
    // The thread leaves this desktop's cache while the dialog is open (its access was taken
    // away, say) before the screen heard of it.
    stack.engine.engine.store.apply(emptyChanges({ removedThreadIds: [threadId] }))
    await dialog(page).getByRole('button', { name: 'Save PDF' }).click()
    const alert = dialog(page).getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain('The PDF was not saved')
    expect(await alert.textContent()).toContain('That conversation is not in your inbox.')
    expect(await seriousViolations(page, 'export error')).toEqual([])
    expect(errors).toEqual([])
  })
})
