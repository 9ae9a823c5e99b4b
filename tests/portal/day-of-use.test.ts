import { randomUUID } from 'node:crypto'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PORTAL_DIST } from '../../server/src/app'
import { demoPng } from '../../server/src/demo/seed'
import { AttachmentUpload, ThreadWithMessage } from '../../src/shared/protocol'
import { newContext } from '../support/browser'
import { OUTSIDE_BUSINESS_HOURS, testClockAt } from '../support/clock'
import { serverForFile } from '../support/file-server'
import { browserForFile, requireBuilt } from '../support/file-hooks'

/**
 * The customer portal as a homeowner meets it on the first day (issue 12): a long paste, what
 * sending confirms, a link from an email while signed out, where a thread opens, the words when
 * messages are paused, the office phone, being offline, a phone-sized screen, the reader's own
 * clock, and pictures. The server runs on a Saturday night, so the demo company's auto-reply
 * (outside business hours) answers.
 */

const clock = testClockAt(OUTSIDE_BUSINESS_HOURS)
const portal = serverForFile({
  people: { admin: 'admin@demo.test', sam: 'staff@demo.test', carla: 'customer@demo.test' },
  clock,
  before: () => requireBuilt(PORTAL_DIST, 'portal page'),
})
const browser = browserForFile()
const PHONE = '(555) 010-4477'

interface Opened {
  page: Page
  context: BrowserContext
  errors: string[]
}

async function open(
  url = '/portal/',
  options: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<Opened> {
  const context = await newContext(
    browser(),
    { viewport: options.viewport ?? { width: 1280, height: 720 }, locale: options.locale },
    clock,
  )
  context.setDefaultTimeout(8_000)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${portal.server.url}${url}`)
  return { page, context, errors }
}

async function signInOnPage(page: Page, email = 'customer@demo.test') {
  await page.getByLabel(/^Email/).fill(email)
  await page.getByLabel(/^Password/).fill('portal-demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function signedIn(url = '/portal/', options: Parameters<typeof open>[1] = {}) {
  const opened = await open(url, options)
  await signInOnPage(opened.page)
  await opened.page.getByRole('navigation', { name: 'Portal' }).waitFor({ state: 'attached' })
  return opened
}

async function startThread(subject: string, body: string) {
  const res = await portal.carla.post('/threads', {
    clientId: randomUUID(),
    projectId: portal.dir.project('Maple'),
    subject,
    body,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return ThreadWithMessage.parse(res.body).thread
}

describe('writing', () => {
  it('a paste past the limit is kept whole, said with its count, and can go as a file instead', async () => {
    const { page, context, errors } = await signedIn('/portal/new')
    await page.getByLabel('Subject').fill('Full inspection report')
    // 25,000 characters, ending mid-word if anything cut it.
    const text = `${'The inspector noted the following items. '.repeat(600)}unfinishedword`
    const box = page.getByLabel('Message', { exact: true })
    await box.fill(text)
    expect((await box.inputValue()).length).toBe(text.length)
    await page.getByText(`${text.length.toLocaleString('en-US')} of 20,000 characters`).waitFor()
    await page
      .getByText(/the limit is 20,000\. Split it, or attach it as a document\./)
      .first()
      .waitFor()
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true)

    await page.getByRole('button', { name: 'Send the text as a file instead' }).click()
    await page.getByText(/^message\.txt \(/).waitFor()
    expect(await box.inputValue()).toBe('')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Message sent' }).waitFor()
    await page.getByRole('link', { name: 'message.txt' }).waitFor()
    // The file holds every character.
    const href = await page.getByRole('link', { name: 'message.txt' }).getAttribute('href')
    const file = await page.evaluate(async (url) => (await fetch(url!)).text(), href)
    expect(file).toBe(text)
    expect(errors).toEqual([])
    await context.close()
  })

  it('after sending, the thread shows the message with its urgent mark, the expected response time and the auto-reply', async () => {
    const { page, context } = await signedIn('/portal/new')
    const subject = `Water heater ${randomUUID().slice(0, 6)}`
    await page.getByLabel('Subject').fill(subject)
    await page
      .getByLabel('Message', { exact: true })
      .fill('The water heater is making a banging noise.')
    await page.getByRole('checkbox', { name: 'Urgent' }).check()
    await page.getByRole('button', { name: 'Send', exact: true }).click()

    const note = page.getByRole('status').filter({ hasText: 'Message sent' })
    await note.waitFor()
    await page.getByRole('heading', { level: 1, name: subject }).waitFor()
    const text = await note.textContent()
    expect(text).toContain('It is marked urgent')
    expect(text).toContain(`please call us at ${PHONE}`)
    expect(text).toContain('We reply within one business day.')
    expect(text).toContain(
      'Automatic reply: Thanks for your message! Our office hours are Monday to Friday',
    )
    const message = page.getByRole('article').last()
    expect(await message.textContent()).toContain('banging noise')
    await message.getByText('Urgent', { exact: true }).waitFor()

    // A reply says it too, and may be urgent.
    await page.getByLabel('Your reply').fill('It just stopped, never mind the urgency.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await page.getByRole('status').filter({ hasText: 'Reply sent' }).waitFor()
    await context.close()
  })
})

describe('arriving', () => {
  it('a link from an email opened while signed out lands on that conversation after sign-in', async () => {
    const thread = await startThread('Tile delivery day', 'When does the tile arrive?')
    const { page, context } = await open(`/portal/threads/${thread.id}`)
    await signInOnPage(page)
    await page.getByRole('heading', { level: 1, name: 'Tile delivery day' }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/portal/threads/${thread.id}`)
    await context.close()
  })

  it('a thread opens at the first unread message, and at the newest when all are read', async () => {
    const thread = await startThread('Long schedule thread', 'Here is my first question.')
    for (let i = 1; i <= 12; i++)
      await portal.carla.post(`/threads/${thread.id}/messages`, {
        clientId: randomUUID(),
        body: `Customer note ${i}.\n${'More detail. '.repeat(40)}`,
      })
    const all = await portal.carla.get(`/threads/${thread.id}/messages?limit=100`)
    await portal.carla.post('/reads', {
      messageIds: all.body.messages.map((m: { id: string }) => m.id),
    })
    const firstNew = ThreadWithMessage.parse(
      (
        await portal.sam.post(`/threads/${thread.id}/messages`, {
          clientId: randomUUID(),
          body: 'First answer from the office: framing is Monday.',
        })
      ).body,
    ).message
    for (let i = 1; i <= 3; i++)
      await portal.sam.post(`/threads/${thread.id}/messages`, {
        clientId: randomUUID(),
        body: `Office follow-up ${i}.\n${'Details. '.repeat(40)}`,
      })

    const { page, context } = await signedIn(`/portal/threads/${thread.id}`)
    const firstUnread = page.locator(`[data-message-id="${firstNew.id}"]`)
    await expect
      .poll(() => firstUnread.evaluate((el) => el.getBoundingClientRect().top))
      .toBeLessThan(300)
    expect(
      await firstUnread.evaluate((el) => el.getBoundingClientRect().top),
    ).toBeGreaterThanOrEqual(-1)

    // Read now: opened again, it shows the newest message.
    await expect
      .poll(async () => (await portal.carla.get(`/threads/${thread.id}`)).body.unreadCount)
      .toBe(0)
    await page.reload()
    const newest = page.getByRole('article').last()
    await newest.waitFor()
    await expect
      .poll(() =>
        newest.evaluate(
          (el) =>
            el.getBoundingClientRect().bottom <= el.ownerDocument.documentElement.clientHeight + 1,
        ),
      )
      .toBe(true)
    await context.close()
  })
})

describe("a staff member's link from an email", () => {
  it('opens a page that offers the desktop app and the thread in the browser, where a staff sign-in reads it with its internal note marked', async () => {
    const threads = (await portal.sam.get('/threads?limit=100')).body.threads as {
      id: string
      subject: string
    }[]
    const leak = threads.find((t) => t.subject.includes('basement'))!
    const { page, context, errors } = await open(`/portal/open/${leak.id}`)
    await page.getByRole('heading', { name: 'Opening the conversation in Portal Inbox' }).waitFor()
    expect(
      await page.getByRole('link', { name: 'Open in Portal Inbox' }).getAttribute('href'),
    ).toBe(`portal-inbox://thread/${leak.id}`)
    await page.getByRole('link', { name: 'Read it in the browser' }).click()
    await page.getByLabel(/^Email/).fill('staff@demo.test')
    await page.getByLabel(/^Password/).fill('portal-demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: leak.subject }).waitFor()
    await page.getByText('Internal note (staff only)').first().waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('says so when the link is not complete', async () => {
    const { page, context } = await open('/portal/open/not-a-thread')
    await page.getByRole('alert').filter({ hasText: 'This link is not complete' }).waitFor()
    await context.close()
  })
})

describe('words a homeowner understands', () => {
  it('an address the browser takes but mail cannot reach is refused in plain words, before sending', async () => {
    const { page, context, errors } = await open('/portal/')
    // "a@b" passes the browser's type="email" check; the shared schema refuses it.
    await page.getByLabel(/^Email/).fill('carla@gmail')
    await page.getByLabel(/^Password/).fill('portal-demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Enter your email address in full, like name@example.com.').waitFor()
    expect(await page.getByText(/Invalid email/i).count()).toBe(0)
    await page.goto(`${portal.server.url}/portal/forgot-password`)
    await page.getByLabel(/^Email/).fill('carla@gmail')
    await page.getByRole('button', { name: /send/i }).click()
    await page.getByText('Enter your email address in full, like name@example.com.').waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('messages paused: says so plainly, gives the phone, and the conversations can still be read', async () => {
    const thread = await startThread('Paused check', 'Can I still read this?')
    await portal.admin.patch('/admin/settings', { messagesEnabled: false })
    try {
      const { page, context } = await signedIn(`/portal/threads/${thread.id}`)
      await page.getByRole('heading', { level: 1, name: 'Paused check' }).waitFor()
      const status = page.getByRole('status').filter({ hasText: 'paused messages' })
      await status.waitFor()
      const text = await status.textContent()
      expect(text).toContain('You can still read your conversations.')
      expect(text).toContain(`call us at ${PHONE}`)
      expect(text).not.toMatch(/company settings|Messages on/)
      expect(await page.getByRole('article').first().textContent()).toContain(
        'Can I still read this?',
      )
      await context.close()
    } finally {
      await portal.admin.patch('/admin/settings', { messagesEnabled: true })
    }
  })

  it('the office phone and hours set by the admin appear wherever the portal says to call', async () => {
    await portal.admin.patch('/admin/settings', {
      contactPhone: '(555) 777-1234',
      officeHours: 'weekdays 7–4',
    })
    try {
      const { page, context } = await signedIn('/portal/new')
      await page
        .getByText(
          'For emergencies (a leak, no heat, a safety risk) please call us at (555) 777-1234 (weekdays 7–4) directly',
        )
        .waitFor()
      await page
        .getByText('For urgent matters, please call us at (555) 777-1234 (weekdays 7–4).')
        .waitFor()
      await context.close()
    } finally {
      await portal.admin.patch('/admin/settings', {
        contactPhone: PHONE,
        officeHours: 'Mon–Fri 8am–5pm',
      })
    }
  })
})

describe('where and how', () => {
  it('says when the portal cannot be reached, and stops saying it when it can', async () => {
    const { page, context } = await signedIn()
    await page.getByTestId('messages-widget').waitFor()
    await context.setOffline(true)
    await page.getByRole('status').filter({ hasText: 'You’re offline' }).waitFor()
    await context.setOffline(false)
    await expect.poll(() => page.getByText('You’re offline').count(), { timeout: 15_000 }).toBe(0)
    await context.close()
  })

  it('on a phone: subjects get the width (short dates) and the unread count stays in sight', async () => {
    await startThread('A subject long enough to need most of a phone screen', 'Hello')
    await portal.sam.post('/threads', {
      clientId: randomUUID(),
      projectId: portal.dir.project('Maple'),
      subject: 'Unread from the office',
      body: 'Please confirm the cabinet colour.',
    })
    const { page, context } = await signedIn('/portal/threads', {
      viewport: { width: 390, height: 844 },
    })
    const row = page.getByRole('link', { name: /A subject long enough/ }).first()
    await row.waitFor()
    const subject = row.getByText('A subject long enough', { exact: false }).first()
    const [rowBox, subjectBox] = [await row.boundingBox(), await subject.boundingBox()]
    expect(subjectBox!.width).toBeGreaterThan(rowBox!.width * 0.6)
    expect(await row.locator('time').textContent()).not.toMatch(/\d{4}/)
    const badge = page.getByRole('link', { name: /unread: open the conversations/ })
    await badge.waitFor()
    expect(await badge.isVisible()).toBe(true)
    await context.close()
  })

  it("follows the reader's clock: 24-hour where the browser says so, 12-hour in the US", async () => {
    const thread = await startThread('Clock check', 'What time is it?')
    const times: string[] = []
    for (const locale of ['de-DE', 'en-US']) {
      const { page, context } = await signedIn(`/portal/threads/${thread.id}`, { locale })
      times.push((await page.getByRole('article').first().locator('time').textContent()) ?? '')
      await context.close()
    }
    expect(times[0]).not.toMatch(/AM|PM/)
    expect(times[1]).toMatch(/AM|PM/)
  })

  it('pictures show as thumbnails that open the full picture', async () => {
    const upload = await portal.carla.upload(
      portal.dir.project('Maple'),
      'backsplash.png',
      demoPng([200, 120, 80]),
    )
    const file = AttachmentUpload.parse(upload.body).attachment
    const thread = await startThread('Backsplash photo', 'See the photo.')
    await portal.carla.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'Here it is.',
      attachmentIds: [file.id],
    })
    const { page, context } = await signedIn(`/portal/threads/${thread.id}`)
    const img = page.getByRole('img', { name: 'backsplash.png' })
    await img.waitFor()
    await expect
      .poll(() => img.evaluate((el) => (el as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0)
    expect(
      await page
        .getByRole('link', { name: /backsplash\.png .*open the full picture/ })
        .getAttribute('href'),
    ).toBe(`/api/v1/attachments/${file.id}`)
    await context.close()
  })
})
