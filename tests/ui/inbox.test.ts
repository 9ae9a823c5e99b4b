import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { conversationRow, screenshot, waitForInbox } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Code passed to page.evaluate runs in the page; this project's types are Node's.
declare const window: any
declare const DataTransfer: any

// The staff inbox in Chromium, through the headless host, against the real portal server and the
// real engine. Sam (staff@demo.test) is signed in; customers write through the server's API.

const list = (page: Page) => page.getByRole('list', { name: /conversations$/ })
const row = conversationRow
const nav = (page: Page) => page.getByRole('navigation', { name: 'Inbox navigation' })

async function openThread(page: Page, subject: string | RegExp) {
  await row(page, subject).getByRole('button').first().click()
  await expect.poll(() => page.getByTestId('thread-subject').textContent()).toMatch(subject)
}

// The script-payload case seeds 54 threads with files as one customer within seconds, faster
// than a person's write limit allows; the limits have their own suites (tests/server/limits-*).
const it = uiSuite({ env: { PORTAL_WRITE_LIMITS: 'off' }, page: {} })

describe('inbox', () => {
  it('lists threads newest first with unread, urgent, waiting and views with counts', async ({
    stack,
    dir,
    inbox: { page, errors },
  }) => {
    const rows = list(page).getByRole('listitem')
    const texts = await rows.allTextContents()
    expect(texts.length).toBeGreaterThan(3)
    // Newest first: the engine's order, which the list shows as it is.
    const engineOrder = (await stack.engine.api.listThreads({ view: 'all' })).threads.map(
      (t) => t.subject,
    )
    expect(texts.map((t) => engineOrder.findIndex((s) => t.includes(s)))).toEqual(
      engineOrder.slice(0, texts.length).map((_, i) => i),
    )
    // The urgent demo thread shows its badge, unread marks and the waiting time.
    const urgent = row(page, 'Water coming through')
    await expect.poll(() => urgent.textContent()).toMatch(/Urgent/)
    await expect.poll(() => urgent.textContent()).toMatch(/Waiting/)
    await expect.poll(() => urgent.locator('[data-unread]').count()).toBeGreaterThan(0)
    // Views with counts equal to the engine's.
    const counts = await stack.engine.api.viewCounts({})
    await expect
      .poll(() =>
        nav(page)
          .getByRole('button', { name: /^Unread/ })
          .textContent(),
      )
      .toContain(String(counts.views.unread))
    await nav(page)
      .getByRole('button', { name: /^Urgent/ })
      .click()
    await expect.poll(() => list(page).getByRole('listitem').count()).toBe(counts.views.urgent)
    await nav(page)
      .getByRole('button', { name: /^Oak Ridge/ })
      .click()
    await expect
      .poll(() => page.getByTestId('view-total').textContent())
      .toContain(`${counts.projects[dir.project('Oak')]} conversation`)
    await screenshot(page, 'inbox')
    expect(errors).toEqual([])
  })

  it('a customer message posted through the API appears without a reload; an urgent one raises a notification', async ({
    customerThread,
    inbox: { page, errors },
  }) => {
    await customerThread({
      subject: 'Question about the garage door colour',
      body: 'Which colours can we pick?',
    })
    await expect.poll(() => row(page, 'garage door colour').count(), { timeout: 10_000 }).toBe(1)
    await customerThread({
      subject: 'Basement flooding after the storm',
      body: 'Water is everywhere, please come now!',
      urgent: true,
    })
    const alert = page
      .locator('.mantine-Notification-root')
      .filter({ hasText: 'Basement flooding' })
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => alert.textContent()).toMatch(/Urgent/)
    // Clicking the notification opens the thread.
    await alert.click()
    await expect
      .poll(() => page.getByTestId('thread-subject').textContent())
      .toBe('Basement flooding after the storm')
    expect(errors).toEqual([])
  })

  it('keyboard: j/k move, Enter opens, ? lists every shortcut', async ({
    stack,
    inbox: { page, errors },
  }) => {
    const engineOrder = (await stack.engine.api.listThreads({ view: 'all' })).threads
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('k')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('thread-subject').textContent())
      .toBe(engineOrder[1]!.subject)
    await page.keyboard.press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    for (const what of [
      'Next conversation',
      'Reply',
      'Assign',
      'Snooze',
      'Mark unread',
      'Search',
      'Quick search',
    ])
      await expect.poll(() => sheet.textContent()).toContain(what)
    await page.keyboard.press('Escape')
    expect(errors).toEqual([])
  })
})

describe('thread', () => {
  it('shows the history with roles, internal notes apart, safe links, and marks messages read as they are seen', async ({
    stack,
    carla,
    customerThread,
    openInbox,
  }) => {
    const threadId = await customerThread({
      subject: 'Link to the tile catalogue',
      body: 'Here it is: https://example.com/tiles?id=7 and javascript:alert(1) stays text',
    })
    const { page, errors } = await openInbox()
    await expect.poll(() => row(page, 'tile catalogue').count()).toBe(1)
    expect((await stack.engine.api.openThread({ threadId })).thread.unreadCount).toBe(1)
    await openThread(page, 'Link to the tile catalogue')
    const message = page
      .getByRole('article')
      .filter({ hasText: 'tile catalogue' })
      .or(page.getByRole('article').filter({ hasText: 'Here it is' }))
    await expect.poll(() => message.first().textContent()).toMatch(/Carla .*Customer/)
    const link = message.first().getByRole('link')
    expect(await link.count()).toBe(1)
    expect(await link.getAttribute('href')).toBe('https://example.com/tiles?id=7')
    expect(await link.getAttribute('target')).toBe('_blank')
    // Read on sight: the engine and the server agree.
    await stack.engine.until(
      async () => (await stack.engine.api.openThread({ threadId })).thread.unreadCount === 0,
      'the message to be marked read',
    )
    // An internal note is set apart.
    await page.getByRole('switch', { name: 'Internal note' }).check()
    await page.getByRole('textbox', { name: /^Internal note/ }).fill('Check the tile budget first')
    await page.getByRole('button', { name: 'Add note' }).click()
    const note = page.getByRole('article', { name: /^Internal note from Sam/ })
    await expect.poll(() => note.count()).toBe(1)
    await expect.poll(() => note.textContent()).toContain('Internal note')
    // Carla reads the thread: the receipt shows under Sam's latest message she has seen.
    await page.getByRole('switch', { name: 'Internal note' }).uncheck()
    await page.getByRole('textbox', { name: 'Reply' }).fill('Thanks, we will look at it today.')
    await page.keyboard.press('Control+Enter')
    // Shown at once, pending until the server has it.
    const reply = page.getByRole('article').filter({ hasText: 'Thanks, we will look at it today.' })
    await expect.poll(() => reply.count()).toBe(1)
    await expect.poll(() => reply.getAttribute('data-pending'), { timeout: 10_000 }).toBeNull()
    expect((await carla.post(`/threads/${threadId}/read`)).status).toBe(200)
    await expect
      .poll(() => page.getByTestId('read-receipt').last().textContent(), { timeout: 10_000 })
      .toMatch(/Seen by Carla/)
    expect(errors).toEqual([])
  })

  it('manages participants: adds a team member', async ({
    stack,
    admin,
    dir,
    openCustomerThread,
  }) => {
    const { threadId, page } = await openCustomerThread({
      subject: 'Fence permit',
      body: 'Do we need a permit for the fence?',
    })
    await page.getByRole('button', { name: /^Participants/ }).click()
    const drawer = page.getByRole('dialog', { name: 'Participants' })
    await drawer.getByRole('combobox', { name: 'Add someone' }).click()
    await drawer.getByRole('option', { name: /Tess/ }).click()
    await drawer.getByRole('button', { name: 'Add to the conversation' }).click()
    await expect
      .poll(() => drawer.getByRole('list', { name: 'Participants' }).textContent())
      .toContain('Tess')
    await stack.engine.until(
      async () =>
        (await admin.get(`/threads/${threadId}`)).body.participantIds?.includes(
          dir.person('staff2@demo.test'),
        ),
      'Tess to be a participant on the server',
    )
  })
})

describe("the person's clock", () => {
  it('times follow the browser language: 24-hour in German, 12-hour in US English', async ({
    customerThread,
    openInbox,
  }) => {
    const threadId = await customerThread({
      subject: 'Clock words',
      body: 'What time does the crew arrive?',
    })
    const times: string[] = []
    for (const locale of ['de-DE', 'en-US']) {
      const { page, close } = await openInbox({ locale })
      await openThread(page, 'Clock words')
      const message = page.getByRole('article').filter({ hasText: 'What time does the crew' })
      times.push((await message.first().getAttribute('aria-label')) ?? '')
      await close()
    }
    expect(threadId).toBeTruthy()
    expect(times[0]).toMatch(/\d{1,2}:\d{2}$/)
    expect(times[0]).not.toMatch(/AM|PM/)
    expect(times[1]).toMatch(/\d{1,2}:\d{2}\s?(AM|PM)$/)
  })
})

describe('composer', () => {
  it('replies with Ctrl+Enter and keeps a draft per thread across a reload', async ({
    stack,
    openCustomerThread,
  }) => {
    const { page } = await openCustomerThread({
      subject: 'Draft keeping',
      body: 'Is the draft kept?',
    })
    await page.getByRole('textbox', { name: 'Reply' }).fill('Half-written answer about drafts')
    await page.waitForTimeout(800)
    await page.reload()
    await waitForInbox(page)
    await openThread(page, 'Draft keeping')
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Reply' }).inputValue())
      .toBe('Half-written answer about drafts')
    await page.getByRole('textbox', { name: 'Reply' }).focus()
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() =>
        page.getByRole('article').filter({ hasText: 'Half-written answer about drafts' }).count(),
      )
      .toBe(1)
    await expect.poll(() => page.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('')
    expect(
      await stack.engine.api.getDraft({
        key: (await stack.engine.api.listThreads({ view: 'all' })).threads.find(
          (t) => t.subject === 'Draft keeping',
        )!.id,
      }),
    ).toBeNull()
  })

  it('attaches a file dropped onto the thread, and refuses an oversize one before upload, naming the limit', async ({
    stack,
    admin,
    openCustomerThread,
  }) => {
    const { threadId, page, errors } = await openCustomerThread({
      subject: 'Drop a plan',
      body: 'Can you send the plan?',
    })
    const drop = async (name: string, size: number, type: string) => {
      const transfer = await page.evaluateHandle(
        ({ name, size, type }) => {
          const dt = new DataTransfer()
          const bytes = new Uint8Array(size)
          // A real PDF signature so the server's content check agrees with the name.
          const head = new TextEncoder().encode(
            '%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n',
          )
          bytes.set(head.subarray(0, Math.min(head.length, size)))
          dt.items.add(new File([bytes], name, { type }))
          return dt
        },
        { name, size, type },
      )
      const target = page.getByTestId('thread-messages')
      await target.dispatchEvent('dragenter', { dataTransfer: transfer })
      await page.waitForTimeout(100)
      await page
        .getByLabel('Drop files to attach them to your reply')
        .dispatchEvent('drop', { dataTransfer: transfer })
    }
    const settings = await stack.engine.api.getSettings({})
    const limit = settings!.maxFileBytes
    await drop('huge-plan.pdf', limit + 1, 'application/pdf')
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'huge-plan.pdf' }).textContent())
      .toMatch(/25 MB limit per file|limit is 25 MB per file/)
    await drop('site-plan.pdf', 2048, 'application/pdf')
    await expect
      .poll(() => page.getByRole('list', { name: 'Files to send' }).textContent())
      .toContain('site-plan.pdf')
    await page.getByRole('textbox', { name: 'Reply' }).fill('Here is the site plan.')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await stack.engine.until(async () => {
      const messages = (await admin.get(`/threads/${threadId}/messages`)).body.messages as {
        attachments: { name: string }[]
      }[]
      return messages.some((m) => m.attachments.some((a) => a.name === 'site-plan.pdf'))
    }, 'the file to reach the server')
    // Nothing of the refused file was uploaded.
    const all = (await admin.get(`/threads/${threadId}/messages`)).body.messages as {
      attachments: { name: string }[]
    }[]
    expect(all.flatMap((m) => m.attachments.map((a) => a.name))).not.toContain('huge-plan.pdf')
    await expect
      .poll(() => page.getByRole('listitem', { name: /site-plan\.pdf/ }).count())
      .toBeGreaterThan(0)
    await screenshot(page, 'inbox-thread-attachments')
    expect(errors).toEqual([])
  })

  it('starts a new conversation with n', async ({ untilCarlaSees, inbox: { page } }) => {
    await page.keyboard.press('n')
    const dialog = page.getByRole('dialog', { name: 'New conversation' })
    await dialog.getByRole('combobox', { name: 'Project' }).click()
    await dialog.getByRole('option', { name: /^Maple/ }).click()
    await dialog.getByLabel(/^Subject/).fill('Schedule for the cabinet install')
    await dialog.getByLabel(/^Message/).fill('The cabinets arrive on Monday; can someone be home?')
    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    await expect
      .poll(() => page.getByTestId('thread-subject').textContent())
      .toBe('Schedule for the cabinet install')
    // Carla, the project's customer contact, sees it on the server.
    await untilCarlaSees('Schedule for the cabinet install')
  })
})

describe('triage', () => {
  it('assigns, snoozes, closes and marks unread from the keyboard, and acts on several selected threads', async ({
    stack,
    admin,
    dir,
    customerThread,
    openInbox,
  }) => {
    const a = await customerThread({ subject: 'Triage one', body: 'first' })
    const b = await customerThread({ subject: 'Triage two', body: 'second' })
    const { page, errors } = await openInbox()
    await expect.poll(() => row(page, 'Triage two').count()).toBe(1)
    await openThread(page, 'Triage one')
    await page.locator('body').click({ position: { x: 700, y: 400 } })
    await page.getByTestId('thread-subject').click()
    await page.keyboard.press('a')
    await page.getByRole('menuitem', { name: /^Me \(Sam/ }).click()
    await stack.engine.until(
      async () =>
        (await admin.get(`/threads/${a}`)).body.assigneeId === dir.person('staff@demo.test'),
      'the assignment',
    )
    await page.getByTestId('thread-subject').click()
    await page.keyboard.press('u')
    // Marked unread, the thread closes (reading it would clear the mark) and its row is bold again.
    await expect.poll(() => page.getByTestId('thread-subject').count()).toBe(0)
    await expect.poll(() => row(page, 'Triage one').locator('button[data-unread]').count()).toBe(1)
    await expect
      .poll(async () =>
        (await stack.engine.api.listThreads({ view: 'unread', limit: 500 })).threads.some(
          (t) => t.id === a,
        ),
      )
      .toBe(true)
    await openThread(page, 'Triage one')
    await page.getByTestId('thread-subject').click()
    await page.keyboard.press('s')
    await page.getByRole('menuitem', { name: /^Tomorrow morning/ }).click()
    await stack.engine.until(
      async () => !!(await admin.get(`/threads/${a}`)).body.snoozedUntil,
      'the snooze',
    )
    await page.getByTestId('thread-subject').click()
    await page.keyboard.press('e')
    await stack.engine.until(
      async () => (await admin.get(`/threads/${a}`)).body.status === 'closed',
      'the close',
    )

    // Several at once: select two rows and close them together.
    await nav(page).getByRole('button', { name: /^All/ }).click()
    await row(page, 'Triage two').getByRole('checkbox').check()
    await row(page, 'Draft keeping').getByRole('checkbox').check()
    const bulk = page.getByTestId('bulk-actions')
    await expect.poll(() => bulk.textContent()).toContain('2 selected')
    await bulk.getByRole('button', { name: /^Status/ }).click()
    await page.getByRole('menuitem', { name: 'Waiting on customer' }).click()
    await stack.engine.until(
      async () => (await admin.get(`/threads/${b}`)).body.status === 'waiting-on-customer',
      'the bulk status',
    )
    expect(errors).toEqual([])
  })
})

describe('search', () => {
  it('quick search (Ctrl+K) and the search page find a message by a word in an attachment name, with highlighted snippets', async ({
    stack,
    carla,
    dir,
    customerThread,
    openInbox,
  }) => {
    const upload = await carla.upload(
      dir.project('Maple'),
      'zanzibar-elevations.pdf',
      '%PDF-1.4\n%%EOF\n',
    )
    expect(upload.status).toBe(201)
    await customerThread({
      subject: 'Drawings attached',
      body: 'See the attached drawings.',
      attachmentIds: [upload.body.attachment.id],
    })
    // The same word in a message without a file: the attachments filter must leave it out.
    await customerThread({ subject: 'Holiday plans', body: 'We will be in Zanzibar in March.' })
    const { page, errors } = await openInbox()
    await stack.engine.until(
      async () => (await stack.engine.api.search({ query: 'zanzibar' })).length > 1,
      'the engine to index it',
    )
    await page.keyboard.press('Control+k')
    await page.getByRole('textbox', { name: 'Quick search' }).fill('zanzibar')
    const hit = page.getByRole('dialog').getByRole('button', { name: /Drawings attached/ })
    await expect.poll(() => hit.count()).toBeGreaterThan(0)
    await hit.first().click()
    await expect
      .poll(() => page.getByTestId('thread-subject').textContent())
      .toBe('Drawings attached')

    await nav(page)
      .getByRole('button', { name: /^Search/ })
      .click()
    await page.getByLabel(/^Search messages/).fill('tiles')
    const results = page.getByRole('list', { name: 'Search results' })
    await expect.poll(() => results.getByRole('listitem').count()).toBeGreaterThan(0)
    await expect.poll(() => results.locator('mark').count()).toBeGreaterThan(0)
    // Filters add operators to the same query.
    await page.getByLabel(/^Search messages/).fill('zanzibar')
    await expect.poll(() => results.getByRole('listitem').count()).toBe(2)
    await page.getByLabel('With attachments').check()
    await expect.poll(() => page.getByText(/Query:/).textContent()).toContain('has:attachment')
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1)
    await screenshot(page, 'inbox-search')
    expect(errors).toEqual([])
  })
})

describe('script payloads', () => {
  it('render as text and run nothing, in subjects, bodies, names and file names', async ({
    stack,
    admin,
    carla,
    dir,
    customerThread,
  }) => {
    const { scriptPayloads } = await import('../support/payloads')
    expect(scriptPayloads.length).toBeGreaterThanOrEqual(50)
    const carlaId = dir.person('customer@demo.test')
    // A customer whose name is a payload.
    expect(
      (await admin.patch(`/admin/people/${carlaId}`, { name: scriptPayloads[2] })).status,
    ).toBe(200)
    for (const [i, payload] of scriptPayloads.entries()) {
      const upload = await carla.upload(
        dir.project('Maple'),
        `${payload.replace(/[\\/]/g, '_').slice(0, 60)}-${i}.txt`,
        'plain text',
      )
      await customerThread({
        subject: `P${i} ${payload}`.slice(0, 200),
        body: `Body ${i}: ${payload}`,
        attachmentIds: upload.status === 201 ? [upload.body.attachment.id] : [],
      })
    }
    const { page, errors, close } = await stack.open()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await waitForInbox(page)
    await stack.engine.until(
      async () =>
        (await stack.engine.api.listThreads({ view: 'all', limit: 500 })).threads.filter((t) =>
          /^P\d+ /.test(t.subject),
        ).length === scriptPayloads.length,
      'every payload thread in the cache',
      20_000,
    )
    // The search page lists them all at once: subjects, snippets of the bodies, author names.
    await nav(page)
      .getByRole('button', { name: /^Search/ })
      .click()
    await page.getByLabel(/^Search messages/).fill('Body')
    const results = page.getByRole('list', { name: 'Search results' })
    await expect
      .poll(() => results.getByRole('listitem').count())
      .toBeGreaterThanOrEqual(scriptPayloads.length)
    const text = (await results.textContent()) ?? ''
    for (const [i, payload] of scriptPayloads.entries()) {
      expect(text).toContain(`P${i} `)
      expect(text).toContain(payload.trim().slice(0, 24))
    }
    // Open some threads: body, author name and file name in the thread view.
    for (const i of [0, 2, 7, 9, 27, 35, 44, scriptPayloads.length - 1]) {
      await results
        .getByRole('listitem')
        .filter({ hasText: new RegExp(`^P${i}\\s`) })
        .getByRole('button')
        .click()
      const article = page.getByRole('article').first()
      await expect
        .poll(() => article.textContent())
        .toContain(`Body ${i}: ${scriptPayloads[i]!.trim().slice(0, 24)}`)
      await expect.poll(() => page.getByRole('list', { name: 'Attached files' }).count()).toBe(1)
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
      await nav(page)
        .getByRole('button', { name: /^Search/ })
        .click()
      await page.getByLabel(/^Search messages/).fill('Body')
      await expect
        .poll(() => results.getByRole('listitem').count())
        .toBeGreaterThanOrEqual(scriptPayloads.length)
    }
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
    expect(
      await page
        .locator('main script, main iframe, main object, main embed, main svg script')
        .count(),
    ).toBe(0)
    expect(await page.locator('main [onerror], main [onload], main [onfocus]').count()).toBe(0)
    expect(dialogs).toEqual([])
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
    await close()
  })
})

describe('accessibility', () => {
  it('axe finds no serious or critical violations on the main screens, light and dark', async ({
    openInbox,
  }) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, close } = await openInbox({ colorScheme })
      const check = async (screen: string) => {
        const results = await new AxeBuilder({ page }).analyze()
        const bad = results.violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        )
        expect(
          bad.map(
            (v) =>
              `${colorScheme} ${screen}: ${v.id} (${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 3)
                .join(', ')})`,
          ),
        ).toEqual([])
      }
      await check('inbox')
      await list(page).getByRole('listitem').first().getByRole('button').first().click()
      await page.getByRole('article').first().waitFor()
      await check('thread')
      await nav(page)
        .getByRole('button', { name: /^Search/ })
        .click()
      await page.getByLabel(/^Search messages/).fill('tile')
      await expect
        .poll(() =>
          page.getByRole('list', { name: 'Search results' }).getByRole('listitem').count(),
        )
        .toBeGreaterThan(0)
      await check('search')
      await nav(page)
        .getByRole('button', { name: /^Outbox/ })
        .click()
      await check('outbox')
      await page.keyboard.press('Control+k')
      await page.getByRole('textbox', { name: 'Quick search' }).fill('tile')
      await page.waitForTimeout(300)
      await check('quick search')
      await close()
    }
    // Eight full-page scans: longer than one test's default on a busy machine.
  }, 90_000)
})
