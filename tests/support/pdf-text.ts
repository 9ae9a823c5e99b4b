import { inflateSync } from 'node:zlib'

/**
 * The text of a PDF that Portal Inbox wrote with pdfkit, page by page, line by line, for tests to
 * read back. No PDF reader is installed (pdfjs-dist is the one to add when it may be), so this
 * reads just what pdfkit writes: objects with direct /Length streams (Flate-compressed or not),
 * Type0 fonts with a /ToUnicode CMap of bfrange arrays, and content streams where each line is
 * positioned with Tm and drawn with TJ or Tj of hex glyph codes. Anything else throws, so a
 * change in how the PDF is written shows up as a failing test, not as text silently missing.
 */
export interface PdfText {
  pages: string[]
  /** Every page's text, joined with a blank line between pages. */
  text: string
  /** The document information dictionary's /Title, decoded. */
  title: string | null
}

interface PdfObject {
  dict: string
  stream: Buffer | null
}

export function readPdfText(bytes: Uint8Array): PdfText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('Not a PDF')
  const objects = parseObjects(buffer)
  const get = (ref: string | undefined): PdfObject => {
    const object = ref ? objects.get(Number(ref)) : undefined
    if (!object) throw new Error(`No object ${ref}`)
    return object
  }

  const catalog = [...objects.values()].find((o) => /\/Type\s*\/Catalog/.test(o.dict))
  const pagesRef = catalog?.dict.match(/\/Pages\s+(\d+)\s+0\s+R/)?.[1]
  const kids = get(pagesRef).dict.match(/\/Kids\s*\[([^\]]*)\]/)?.[1] ?? ''
  const pageRefs = [...kids.matchAll(/(\d+)\s+0\s+R/g)].map((m) => m[1]!)

  const cmaps = new Map<string, Map<number, string>>()
  const fontCmap = (ref: string) => {
    let cmap = cmaps.get(ref)
    if (!cmap) {
      const toUnicode = get(ref).dict.match(/\/ToUnicode\s+(\d+)\s+0\s+R/)?.[1]
      cmap = parseCmap(streamOf(get(toUnicode)).toString('latin1'))
      cmaps.set(ref, cmap)
    }
    return cmap
  }

  const pages = pageRefs.map((ref) => {
    const page = get(ref)
    const resources = page.dict.match(/\/Resources\s+(\d+)\s+0\s+R/)?.[1]
    const resourceDict = resources ? get(resources).dict : page.dict
    const fontBlock = resourceDict.match(/\/Font\s*<<([^>]*)>>/)?.[1] ?? ''
    const fonts = new Map(
      [...fontBlock.matchAll(/\/(\w+)\s+(\d+)\s+0\s+R/g)].map((m) => [m[1]!, m[2]!]),
    )
    const contents = page.dict.match(/\/Contents\s+(\d+)\s+0\s+R/)?.[1]
    return pageText(streamOf(get(contents)).toString('latin1'), (name) => {
      const font = fonts.get(name)
      if (!font) throw new Error(`Page ${ref} uses font /${name} it does not list`)
      return fontCmap(font)
    })
  })

  const info = [...objects.values()].find((o) => /\/Producer/.test(o.dict))
  const titleRef = info?.dict.match(/\/Title\s+(\d+)\s+0\s+R/)?.[1]
  const title = titleRef ? pdfString(get(titleRef).dict.trim()) : null
  return { pages, text: pages.join('\n\n'), title }
}

function parseObjects(buffer: Buffer): Map<number, PdfObject> {
  const raw = buffer.toString('latin1')
  const objects = new Map<number, PdfObject>()
  const start = /(\d+) 0 obj\s*/g
  let match: RegExpExecArray | null
  while ((match = start.exec(raw))) {
    const id = Number(match[1])
    let at = start.lastIndex
    let dict = ''
    if (raw.startsWith('<<', at)) {
      const end = closingOf(raw, at)
      dict = raw.slice(at, end)
      at = end
    } else {
      const end = raw.indexOf('endobj', at)
      dict = raw.slice(at, end)
      at = end
    }
    let stream: Buffer | null = null
    const afterDict = raw.slice(at, at + 20)
    const streamStart = afterDict.match(/^\s*stream\r?\n/)
    if (streamStart) {
      const length = Number(dict.match(/\/Length\s+(\d+)(?!\s+0\s+R)/)?.[1])
      if (!Number.isFinite(length)) throw new Error(`Object ${id} has no direct /Length`)
      const from = at + streamStart[0].length
      stream = buffer.subarray(from, from + length)
      at = from + length
    }
    objects.set(id, { dict, stream })
    start.lastIndex = at
  }
  return objects
}

/** The index just after the `>>` that closes the `<<` at `at`. */
function closingOf(raw: string, at: number): number {
  let depth = 0
  for (let i = at; i < raw.length - 1; i++) {
    if (raw[i] === '<' && raw[i + 1] === '<') {
      depth++
      i++
    } else if (raw[i] === '>' && raw[i + 1] === '>') {
      depth--
      i++
      if (depth === 0) return i + 1
    }
  }
  throw new Error('Unclosed dictionary')
}

function streamOf(object: PdfObject): Buffer {
  if (!object.stream) throw new Error('Expected a stream')
  return /\/Filter\s*\/FlateDecode/.test(object.dict) ? inflateSync(object.stream) : object.stream
}

/** Glyph code to text, from pdfkit's `<first> <last> [<utf16> …]` ranges (and plain bfchar). */
function parseCmap(text: string): Map<number, string> {
  const map = new Map<number, string>()
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(
      /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi,
    )) {
      const first = parseInt(range[1]!, 16)
      const last = parseInt(range[2]!, 16)
      const target = range[3]!
      if (target.startsWith('[')) {
        const values = [...target.matchAll(/<([0-9a-f\s]*)>/gi)].map((m) => utf16(m[1]!))
        values.forEach((value, i) => map.set(first + i, value))
      } else {
        const base = parseInt(target.slice(1, -1), 16)
        for (let code = first; code <= last; code++)
          map.set(code, String.fromCharCode(base + code - first))
      }
    }
  }
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const pair of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f\s]+)>/gi))
      map.set(parseInt(pair[1]!, 16), utf16(pair[2]!))
  return map
}

function utf16(hex: string): string {
  const clean = hex.replace(/\s+/g, '')
  const units: number[] = []
  for (let i = 0; i < clean.length; i += 4) units.push(parseInt(clean.slice(i, i + 4), 16))
  return String.fromCharCode(...units)
}

/**
 * The lines of one page: a new line wherever a Tm moves to another height (more than 2 pt, so a
 * label set a size smaller beside its value stays on the value's line, joined by a space).
 */
function pageText(content: string, cmapOf: (font: string) => Map<number, string>): string {
  const lines: string[] = []
  let line = ''
  let y: number | null = null
  let cmap: Map<number, string> | null = null
  const tokens =
    /\/(\w+)\s+[\d.]+\s+Tf|([-\d.]+\s+){5}([-\d.]+)\s+Tm|\[((?:[^\]])*)\]\s*TJ|<([0-9a-f]*)>\s*Tj|\(([^)]*)\)\s*Tj/gi
  for (const t of content.matchAll(tokens)) {
    if (t[1]) cmap = cmapOf(t[1])
    else if (t[3]) {
      const nextY = Number(t[3])
      if (y !== null && Math.abs(nextY - y) > 2) {
        lines.push(line)
        line = ''
      } else if (line && !/\s$/.test(line)) line += ' '
      y = nextY
    } else if (t[4] !== undefined || t[5] !== undefined) {
      if (!cmap) throw new Error('Text drawn before any font was chosen')
      const hexes =
        t[4] !== undefined ? [...t[4].matchAll(/<([0-9a-f]*)>/gi)].map((m) => m[1]!) : [t[5]!]
      for (const hex of hexes)
        for (let i = 0; i < hex.length; i += 4) {
          const code = parseInt(hex.slice(i, i + 4), 16)
          const char = cmap.get(code)
          if (char === undefined)
            throw new Error(`Glyph ${code} is not in the font's ToUnicode map`)
          line += char
        }
    } else if (t[6] !== undefined) throw new Error('A literal string: not a font pdfkit embeds')
  }
  lines.push(line)
  return lines.join('\n')
}

/** A string object: pdfkit writes text as UTF-16 in hex (<feff…>) or as a literal ((…)). */
function pdfString(value: string): string | null {
  const hex = value.match(/^<([0-9a-f]+)>$/i)?.[1]
  if (hex) return utf16(hex.toLowerCase().startsWith('feff') ? hex.slice(4) : hex)
  const literal = value.match(/^\(((?:\\[\s\S]|[^\\)])*)\)$/)?.[1]
  if (literal === undefined) return null
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }
  const bytes = literal.replace(/\\([0-7]{1,3}|[\s\S])/g, (_, e: string) =>
    /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (escapes[e] ?? e),
  )
  if (!bytes.startsWith('\xfe\xff')) return bytes
  let text = ''
  for (let i = 2; i + 1 < bytes.length; i += 2)
    text += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1))
  return text
}
