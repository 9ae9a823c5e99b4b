import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { openConversation, screenshot } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Code passed to evaluate runs in the page; this project's types are Node's.
declare const document: any

// Issue 12, "the composer knows the limit": the company's limit on a message's text
// (settings.maxBodyChars, 20,000 in the demo) is counted as the person nears it, and a reply, a
// note or a new conversation over it is refused before anything is queued, in one clear
// sentence, with the text kept. No validation text of a program ever reaches the screen.

const replyBox = (page: Page) => page.getByRole('textbox', { name: /^(Reply|Internal note)/ })
/** Words of a program that a person must never read. */
const programWords = /Too big|expected string|body:|reply:|createThread|<=\d/

/** Text of a given length, in words, as a person might paste it (no space at the end to trim). */
const text = (length: number) =>
  `${'The tile order, room by room. '.repeat(length / 30 + 1).slice(0, length - 1)}.`

const it = uiSuite({}, (base) =>
  base
    .extend(
      'queued',
      { scope: 'file' },
      ({ stack }) =>
        async () =>
          (await stack.engine.api.listOutbox({})).filter((e) => e.kind !== 'read').length,
    )
    .extend('openThread', { scope: 'file' }, ({ customerThread }) =>
      /** Carla asks for the tile order; Sam opens her thread. */
      async (page: Page, subject: string) => {
        await customerThread({ subject, body: 'Can you send the whole tile order?' })
        await openConversation(page, subject)
      },
    ),
)

describe('the composer knows the limit', () => {
  it('a reply: counted near the limit, refused over it with the text kept, far over it too', async ({
    stack,
    queued,
    openThread,
    openInbox,
  }) => {
    const settings = await stack.engine.api.getSettings({})
    expect(settings?.maxBodyChars).toBe(20_000)
    const { page, errors } = await openInbox()
    await openThread(page, 'The whole tile order')
    const send = page.getByRole('button', { name: 'Send', exact: true })

    // Nearing the limit, the count shows under the box; the reply may still go.
    await replyBox(page).fill(text(17_000))
    await expect.poll(() => page.getByText('17,000 of 20,000 characters').count()).toBe(1)
    expect(await send.isEnabled()).toBe(true)

    // Over it: the sentence at the box, nothing queued by the button or by Ctrl+Enter.
    const before = await queued()
    await replyBox(page).fill(text(30_000))
    const refusal =
      'The message is 30,000 characters; the limit is 20,000. Split it, or attach it as a document.'
    await expect.poll(() => page.getByText(refusal).count()).toBe(1)
    expect(await send.isEnabled()).toBe(false)
    await replyBox(page).press('Control+Enter')
    expect(await queued()).toBe(before)
    expect((await replyBox(page).inputValue()).length).toBe(30_000)
    await screenshot(page, 'inbox-reply-over-limit')

    // Far over what Portal Inbox sends at all (a 200,000-character paste): the same kind of
    // sentence, never a program's.
    await replyBox(page).fill(text(200_000))
    await expect
      .poll(() =>
        page
          .getByText(
            'The message is 200,000 characters; the limit is 20,000. Split it, or attach it as a document.',
          )
          .count(),
      )
      .toBe(1)
    await replyBox(page).press('Control+Enter')
    expect(await queued()).toBe(before)
    expect((await replyBox(page).inputValue()).length).toBe(200_000)
    expect(await page.textContent('body')).not.toMatch(programWords)

    // Beyond what the engine keeps as a draft (a million characters): the box says the draft is
    // not kept, instead of letting it look safe; a draft it keeps again takes the warning away.
    const notKept = /This draft could not be kept on this computer/
    await replyBox(page).fill(text(1_100_000))
    await expect.poll(() => page.getByText(notKept).count(), { timeout: 10_000 }).toBe(1)
    expect(await page.textContent('body')).not.toMatch(programWords)
    await replyBox(page).fill(text(200_000))
    await expect.poll(() => page.getByText(notKept).count(), { timeout: 10_000 }).toBe(0)

    // An internal note has the same limit.
    await page.getByRole('switch', { name: 'Internal note' }).check()
    await replyBox(page).fill(text(25_000))
    await expect
      .poll(() =>
        page.getByText(/^The message is 25,000 characters; the limit is 20,000\./).count(),
      )
      .toBe(1)
    expect(await page.getByRole('button', { name: 'Add note' }).isEnabled()).toBe(false)

    // Shortened, it goes.
    await replyBox(page).fill('The tile order is attached as a document.')
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect
      .poll(() => page.getByRole('article', { name: /^Internal note from Sam/ }).count())
      .toBe(1)
    expect(errors).toEqual([])
  })

  it('the engine refuses over the limit before queueing, in words, whatever the page does', async ({
    stack,
    dir,
    queued,
  }) => {
    const { threads } = await stack.engine.api.listThreads({ view: 'all' })
    const threadId = threads[0]!.id
    const before = await queued()
    await expect(stack.engine.api.reply({ threadId, body: text(30_000) })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message:
        'The message is 30,000 characters; the limit is 20,000. Split it, or attach it as a document.',
    })
    await expect(stack.engine.api.reply({ threadId, body: text(200_000) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'The message is 200,000 characters; Portal Inbox sends at most 100,000. Split it, or attach it as a document.',
    })
    await expect(
      stack.engine.api.createThread({
        projectId: dir.project('Maple'),
        subject: 'Too long to start',
        body: text(20_001),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(await queued()).toBe(before)
  })

  it('a new conversation over the limit is refused at its message, with everything kept', async ({
    inbox: { page, errors },
    queued,
  }) => {
    await page.keyboard.press('n')
    const dialog = page.getByRole('dialog', { name: 'New conversation' })
    await dialog.getByRole('combobox', { name: 'Project' }).click()
    await dialog.getByRole('option', { name: /^Maple/ }).click()
    await dialog.getByLabel(/^Subject/).fill('The whole specification')
    await dialog.getByLabel(/^Message/).fill(text(30_000))
    await expect
      .poll(() =>
        dialog.getByText(/^The message is 30,000 characters; the limit is 20,000\./).count(),
      )
      .toBe(1)
    const before = await queued()
    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    // The message box takes the focus, so the person starts shortening where the problem is.
    await expect
      .poll(() => dialog.getByLabel(/^Message/).evaluate((el) => el === document.activeElement))
      .toBe(true)
    expect(await queued()).toBe(before)
    expect(await dialog.getByLabel(/^Subject/).inputValue()).toBe('The whole specification')
    expect((await dialog.getByLabel(/^Message/).inputValue()).length).toBe(30_000)
    expect(await page.textContent('body')).not.toMatch(programWords)
    // Kept as a draft, it is still there when the form opens again.
    await dialog.getByRole('button', { name: 'Keep as draft' }).click()
    await page.keyboard.press('n')
    await expect
      .poll(async () => (await dialog.getByLabel(/^Message/).inputValue()).length, {
        timeout: 5000,
      })
      .toBe(30_000)
    await dialog.getByLabel(/^Message/).fill('')
    await dialog.getByLabel(/^Subject/).fill('')
    await dialog.getByRole('button', { name: 'Keep as draft' }).click()
    expect(errors).toEqual([])
  })
})
