import { describe, expect, it } from 'vitest'
import {
  checkFileBytes,
  checkFileName,
  documentFileName,
  fileTooLargeMessage,
  formatBytes,
  sanitizeFileName,
} from './files'

const allowed = ['jpg', 'png', 'pdf', 'docx', 'txt']

describe('sanitizeFileName', () => {
  it('keeps only the last path segment', () => {
    expect(sanitizeFileName('../../etc/passwd.pdf')).toBe('passwd.pdf')
    expect(sanitizeFileName('C:\\Users\\me\\plan.pdf')).toBe('plan.pdf')
  })
  it('removes control and bidi characters that disguise extensions', () => {
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
    expect(sanitizeFileName('a\u0000b.pdf')).toBe('ab.pdf')
  })
  it('refuses names with nothing left, and reserved device names', () => {
    expect(sanitizeFileName('...')).toBeNull()
    expect(sanitizeFileName('   ')).toBeNull()
    expect(sanitizeFileName('CON.pdf')).toBeNull()
  })
  it('shortens long names but keeps the extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(400)}.pdf`) ?? ''
    expect(name.length).toBe(180)
    expect(name.endsWith('.pdf')).toBe(true)
  })
})

describe('checkFileName and checkFileBytes', () => {
  it('accepts allowed types', () => {
    expect(checkFileName('Plan.PDF', allowed)).toMatchObject({ ok: true, type: 'pdf' })
  })
  it('refuses programs anywhere in the name', () => {
    expect(checkFileName('invoice.pdf.exe', allowed)).toMatchObject({
      ok: false,
      code: 'FILE_TYPE_NOT_ALLOWED',
    })
    expect(checkFileName('photo.exe.jpg', allowed)).toMatchObject({
      ok: false,
      code: 'FILE_TYPE_NOT_ALLOWED',
    })
  })
  it('names the allowed types when refusing one', () => {
    const check = checkFileName('drawing.svg', allowed)
    expect(check.ok).toBe(false)
    if (!check.ok) expect(check.message).toContain('pdf')
  })
  it('decides from the bytes: a renamed executable is a mismatch', () => {
    expect(checkFileBytes('invoice.pdf', allowed, 'exe', true)).toMatchObject({
      ok: false,
      code: 'FILE_TYPE_MISMATCH',
    })
    expect(checkFileBytes('invoice.pdf', allowed, 'pdf', true)).toMatchObject({ ok: true })
  })
  it('accepts text only when no signature is found and there is no NUL byte', () => {
    expect(checkFileBytes('notes.txt', allowed, undefined, false)).toMatchObject({ ok: true })
    expect(checkFileBytes('notes.txt', allowed, undefined, true)).toMatchObject({
      ok: false,
      code: 'FILE_TYPE_MISMATCH',
    })
    expect(checkFileBytes('notes.txt', allowed, 'png', false)).toMatchObject({
      ok: false,
      code: 'FILE_TYPE_MISMATCH',
    })
  })
})

describe('messages about size', () => {
  it('formats sizes the way people read them', () => {
    expect(formatBytes(500)).toBe('500 bytes')
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB')
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB')
  })
  it('says the size and the limit', () => {
    expect(fileTooLargeMessage('plans.pdf', 31 * 1024 * 1024, 25 * 1024 * 1024)).toBe(
      '"plans.pdf" is 31 MB; the limit is 25 MB per file.',
    )
  })
})

describe('a size that rounds to the limit', () => {
  it('is said as "larger than", never "64 KB; the limit is 64 KB"', () => {
    expect(fileTooLargeMessage('big.pdf', 64 * 1024 + 300, 64 * 1024)).toBe(
      '"big.pdf" is larger than the 64 KB limit per file; send a smaller file or share a link.',
    )
  })
})

describe('documentFileName', () => {
  const day = '2026-12-07.pdf'
  it('joins the words and the ending', () => {
    expect(documentFileName(['Maple Street Remodel', 'Tile selection'], day)).toBe(
      'Maple Street Remodel - Tile selection - 2026-12-07.pdf',
    )
  })
  it('replaces what Windows, macOS or Linux refuse instead of reading it as folders', () => {
    expect(documentFileName(['Lot 4/5', 'Re: "Warm Gray" grout? <maybe> *now* a|b\\c'], day)).toBe(
      'Lot 4 - 5 - Re - Warm Gray grout maybe now a - b - c - 2026-12-07.pdf',
    )
  })
  it('keeps accents, other scripts and emoji; drops control and bidi characters', () => {
    expect(documentFileName(['Café Élan', 'Plan\u202Efdp.exe \u0007ok 🏠'], day)).toBe(
      'Café Élan - Planfdp.exe ok 🏠 - 2026-12-07.pdf',
    )
  })
  it('never starts with a dot, and falls back to the ending when no word is left', () => {
    expect(documentFileName(['..hidden', '  '], day)).toBe('hidden - 2026-12-07.pdf')
    expect(documentFileName(['/', '...'], day)).toBe(day)
  })
  it('shortens the words, never the date and extension, and never halves an emoji', () => {
    const name = documentFileName(['Maple', '🏠'.repeat(200)], day)
    expect(name.length).toBeLessThanOrEqual(180)
    expect(name.endsWith(' - 2026-12-07.pdf')).toBe(true)
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
    expect(name.startsWith('Maple - 🏠🏠')).toBe(true)
  })
})
