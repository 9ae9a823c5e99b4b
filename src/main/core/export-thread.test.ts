import { beforeEach, describe, expect, it } from 'vitest'
import { readPdfText } from '../../../tests/support/pdf-text'
import { ManualClock } from '../../shared/clock'
import type { Attachment } from '../../shared/protocol'
import { signedInStore, emptyChanges, ids, message, thread, uuid } from './cache/fixtures'
import type { CacheStore } from './cache/store'
import { MISSING_GLYPH } from './export-fonts'
import { exportThread } from './export-thread'

// A thread exported from a real (in-memory) cache and read back from the PDF's own text: the
// header, every message in order with its sender, role, date and text, internal notes in or out
// as chosen, files by name and size, a long text over several pages with nothing cut, accents
// and what the font cannot draw. Monday 7 December 2026, 10:20 UTC, whatever the machine says.

let store: CacheStore
const clock = new ManualClock(Date.UTC(2026, 11, 7, 10, 20))
const tile = uuid(1)

const file = (n: number, messageN: number, name: string, size: number): Attachment => ({
  id: uuid(9000 + n),
  messageId: uuid(1000 + messageN),
  projectId: ids.maple,
  name,
  size,
  contentType: 'application/octet-stream',
  sha256: 'a'.repeat(64),
  createdAt: '2026-03-01T10:00:00.000Z',
})

beforeEach(() => {
  store = signedInStore(clock)
  store.setCompany({ id: uuid(77), name: 'Harbor & Pine Builders' })
  // The company's zone, set: without one the export falls back to the machine's, and these
  // cases must read the same on a laptop in any zone (npm run test:clock runs them at UTC+14).
  store.setMeta('settings', JSON.stringify({ businessHours: { timezone: 'UTC' } }))
  store.setMeta('lastSyncedAt', '2026-12-07T10:19:00.000Z')
  store.apply(
    emptyChanges({
      threads: [thread(1, { subject: 'Tile selection', urgent: true })],
      messages: [
        message(1, 1, {
          body: 'Hi Sam, we picked the tile from the showroom. Photo attached.',
          urgent: true,
          attachments: [file(1, 1, 'showroom-tile.png', 48_213)],
        }),
        message(2, 1, {
          authorId: ids.sam,
          internal: true,
          body: 'Check the slope with the site lead before promising anything.',
        }),
        message(3, 1, {
          authorId: ids.sam,
          body: 'Great choice. For the shower floor we need a 2x2 mosaic; spec sheet attached.',
          attachments: [
            file(2, 3, 'tile-spec-sheet.pdf', 2_400_000),
            file(3, 3, 'grout-colors.pdf', 900),
          ],
        }),
        message(4, 1, { body: 'Perfect, please order the mosaic too. Grout: "Warm Gray".' }),
      ],
    }),
  )
})

const exported = (includeInternalNotes = false, online = true) =>
  exportThread({ store, clock, online }, tile, includeInternalNotes)
const read = async (includeInternalNotes = false, online = true) => {
  const result = await exported(includeInternalNotes, online)
  return { ...result, ...readPdfText(result.bytes) }
}
/** Whitespace made single spaces, so a test reads words rather than where lines wrapped. */
const words = (text: string) => text.replace(/\s+/g, ' ')

describe('a thread exported as a PDF', () => {
  it('is a PDF named by project, subject and the day, headed by the company, subject, project, people, status and export', async () => {
    const pdf = await read()
    expect(pdf.name).toBe('Maple Street Remodel - Tile selection - 2026-12-07.pdf')
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    expect(pdf.title).toBe('Tile selection')
    const lines = pdf.pages[0]!.split('\n').map(words)
    expect(lines.slice(0, 2)).toEqual(['Harbor & Pine Builders', 'Tile selection'])
    const header = words(pdf.pages[0]!)
    expect(header).toContain('Project Maple Street Remodel (construction)')
    expect(header).toContain('Participants Carla Mendes (Customer), Sam Rivera (Staff)')
    expect(header).toContain('Status Open · Urgent')
    expect(header).toContain('Exported Mon, Dec 7, 2026 at 10:20 by Sam Rivera')
    expect(header).toContain('Times UTC')
    expect(header).toContain('Internal notes Left out: a copy that can go to the customer')
    // In step with the portal, nothing in the outbox: no caveat.
    expect(header).not.toContain('Note ')
  })

  it('has every message in order with sender, role, date and time, text and urgent mark', async () => {
    const { text } = await read(true)
    const flat = words(text)
    const expected = [
      'Carla Mendes Customer · Sun, Mar 1, 2026 at 10:01 Urgent',
      'Hi Sam, we picked the tile from the showroom. Photo attached.',
      'Sam Rivera Staff · Sun, Mar 1, 2026 at 10:02',
      'Check the slope with the site lead before promising anything.',
      'Sam Rivera Staff · Sun, Mar 1, 2026 at 10:03',
      'Great choice. For the shower floor we need a 2x2 mosaic; spec sheet attached.',
      'Carla Mendes Customer · Sun, Mar 1, 2026 at 10:04',
      'Perfect, please order the mosaic too. Grout: "Warm Gray".',
      'End of the conversation: 4 messages, internal notes included.',
    ]
    const at = expected.map((part) => flat.indexOf(part))
    expect(
      at.every((i) => i >= 0),
      `every part found in:\n${flat}`,
    ).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    // Only the customer's first message was urgent.
    expect(flat.match(/Urgent/g)).toHaveLength(2) // that message, and the header's status
  })

  it('leaves internal notes out by default and marks them "Internal note (staff only)" when asked for', async () => {
    const customerCopy = words((await read()).text)
    expect(customerCopy).not.toContain('Check the slope')
    expect(customerCopy).not.toContain('Internal note (staff only)')
    expect(customerCopy).toContain('End of the conversation: 3 messages.')

    const staffCopy = await read(true)
    const flat = words(staffCopy.text)
    expect(flat).toContain(
      'Internal note (staff only) Sam Rivera Staff · Sun, Mar 1, 2026 at 10:02 Check the slope',
    )
    expect(flat).toContain('Internal notes Included: a copy for staff only, not for the customer')
    // Every page of a staff copy says so at its foot, wherever a page ends up.
    for (const page of staffCopy.pages)
      expect(words(page)).toContain('Staff copy with internal notes')
  })

  it('lists each message’s files by name and size, under the message they came with', async () => {
    const flat = words((await read()).text)
    expect(flat).toContain(
      'Photo attached. Attached file (listed here, not included in this PDF) • showroom-tile.png (47 KB)',
    )
    expect(flat).toContain(
      'spec sheet attached. 2 attached files (listed here, not included in this PDF) • tile-spec-sheet.pdf (2.3 MB) • grout-colors.pdf (900 bytes)',
    )
  })

  it('runs a long message over pages with every word, a word longer than a line included, and numbers the pages', async () => {
    const long =
      Array.from({ length: 1500 }, (_, i) => `w${i} lorem ipsum dolor`).join(' ') +
      ` https://example.test/${'x'.repeat(400)} the last words.`
    store.apply(emptyChanges({ messages: [message(5, 1, { body: long })] }))
    const pdf = await read()
    expect(pdf.pages.length).toBeGreaterThanOrEqual(4)
    pdf.pages.forEach((page, i) =>
      expect(page.split('\n').at(-1)).toMatch(new RegExp(`Page ${i + 1} of ${pdf.pages.length}$`)),
    )
    // The feet of the pages are not part of the text: taken out, the body reads whole.
    const body = pdf.pages
      .map((page) => page.split('\n').slice(0, -1).join('\n'))
      .join('\n')
      .replace(/\s+/g, '')
    expect(body).toContain(long.replace(/\s+/g, ''))
  })

  it('draws accents and other scripts as written, and what the font lacks as □ with a note, without failing', async () => {
    store.apply(
      emptyChanges({
        people: [
          {
            id: uuid(60),
            role: 'customer',
            name: 'Zoë Ångström-Łęcka',
            email: null,
            portalAccess: true,
            passwordSet: null,
            seq: 50,
          },
        ],
        threads: [
          thread(2, {
            subject: 'Crème brûlée kitchen — Ærø',
            participantIds: [uuid(60), ids.sam],
            seq: 300,
          }),
        ],
        messages: [
          message(6, 2, {
            authorId: uuid(60),
            body: 'Ελληνικά, Русский, Tiếng Việt, naïve café ✓ ★ € — thanks 👍🏽 中文 done. Shalom: שלום',
          }),
        ],
      }),
    )
    const result = await exportThread({ store, clock, online: true }, uuid(2), false)
    expect(result.name).toBe('Maple Street Remodel - Crème brûlée kitchen — Ærø - 2026-12-07.pdf')
    const pdf = readPdfText(result.bytes)
    expect(pdf.title).toBe('Crème brûlée kitchen — Ærø')
    const flat = words(pdf.text)
    expect(flat).toContain('Crème brûlée kitchen — Ærø')
    expect(flat).toContain('Zoë Ångström-Łęcka Customer')
    expect(flat).toContain(
      `Ελληνικά, Русский, Tiếng Việt, naïve café ✓ ★ € — thanks ${MISSING_GLYPH} ${MISSING_GLYPH}${MISSING_GLYPH} done.`,
    )
    expect(flat).toContain('3 characters cannot be shown in this PDF’s font and appear as □')
    // Hebrew letters are drawn; their words' order is not pdfkit's to get right, and it says so.
    expect(flat).toContain('Shalom:')
    expect(flat).toContain('Hebrew or Arabic words are printed in left-to-right order')
  })

  it('says what the copy may lack: offline, the first download unfinished, replies still in the outbox', async () => {
    store.insertLocalMessage(
      message(7, 1, { authorId: ids.sam, body: 'A reply written offline.', seq: 0 }),
      1,
    )
    const offline = words((await read(false, false)).text)
    expect(offline).not.toContain('A reply written offline.')
    expect(offline).toContain(
      'Note Exported without a connection to the portal: messages written after this desktop last synced (Mon, Dec 7, 2026 at 10:19) may be missing.',
    )
    expect(offline).toContain(
      'Note 1 message written on this desktop is still waiting to be sent and is not in this copy.',
    )
    store.setMeta('lastSyncedAt', '')
    expect(words((await read()).text)).toContain(
      'This desktop had not finished its first download from the portal',
    )
  })

  it('writes dates in the company’s time zone, and the same bytes for the same cache and clock', async () => {
    store.setMeta('settings', JSON.stringify({ businessHours: { timezone: 'Pacific/Kiritimati' } }))
    const pdf = await read()
    // 10:20 UTC is 00:20 the next day at UTC+14: the file's day and every time move with it.
    expect(pdf.name).toBe('Maple Street Remodel - Tile selection - 2026-12-08.pdf')
    expect(words(pdf.text)).toContain('Exported Tue, Dec 8, 2026 at 00:20')
    expect(words(pdf.text)).toContain('Carla Mendes Customer · Mon, Mar 2, 2026 at 00:01')
    expect(Buffer.from((await exported()).bytes).equals(Buffer.from(pdf.bytes))).toBe(true)
  })

  it('refuses a thread the cache does not hold, in words for a person', async () => {
    await expect(
      exportThread({ store, clock, online: true }, uuid(999), false),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('not in your inbox'),
    })
  })
})
