import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { screenshot, waitForInbox } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Code passed to evaluate runs in the page; this project's types are Node's.
declare const document: any

// Issue 12, "the new-conversation form": the focus starts in the first field (Project, when
// there is a choice), every mistake is said at its field at once, and each goes as soon as its
// field is right.

const it = uiSuite()

const focused = (field: Locator) => field.evaluate((el) => el === document.activeElement)
const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'New conversation' })

describe('the new-conversation form', () => {
  it('starts in Project, says every mistake at its field at once, and clears each when fixed', async ({
    untilCarlaSees,
    inbox: { page, errors },
  }) => {
    await page.keyboard.press('n')
    const dialog = dialogOf(page)
    const project = dialog.getByRole('combobox', { name: 'Project' })
    const subject = dialog.getByRole('textbox', { name: 'Subject' })
    const message = dialog.getByRole('textbox', { name: 'Message' })
    // Sam has several projects: the choice comes first, and so does the focus.
    await expect.poll(() => focused(project)).toBe(true)

    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    const projectError = 'Pick the project this conversation is about.'
    const subjectError = 'Write a subject, e.g. “Tile selection for the master bath”.'
    const messageError = 'Write a message or attach a file.'
    for (const [field, error] of [
      [project, projectError],
      [subject, subjectError],
      [message, messageError],
    ] as const) {
      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
      // Said once, at the field (its description for screen readers), not again at the bottom.
      const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
      const description = await page.evaluate(
        (ids) => ids.map((id: string) => document.getElementById(id)?.textContent ?? '').join(' '),
        describedBy.split(' ').filter(Boolean),
      )
      expect(description).toContain(error)
      expect(await dialog.getByText(error).count()).toBe(1)
    }
    // The focus goes to the first field to fix.
    await expect.poll(() => focused(project)).toBe(true)
    await screenshot(page, 'inbox-new-conversation-errors')

    // Each mistake goes when its field is right, and only that one.
    await subject.fill('Garage door colour')
    await expect.poll(() => dialog.getByText(subjectError).count()).toBe(0)
    expect(await dialog.getByText(projectError).count()).toBe(1)
    expect(await dialog.getByText(messageError).count()).toBe(1)
    await project.click()
    await dialog.getByRole('option', { name: /^Maple/ }).click()
    await expect.poll(() => dialog.getByText(projectError).count()).toBe(0)
    expect(await dialog.getByText(messageError).count()).toBe(1)
    await message.fill('Which colours can the garage door be?')
    await expect.poll(() => dialog.getByText(messageError).count()).toBe(0)

    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    await expect
      .poll(() => page.getByTestId('thread-subject').textContent())
      .toBe('Garage door colour')
    await untilCarlaSees('Garage door colour')
    expect(errors).toEqual([])
  })

  it('from a project’s list the project is chosen, and the focus starts in Subject', async ({
    inbox: { page, errors },
  }) => {
    await page
      .getByRole('navigation', { name: 'Inbox navigation' })
      .getByRole('button', { name: /^Oak Ridge/ })
      .click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Oak/)
    await page.keyboard.press('n')
    const dialog = dialogOf(page)
    await expect
      .poll(() => dialog.getByRole('combobox', { name: 'Project' }).inputValue())
      .toMatch(/^Oak Ridge/)
    await expect.poll(() => focused(dialog.getByRole('textbox', { name: 'Subject' }))).toBe(true)
    await dialog.getByRole('button', { name: 'Keep as draft' }).click()
    expect(errors).toEqual([])
  })

  it('keeps a pasted subject over the limit whole, says so, and keeps it in the draft across a reload', async ({
    inbox: { page, errors },
  }) => {
    await page.keyboard.press('n')
    const dialog = dialogOf(page)
    const subject = dialog.getByRole('textbox', { name: 'Subject' })
    const pasted = 'Kitchen cabinets: '.repeat(15).trim()
    expect(pasted.length).toBeGreaterThan(200)
    await subject.fill(pasted)
    await dialog.getByRole('textbox', { name: 'Message' }).fill('The whole email from the supplier')
    // Nothing cut: the box holds every character, and says the limit in words.
    expect(await subject.inputValue()).toBe(pasted)
    await expect
      .poll(() =>
        dialog
          .getByText(`The subject is ${pasted.length} characters; the limit is 200. Shorten it.`)
          .count(),
      )
      .toBe(1)
    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    await expect.poll(() => subject.getAttribute('aria-invalid')).toBe('true')

    // The draft (subject and message) is saved as typed, over the limit too, and what was typed
    // just before the page went away is in it.
    await page.reload()
    await waitForInbox(page)
    await page.keyboard.press('n')
    const again = dialogOf(page)
    await expect
      .poll(() => again.getByRole('textbox', { name: 'Subject' }).inputValue())
      .toBe(pasted)
    expect(await again.getByRole('textbox', { name: 'Message' }).inputValue()).toBe(
      'The whole email from the supplier',
    )
    expect(errors).toEqual([])
  })
})
