import AxeBuilder from '@axe-core/playwright'
import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Api, demoDirectory, signIn } from '../support/api'
import { emlMails } from '../support/mail'
import {
  cutOff,
  screenshot,
  startInboxStack,
  waitForInbox,
  type InboxStack,
} from '../support/inbox'
import { FaultProxy } from '../support/proxy'
import { startServer, type RunningServer } from '../support/server'

/** Carla starts a thread on the server; the inbox opens it. */
async function customerThreadOpen(stack: InboxStack, subject: string, body: string) {
  const carla = await signIn(stack.server.url, 'customer@demo.test')
  const dir = await demoDirectory(await signIn(stack.server.url, 'admin@demo.test'))
  const created = await carla.post('/threads', {
    clientId: uuidv7(),
    projectId: dir.project('Maple'),
    subject,
    body,
  })
  const threadId = created.body.thread.id as string
  const opened = await stack.open()
  await waitForInbox(opened.page)
  const row = opened.page
    .getByRole('list', { name: /conversations$/ })
    .getByRole('listitem')
    .filter({ hasText: subject })
  await expect.poll(() => row.count()).toBe(1)
  await row.getByRole('button').first().click()
  return { carla, threadId, ...opened }
}

describe('sign-in', () => {
  let stack: InboxStack
  beforeAll(async () => {
    stack = await startInboxStack({ email: null })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('a hold after failed sign-ins points at “Forgot password?”, which mails a link that lets the person in', async () => {
    const { page, errors, close } = await stack.open()
    // Someone at this address got Tess's password wrong eight times (the browser, the engine
    // and this test all reach the server from 127.0.0.1).
    const open = new Api(stack.server.url)
    for (let i = 0; i < 8; i++)
      expect(
        (await open.post('/auth/sign-in', { email: 'staff2@demo.test', password: `wrong-${i}` }))
          .status,
      ).toBe(401)

    await page.getByLabel(/^Server address/).fill(stack.server.url)
    await page.getByLabel(/^Email/).fill('staff2@demo.test')
    await page.getByLabel(/^Password/).fill('portal-demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(
        /Too many failed sign-ins from here\. Wait \d+ minutes?, or choose “Forgot password\?” to get a reset link by email\./,
      )

    await page.getByRole('button', { name: 'Forgot password?' }).click()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/^Check your email.*If that address has an account, we’ve sent it a link/)
    const mail = await stack.engine.until(
      async () => (await emlMails(stack.server.dataDir, 'password-reset'))[0],
      'the reset mail written to the data directory',
    )
    expect(mail.to).toEqual(['staff2@demo.test'])
    const token = new URL(mail.text.match(/https?:\/\/\S+token=\S+/)?.[0] ?? '').searchParams.get(
      'token',
    )
    // The link opens the portal's set-password page (its own test); here its request.
    const set = await open.post('/auth/set-password', { token, password: 'tess-new-password' })
    expect(set.status, JSON.stringify(set.body)).toBe(200)

    await page.getByLabel(/^Password/).fill('tess-new-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await waitForInbox(page)
    expect((await stack.engine.api.getConnection({})).user?.email).toBe('staff2@demo.test')
    expect(errors).toEqual([])
    await close()
    // The next case starts from the sign-in screen.
    await stack.engine.api.signOut({})
  })

  it('says what to fix, then signs in and runs the first sync', async () => {
    const { page, errors, close } = await stack.open()
    await page.getByLabel(/^Server address/).fill(stack.server.url)
    const axe = await new AxeBuilder({ page }).analyze()
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
    ).toEqual([])
    await page.getByLabel(/^Email/).fill('not-an-email')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Enter your email address/)
    await page.getByLabel(/^Email/).fill('staff@demo.test')
    await page.getByLabel(/^Password/).fill('wrong password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i)
    await page.getByLabel(/^Server address/).fill('http://127.0.0.1:9')
    await page.getByLabel(/^Password/).fill('portal-demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toMatch(/does not answer/)
    await page.getByLabel(/^Server address/).fill(stack.server.url)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await waitForInbox(page)
    expect((await stack.engine.api.getConnection({})).user?.email).toBe('staff@demo.test')
    expect(errors).toEqual([])
    await close()
  })
})

describe('offline', () => {
  let stack: InboxStack

  beforeAll(async () => {
    stack = await startInboxStack()
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('server stopped, a reply written, the server restarted: the reply is delivered once', async () => {
    const { server } = stack
    const { carla, threadId, page, errors, close } = await customerThreadOpen(
      stack,
      'Offline reply check',
      'Will the reply arrive?',
    )

    // The server goes away: the banner says so and the indicator turns offline.
    const port = Number(new URL(server.url).port)
    await server.stop()
    await expect
      .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), {
        timeout: 15_000,
      })
      .toMatch(/offline|server-error/)
    await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(1)

    await page.getByRole('textbox', { name: 'Reply' }).fill('Written while the server was down')
    // A file picked offline is staged on this computer and uploads when the reply goes.
    await page.locator('section[aria-label="Reply"] input[type=file]').setInputFiles({
      name: 'offline-notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('notes from the site'),
    })
    await expect
      .poll(() => page.getByRole('list', { name: 'Files to send' }).textContent())
      .toContain('offline-notes.txt')
    await page.keyboard.press('Control+Enter')
    const pending = page
      .getByRole('article')
      .filter({ hasText: 'Written while the server was down' })
    await expect.poll(() => pending.getAttribute('data-pending')).toBe('true')
    await expect.poll(() => pending.getByTestId('pending-note').textContent()).toMatch(/outbox/)
    await expect.poll(() => pending.textContent()).toContain('Uploads when the message is sent')
    // The outbox lists it, linked from the message.
    await pending.getByRole('button', { name: 'Open outbox' }).click()
    const outbox = page.getByRole('list', { name: 'Outbox' })
    await expect.poll(() => outbox.textContent()).toMatch(/Offline reply check/)
    await screenshot(page, 'inbox-offline-outbox')

    // Back on the same port with the same data: the engine reconnects and sends it once.
    const again = await startServer({ dataDir: server.dataDir, port })
    try {
      await stack.engine.until(
        async () => (await stack.engine.api.listOutbox({})).length === 0,
        'the outbox to drain',
        30_000,
      )
      const messages = (await carla.get(`/threads/${threadId}/messages`)).body.messages as {
        body: string
        attachments: { name: string }[]
      }[]
      const delivered = messages.filter((m) => m.body === 'Written while the server was down')
      expect(delivered).toHaveLength(1)
      expect(delivered[0]!.attachments.map((a) => a.name)).toEqual(['offline-notes.txt'])
      await expect
        .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), {
          timeout: 15_000,
        })
        .toBe('online')
      await expect.poll(() => outbox.getByRole('listitem').count()).toBe(0)
      expect(
        errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)),
      ).toEqual([])
    } finally {
      await close()
      await again.stop()
    }
  })
})

describe('outbox: a held reply', () => {
  let server: RunningServer
  let proxy: FaultProxy
  let stack: InboxStack

  beforeAll(async () => {
    server = await startServer()
    proxy = await new FaultProxy({
      host: '127.0.0.1',
      port: Number(new URL(server.url).port),
    }).start()
    stack = await startInboxStack({ server, serverUrl: proxy.url })
  })
  afterAll(async () => {
    await stack?.close()
    await proxy?.stop()
    await server?.stop()
  })

  it('is held when the customer wrote after it; the outbox says why, and Edit sends the new text once', async () => {
    const { carla, threadId, page, errors, close } = await customerThreadOpen(
      stack,
      'Held reply check',
      'Can you come Monday?',
    )

    // Cut off from the server (it stays up): the reply waits while Carla writes again.
    await cutOff(stack, proxy, page)
    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes, Monday works.')
    await page.keyboard.press('Control+Enter')
    await carla.post(`/threads/${threadId}/messages`, {
      clientId: uuidv7(),
      body: 'Actually Monday is bad. Tuesday?',
    })
    proxy.set('pass')

    // Back online, the engine sees Carla's message first and holds the reply.
    await page
      .getByRole('navigation', { name: 'Inbox navigation' })
      .getByRole('button', { name: /^Outbox/ })
      .click()
    const entry = page
      .getByRole('list', { name: 'Outbox' })
      .getByRole('listitem')
      .filter({ hasText: 'Held reply check' })
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 15_000 }).toBe('held')
    await expect
      .poll(() => entry.textContent())
      .toMatch(/1 new customer message arrived after you wrote this reply/)
    await screenshot(page, 'inbox-outbox-held')
    const messages = async () =>
      ((await carla.get(`/threads/${threadId}/messages`)).body.messages as { body: string }[]).map(
        (m) => m.body,
      )
    expect(await messages()).not.toContain('Yes, Monday works.')

    await entry.getByRole('button', { name: 'Edit' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit before sending' })
    await expect
      .poll(() => dialog.getByRole('textbox', { name: 'Message' }).inputValue())
      .toBe('Yes, Monday works.')
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Tuesday works too, see you then.')
    await dialog.getByRole('button', { name: 'Save and send' }).click()
    await stack.engine.until(
      async () => (await stack.engine.api.listOutbox({})).length === 0,
      'the outbox to drain',
      15_000,
    )
    const bodies = await messages()
    expect(bodies.filter((b) => b === 'Tuesday works too, see you then.')).toHaveLength(1)
    expect(bodies).not.toContain('Yes, Monday works.')
    expect(
      errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)),
    ).toEqual([])
    await close()
  })
})
