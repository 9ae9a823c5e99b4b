import PDFDocument from 'pdfkit'
import { formatBytes } from '../../shared/files'
import {
  coverageOf,
  exportFonts,
  MISSING_GLYPH,
  printable,
  type GlyphCoverage,
} from './export-fonts'
import { timeWords } from './zoned-time'

/** One message as the PDF shows it: names and words already chosen (see export-thread.ts). */
export interface TranscriptMessage {
  sender: string
  /** "Customer", "Staff"… */
  role: string
  createdAt: string
  body: string
  internal: boolean
  urgent: boolean
  attachments: { name: string; size: number }[]
}

/** Everything a thread's PDF says, gathered from the cache by export-thread.ts. */
export interface ThreadTranscript {
  company: string | null
  subject: string
  /** "Maple Street Remodel (construction)" */
  project: string
  /** "Open", "Waiting on customer", "Closed" */
  status: string
  urgent: boolean
  participants: { name: string; role: string }[]
  messages: TranscriptMessage[]
  /** Whether internal notes are in this copy (a staff copy) or were left out (one to share). */
  internalNotes: boolean
  exportedAt: string
  exportedBy: string | null
  /** The zone every date and time is written in (the company's). */
  timeZone: string
  /** What this copy may lack, in sentences (offline, the first download unfinished, the outbox). */
  caveats: string[]
}

// US Letter with 3/4-inch margins: the demo's builders print on Letter, and A4 printers fit it
// with a little more white at the sides. The bottom margin leaves room for the page numbers.
const MARGIN = 54
const FOOTER_ROOM = 30
const colors = {
  text: '#1a1b1e',
  dim: '#5c5f66',
  rule: '#ced4da',
  urgent: '#c92a2a',
  noteGround: '#fff3bf',
  noteText: '#5c3c00',
  caveat: '#8a4b00',
}

/**
 * Draws a thread as a PDF with pdfkit: a header (company, subject, project, participants,
 * status, when it was exported and by whom, in which zone, whether internal notes are in it and
 * what the copy may lack), then every message in order with its sender and role, date and time,
 * the text wrapped at word boundaries (a word longer than the line is broken, never cut off),
 * urgent marks, internal notes marked "Internal note (staff only)", and each message's files
 * listed by name and size. Long threads run over as many pages as they need; every page says
 * "Page n of N". Nothing depends on the machine's clock: the PDF's own dates are `exportedAt`.
 */
export async function renderThreadPdf(transcript: ThreadTranscript): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_ROOM },
    bufferPages: true,
    font: exportFonts.regular,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: transcript.subject,
      Author: transcript.company ?? 'Portal Inbox',
      Subject: `Conversation in ${transcript.project}`,
      Creator: 'Portal Inbox',
      CreationDate: new Date(transcript.exportedAt),
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })

  // Fonts are named by their files, not registered under names: pdfkit 0.20 caches a registered
  // name only when no font of its family is open yet, and the default font (the same file) is,
  // so every doc.font('regular') read and parsed the file again (a 1,000-message thread took
  // 3.3 s, 2.2 s of it there; 0.9 s now).
  const regular = coverageOf(doc.font(exportFonts.regular))
  const bold = coverageOf(doc.font(exportFonts.bold))
  const t = prepare(transcript, regular, bold)
  const when = timeWords(transcript.timeZone)

  const left = MARGIN
  const width = doc.page.width - 2 * MARGIN
  const bottom = () => doc.page.height - doc.page.margins.bottom
  /** A new page unless `height` still fits: a sender's line never sits alone at a page's foot. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage()
  }
  const rule = (color: string) => {
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(0.75)
      .strokeColor(color)
      .stroke()
  }

  // ---- the header ----
  if (t.company) doc.font(exportFonts.bold).fontSize(10).fillColor(colors.dim).text(t.company, left)
  doc.moveDown(0.3)
  doc
    .font(exportFonts.bold)
    .fontSize(18)
    .fillColor(colors.text)
    .text(t.subject, left, doc.y, { width })
  doc.moveDown(0.5)
  const row = (label: string, value: string, color = colors.text) => {
    const top = doc.y
    doc
      .font(exportFonts.regular)
      .fontSize(9)
      .fillColor(colors.dim)
      .text(label, left, top + 1, { width: 96 })
    const afterLabel = doc.y
    doc
      .fontSize(10)
      .fillColor(color)
      .text(value, left + 100, top, { width: width - 100 })
    doc.y = Math.max(doc.y, afterLabel) + 2
  }
  row('Project', t.project)
  row(
    'Participants',
    t.participants.map((p) => `${p.name} (${p.role})`).join(', ') || 'Nobody is left in it',
  )
  row('Status', `${t.status}${t.urgent ? ' · Urgent' : ''}`)
  row(
    'Exported',
    `${when(t.exportedAt)}${t.exportedBy ? ` by ${t.exportedBy}` : ''} from Portal Inbox`,
  )
  row('Times', `${t.timeZone} (the company’s time zone)`)
  row(
    'Internal notes',
    t.internalNotes
      ? 'Included: a copy for staff only, not for the customer'
      : 'Left out: a copy that can go to the customer',
    t.internalNotes ? colors.urgent : colors.text,
  )
  for (const caveat of t.caveats) row('Note', caveat, colors.caveat)
  doc.moveDown(0.6)
  rule(colors.dim)
  doc.moveDown(1)

  // ---- the messages, oldest first ----
  for (const [i, m] of t.messages.entries()) {
    // Drawing is synchronous: a long thread gives the event loop back now and then, so the
    // engine goes on applying live changes and answering the inbox while it is drawn.
    if (i % 100 === 99) await new Promise<void>((resolve) => setImmediate(resolve))
    room(64)
    if (m.internal) {
      doc.font(exportFonts.bold).fontSize(9)
      const top = doc.y
      const height = doc.currentLineHeight() + 6
      doc.rect(left, top, width, height).fill(colors.noteGround)
      doc
        .fillColor(colors.noteText)
        .text('Internal note (staff only)', left + 6, top + 3, { width: width - 12 })
      doc.y = top + height + 4
    }
    doc
      .font(exportFonts.bold)
      .fontSize(10.5)
      .fillColor(colors.text)
      .text(m.sender, left, doc.y, { width, continued: true })
    doc
      .font(exportFonts.regular)
      .fillColor(colors.dim)
      .text(`   ${m.role} · ${when(m.createdAt)}`, { continued: m.urgent })
    if (m.urgent) doc.font(exportFonts.bold).fillColor(colors.urgent).text('   Urgent')
    if (m.body) {
      doc.moveDown(0.3)
      doc
        .font(exportFonts.regular)
        .fontSize(10.5)
        .fillColor(colors.text)
        .text(m.body, left, doc.y, { width, lineGap: 2 })
    }
    if (m.attachments.length) {
      doc.moveDown(0.4)
      const count = m.attachments.length
      doc
        .font(exportFonts.bold)
        .fontSize(9)
        .fillColor(colors.dim)
        .text(
          `${count === 1 ? 'Attached file' : `${count} attached files`} (listed here, not included in this PDF)`,
          left,
          doc.y,
          { width },
        )
      for (const a of m.attachments)
        doc
          .font(exportFonts.regular)
          .fillColor(colors.text)
          .text(`•  ${a.name}  (${formatBytes(a.size)})`, left + 10, doc.y, { width: width - 10 })
    }
    doc.moveDown(0.7)
    rule(colors.rule)
    doc.moveDown(0.9)
  }
  const shown = t.messages.length
  doc
    .font(exportFonts.regular)
    .fontSize(9)
    .fillColor(colors.dim)
    .text(
      `End of the conversation: ${shown === 1 ? '1 message' : `${shown} messages`}${t.internalNotes ? ', internal notes included' : ''}.`,
      left,
      doc.y,
      { width },
    )

  // ---- every page's foot: what this is, and where in it ----
  const foot = t.internalNotes
    ? `Staff copy with internal notes · ${t.subject}`
    : [t.company, t.project, t.subject].filter(Boolean).join(' · ')
  const pages = doc.bufferedPageRange()
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i)
    // Written inside the bottom margin: with the margin kept, pdfkit would start a new page.
    const kept = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - MARGIN - 10
    doc
      .font(exportFonts.regular)
      .fontSize(8)
      .fillColor(t.internalNotes ? colors.urgent : colors.dim)
    const line = doc.currentLineHeight()
    doc.text(foot, left, y, { width: width - 90, height: line, ellipsis: true })
    doc.fillColor(colors.dim).text(`Page ${i + 1} of ${pages.count}`, left + width - 90, y, {
      width: 90,
      height: line,
      align: 'right',
    })
    doc.page.margins.bottom = kept
  }
  doc.end()
  await ended
  const bytes = Buffer.concat(chunks)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const rightToLeftLetters = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/

/**
 * The transcript with every text made drawable by the font it is set in, and a caveat more when
 * some character could not be (an emoji, a Chinese name) or Hebrew or Arabic is in it: the PDF
 * says what it cannot show as written, in words.
 */
function prepare(
  transcript: ThreadTranscript,
  regular: GlyphCoverage,
  bold: GlyphCoverage,
): ThreadTranscript {
  let missing = 0
  let rightToLeft = false
  const fit = (text: string, font: GlyphCoverage) => {
    const result = printable(text, font)
    missing += result.missing
    rightToLeft ||= rightToLeftLetters.test(result.text)
    return result.text
  }
  const prepared: ThreadTranscript = {
    ...transcript,
    company: transcript.company === null ? null : fit(transcript.company, bold),
    subject: fit(transcript.subject, bold),
    project: fit(transcript.project, regular),
    participants: transcript.participants.map((p) => ({ ...p, name: fit(p.name, regular) })),
    exportedBy: transcript.exportedBy === null ? null : fit(transcript.exportedBy, regular),
    messages: transcript.messages.map((m) => ({
      ...m,
      sender: fit(m.sender, bold),
      // Trailing blank lines would only push the next message down.
      body: fit(m.body, regular).replace(/\s+$/, ''),
      attachments: m.attachments.map((a) => ({ ...a, name: fit(a.name, regular) })),
    })),
  }
  const caveats = [...transcript.caveats]
  if (missing)
    caveats.push(
      `${missing === 1 ? '1 character' : `${missing} characters`} cannot be shown in this PDF’s font and ${missing === 1 ? 'appears' : 'appear'} as ${MISSING_GLYPH}: emoji, and scripts such as Chinese, Japanese, Korean, Thai or Hindi. Portal Inbox shows them as written.`,
    )
  // pdfkit shapes Hebrew and Arabic words but lays every line out left to right, so a phrase of
  // several such words reads in the wrong order: said, rather than left for a reader to notice.
  if (rightToLeft)
    caveats.push(
      'Hebrew or Arabic words are printed in left-to-right order, so a phrase of several reads backwards here; Portal Inbox shows it as written.',
    )
  return { ...prepared, caveats }
}
