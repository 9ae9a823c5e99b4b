import { describe, expect, it } from 'vitest'
import { MISSING_GLYPH, printable, type GlyphCoverage } from './export-fonts'

// What reaches the PDF's font from a message's text. A stand-in font that draws ASCII, é, the
// hand ☝ and the joiner and selector marks, so each rule is seen on its own; the export's own
// test (export-thread.test.ts) runs the same through DejaVu Sans.
const font: GlyphCoverage = {
  hasGlyphForCodePoint: (cp) =>
    (cp >= 0x20 && cp < 0x7f) ||
    cp === 0x0a ||
    cp === 0xe9 ||
    cp === 0x261d ||
    cp === 0x200d ||
    cp === 0xfe0f,
}

describe('printable', () => {
  it('keeps what the font draws, line ends as one kind, tabs as spaces', () => {
    expect(printable('Caf\u00e9\r\nline two\rthree\tfour', font)).toEqual({
      text: 'Café\nline two\nthree    four',
      missing: 0,
    })
  })

  it('composes accents first, so e + combining acute is the é the font has', () => {
    expect(printable('Cafe\u0301', font)).toEqual({ text: 'Café', missing: 0 })
  })

  it('drops control characters and lone surrogate halves (a broken emoji), never throws on them', () => {
    expect(printable('a\u0000b\u0007c\u009fd \ud800e\udc00f \uffff', font)).toEqual({
      text: 'abcd ef ',
      missing: 0,
    })
  })

  it('shows a character the font lacks as one □ per character, an emoji with its modifiers and joiners as one', () => {
    expect(printable('ok 👍🏽 👨‍👩‍👧 中文!', font)).toEqual({
      text: `ok ${MISSING_GLYPH} ${MISSING_GLYPH} ${MISSING_GLYPH}${MISSING_GLYPH}!`,
      missing: 4,
    })
  })

  it('keeps a drawn letter and drops a skin tone it cannot draw without counting it; a visible mark it lacks counts', () => {
    expect(printable('☝🏽', font)).toEqual({ text: '☝', missing: 0 })
    expect(printable('e\u0353', font)).toEqual({ text: 'e', missing: 1 })
  })
})
