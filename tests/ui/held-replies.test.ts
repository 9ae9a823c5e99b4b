import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect } from 'vitest'
import { InboundMailResult } from '../../src/shared/protocol'
import { screenshot } from '../support/inbox'
import { CARLA, gmailReply, mailWorld, webhook } from '../support/replies-by-email'
import { uiSuite } from '../support/ui-suite'

// Issue 14: a reply by email whose sender fails DMARC waits for staff instead of being posted.
// Sam finds it in the Outbox screen, reads who it claims to be from and what it says, and posts
// it after all, or discards it.

const world = await mailWorld()
afterAll(() => world.close())
const it = uiSuite({ env: world.env })

describe('replies by email held for review', () => {
  it('are listed with who, why and what they say; Post it posts as the customer, Discard drops one', async ({
    stack,
    carla,
    sam,
    dir,
    customerThread,
    openInbox,
  }) => {
    const held: { threadId: string }[] = []
    for (const words of ['Please send the deposit to my new bank account.', 'Gate code is 4411.']) {
      const subject = `Deposit ${randomUUID().slice(0, 6)}`
      const threadId = await customerThread({ subject, body: 'A question about the deposit.' })
      expect(
        (
          await sam.post(`/threads/${threadId}/messages`, {
            clientId: randomUUID(),
            body: 'Noted.',
          })
        ).status,
      ).toBe(201)
      const mail = await world.sink.waitFor(
        (m) => m.envelopeTo.includes(CARLA) && m.subject.endsWith(subject),
      )
      // Unsigned through the webhook: demo.test publishes p=reject, so DMARC fails.
      const res = await webhook(stack.server, await world.rawMail(gmailReply(mail, words)))
      expect(InboundMailResult.parse(res.body).outcome).toBe('held')
      held.push({ threadId })
    }

    const { page, errors } = await openInbox()
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Outbox/ })
      .click()
    const list = page.getByRole('list', { name: 'Held replies' })
    const first = list.getByRole('listitem').filter({ hasText: 'Please send the deposit' })
    await first.waitFor()
    expect(await first.textContent()).toContain(`From ${CARLA} (the address of Carla`)
    expect(await first.textContent()).toMatch(/DMARC fail/)
    await screenshot(page, 'inbox-held-replies')

    await first.getByRole('button', { name: 'Post it' }).click()
    await expect
      .poll(
        async () => {
          const messages = (await sam.get(`/threads/${held[0]!.threadId}/messages`)).body.messages
          return messages.at(-1)
        },
        { timeout: 10_000 },
      )
      .toMatchObject({
        body: 'Please send the deposit to my new bank account.',
        authorId: dir.person(CARLA),
      })
    await expect.poll(() => first.count(), { timeout: 10_000 }).toBe(0)

    const second = list.getByRole('listitem').filter({ hasText: 'Gate code is 4411.' })
    await second.getByRole('button', { name: 'Discard' }).click()
    await expect
      .poll(() => page.getByRole('list', { name: 'Held replies' }).count(), { timeout: 10_000 })
      .toBe(0)
    const messages = (await carla.get(`/threads/${held[1]!.threadId}/messages`)).body.messages
    expect(messages.map((m: { body: string }) => m.body)).not.toContain('Gate code is 4411.')
    expect(errors).toEqual([])
  })
})
