import { createRequire } from 'node:module'

/**
 * The typeface a thread's PDF is set in, and what it can draw. DejaVu Sans (from the
 * dejavu-fonts-ttf package, embedded as a subset) covers Latin with every accent, Greek, Cyrillic,
 * Armenian, Georgian, Hebrew, Arabic and a wide range of symbols and arrows, so builders' and
 * customers' names and words come out as written. It has no CJK (Chinese, Japanese, Korean),
 * Thai or Indic scripts and few emoji: a character it cannot draw is shown as □ and counted, so
 * the PDF can say so, instead of an empty box that looks like a mistake in the text.
 */

const fontFiles = createRequire(import.meta.url)
export const exportFonts = {
  regular: fontFiles.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: fontFiles.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
}

export const MISSING_GLYPH = '□'

/** The part of a font pdfkit has loaded that says whether a character has a glyph. */
export interface GlyphCoverage {
  hasGlyphForCodePoint(codePoint: number): boolean
}

/**
 * pdfkit keeps the loaded font (fontkit's) as `_font.font`; it offers no public question about
 * coverage. Asked once per font and document, and checked, so a pdfkit that changes this fails
 * loudly in the export's tests instead of drawing empty boxes.
 */
export function coverageOf(doc: object): GlyphCoverage {
  const font = (doc as { _font?: { font?: Partial<GlyphCoverage> } })._font?.font
  if (typeof font?.hasGlyphForCodePoint !== 'function')
    throw new Error('pdfkit no longer exposes the loaded font; see src/main/core/export-fonts.ts.')
  return font as GlyphCoverage
}

// Marks that have no look of their own: joiners, variation selectors, skin-tone modifiers, tags.
const silent = (cp: number) =>
  cp === 0x200c ||
  cp === 0x200d ||
  (cp >= 0xfe00 && cp <= 0xfe0f) ||
  (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
  (cp >= 0xe0020 && cp <= 0xe007f)

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

/**
 * Text as the font can draw it: line ends made one kind, tabs as spaces, control characters and
 * lone surrogate halves (a broken emoji) dropped, and each character the font lacks (an emoji
 * with its modifiers, a Chinese character) as one □. `missing` counts those.
 */
export function printable(text: string, font: GlyphCoverage): { text: string; missing: number } {
  const clean = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
  let missing = 0
  let out = ''
  for (const { segment } of graphemes.segment(clean)) {
    const points = Array.from(segment, (c) => c.codePointAt(0)!)
    if (points[0] === 0x0a || points.every((cp) => font.hasGlyphForCodePoint(cp))) {
      out += segment
      continue
    }
    if (!font.hasGlyphForCodePoint(points[0]!)) {
      missing++
      out += MISSING_GLYPH
      continue
    }
    // The letter is there and a mark on it is not: keep the letter, drop what cannot be drawn,
    // and count it unless it has no look of its own anyway (a skin tone on a drawn hand).
    const drawn = points.filter((cp) => font.hasGlyphForCodePoint(cp))
    if (points.some((cp) => !font.hasGlyphForCodePoint(cp) && !silent(cp))) missing++
    out += String.fromCodePoint(...drawn)
  }
  return { text: out, missing }
}
