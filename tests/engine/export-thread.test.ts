import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ThreadWithMessage } from '../../src/shared/protocol'
import { openEngine, type TestEngine } from '../support/engine'
import { readPdfText } from '../support/pdf-text'
import { serverForFile } from '../support/file-server'

/**
 * Issue 12, "a conversation cannot be printed or exported for the project file": a real engine
 * signed in to the real portal server on demo data exports demo threads as PDFs, from its cache:
 * the company's name from the server, every message and file, internal notes only when asked,
 * a thread longer than the screen's first page whole, and offline the same with a note that says
 * what the copy cannot hold.
 */

const portal = serverForFile({
  people: { admin: 'admin@demo.test', carla: 'customer@demo.test', samRest: 'staff@demo.test' },
  viaProxy: true,
})
/** Sam Rivera, staff on Maple Street, through a proxy that can cut him off. */
let sam: TestEngine

beforeAll(async () => {
  sam = await openEngine()
  await sam.api.signIn({
    serverUrl: portal.proxy.url,
    email: 'staff@demo.test',
    password: 'portal-demo',
  })
  await sam.until(async () => (await sam.api.getConnection({})).state === 'online', 'online')
})

afterAll(async () => {
  await sam?.close()
})

const threadCalled = async (subject: string) => {
  const { threads } = await sam.api.listThreads({ view: 'all', limit: 500 })
  const found = threads.find((t) => t.subject.startsWith(subject))
  if (!found) throw new Error(`no demo thread “${subject}”`)
  return found
}
const words = (text: string) => text.replace(/\s+/g, ' ')
/** Each part's place in the text; -1 for a part that is not there. */
const places = (text: string, parts: string[]) => parts.map((part) => text.indexOf(part))

describe('exporting a demo thread', () => {
  it('gives the tile thread as a PDF: named for the project file, headed by the company, every message and file in order', async () => {
    const tile = await threadCalled('Tile selection for the primary bath')
    const { name, bytes } = await sam.api.exportThread({ threadId: tile.id })
    // The test clock's day (Monday 7 December 2026) in the demo company's zone (UTC).
    expect(name).toBe('Maple Street Remodel - Tile selection for the primary bath - 2026-12-07.pdf')
    expect(bytes).toBeInstanceOf(Uint8Array)
    const pdf = readPdfText(bytes)
    expect(pdf.title).toBe('Tile selection for the primary bath')
    const text = words(pdf.text)
    expect(text.startsWith('Harbor & Pine Builders Tile selection for the primary bath')).toBe(true)
    expect(text).toContain('Project Maple Street Remodel (construction)')
    expect(text).toContain('Carla Mendes (Customer)')
    expect(text).toContain('Sam Rivera (Staff)')
    expect(text).toContain('Exported Mon, Dec 7, 2026 at 10:2')
    expect(text).toContain('by Sam Rivera')
    const at = places(text, [
      'Carla Mendes Customer ·',
      'Hi Sam, we picked the tile from the showroom.',
      'showroom-tile.png',
      'Sam Rivera Staff ·',
      'Great choice. For the shower floor we need 2x2 mosaic',
      'tile-spec-sheet.pdf',
      'Perfect, please go ahead and order the mosaic too. Can you confirm the grout color is "Warm Gray"?',
      'End of the conversation: 3 messages.',
    ])
    expect(
      at.every((i) => i >= 0),
      text,
    ).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(text).toMatch(/Page 1 of 1$/)
  })

  it('leaves the leak thread’s internal note out unless asked, and marks it when asked', async () => {
    const leak = await threadCalled('Water coming through the basement wall')
    const customerCopy = words(
      readPdfText((await sam.api.exportThread({ threadId: leak.id })).bytes).text,
    )
    expect(customerCopy).toContain('There is a leak in the basement')
    expect(customerCopy).not.toContain('Plumb Bros')
    expect(customerCopy).not.toContain('Internal note (staff only)')
    expect(customerCopy).toContain('Internal notes Left out')

    const staffCopy = words(
      readPdfText(
        (await sam.api.exportThread({ threadId: leak.id, includeInternalNotes: true })).bytes,
      ).text,
    )
    expect(staffCopy).toContain('Internal note (staff only) Sam Rivera Staff ·')
    expect(staffCopy).toContain('Called Plumb Bros, they can be there at 2pm.')
    expect(staffCopy).toContain('Staff copy with internal notes')
  })

  it('exports a thread longer than the thread pane’s first page whole, over several pages', async () => {
    const res = await portal.samRest.post('/threads', {
      clientId: randomUUID(),
      projectId: portal.dir.project('Maple'),
      subject: 'Punch list, room by room',
      body: 'Item 0: the walkthrough starts in the kitchen.',
    })
    const threadId = ThreadWithMessage.parse(res.body).thread.id
    for (let i = 1; i <= 80; i++) {
      const reply = await portal.samRest.post(`/threads/${threadId}/messages`, {
        clientId: randomUUID(),
        body: `Item ${i}: ${'touch up the paint and check the trim; '.repeat(4)}done.`,
      })
      expect(reply.status).toBe(201)
    }
    await sam.until(
      () => sam.engine.store.threadMessages(threadId).length === 81,
      'all 81 messages in the cache',
      20_000,
    )
    const pdf = readPdfText((await sam.api.exportThread({ threadId })).bytes)
    expect(pdf.pages.length).toBeGreaterThan(3)
    const text = words(pdf.text)
    const at = places(
      text,
      Array.from({ length: 81 }, (_, i) => `Item ${i}:`),
    )
    expect(at.every((i) => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(text).toContain('End of the conversation: 81 messages.')
  })

  it('works offline from the cache, and says that what was written since is not in it', async () => {
    const schedule = await threadCalled('Schedule: drywall delivery next week')
    portal.proxy.set('refuse')
    try {
      await sam.api.syncNow({})
      await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
      const written = await portal.carla.post(`/threads/${schedule.id}/messages`, {
        clientId: randomUUID(),
        body: 'Written while the desktop was cut off.',
      })
      expect(written.status).toBe(201)
      const { name, bytes } = await sam.api.exportThread({ threadId: schedule.id })
      expect(name).toBe(
        'Maple Street Remodel - Schedule - drywall delivery next week - 2026-12-07.pdf',
      )
      const text = words(readPdfText(bytes).text)
      expect(text).toContain('Yes, our site lead will be there from 7:30am Friday.')
      expect(text).not.toContain('Written while the desktop was cut off.')
      expect(text).toContain(
        'Note Exported without a connection to the portal: messages written after this desktop last synced',
      )
    } finally {
      portal.proxy.set('pass')
    }
    await sam.until(
      () =>
        sam.engine.store
          .threadMessages(schedule.id)
          .some((m) => m.body.startsWith('Written while')),
      'the catch-up',
      20_000,
    )
    await sam.until(async () => (await sam.api.getConnection({})).state === 'online', 'online')
    const again = words(
      readPdfText((await sam.api.exportThread({ threadId: schedule.id })).bytes).text,
    )
    expect(again).toContain('Written while the desktop was cut off.')
    expect(again).not.toContain('Exported without a connection')
  })
})
