/**
 * File rules shared by the portal server (which decides from the bytes) and the clients (which
 * check before uploading, so a person hears about a limit before waiting for an upload).
 */

/** Allowed-type keys an admin can pick from, with the content types file-type reports for them. */
export const knownFileTypes = {
  jpg: { label: 'JPEG image', detected: ['jpg'], contentType: 'image/jpeg' },
  jpeg: { label: 'JPEG image', detected: ['jpg'], contentType: 'image/jpeg' },
  png: { label: 'PNG image', detected: ['png'], contentType: 'image/png' },
  gif: { label: 'GIF image', detected: ['gif'], contentType: 'image/gif' },
  webp: { label: 'WebP image', detected: ['webp'], contentType: 'image/webp' },
  heic: { label: 'HEIC photo', detected: ['heic'], contentType: 'image/heic' },
  pdf: { label: 'PDF document', detected: ['pdf'], contentType: 'application/pdf' },
  doc: { label: 'Word document', detected: ['cfb'], contentType: 'application/msword' },
  docx: {
    label: 'Word document',
    detected: ['docx'],
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xls: { label: 'Excel spreadsheet', detected: ['cfb'], contentType: 'application/vnd.ms-excel' },
  xlsx: {
    label: 'Excel spreadsheet',
    detected: ['xlsx'],
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  pptx: {
    label: 'PowerPoint presentation',
    detected: ['pptx'],
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  },
  zip: { label: 'ZIP archive', detected: ['zip'], contentType: 'application/zip' },
  // Plain text has no magic number: it is accepted when nothing is detected and it holds no NUL byte.
  txt: { label: 'Text file', detected: [], contentType: 'text/plain; charset=utf-8' },
  csv: { label: 'CSV file', detected: [], contentType: 'text/csv; charset=utf-8' },
} as const satisfies Record<
  string,
  { label: string; detected: readonly string[]; contentType: string }
>

export type KnownFileType = keyof typeof knownFileTypes
export const knownFileTypeKeys = Object.keys(knownFileTypes) as [KnownFileType, ...KnownFileType[]]

/** Extensions that run code on some desktop; refused anywhere in a name ("invoice.pdf.exe", "x.exe.pdf"). */
const executableExtensions = new Set([
  'exe',
  'com',
  'bat',
  'cmd',
  'scr',
  'pif',
  'msi',
  'msp',
  'dll',
  'cpl',
  'jar',
  'js',
  'jse',
  'vbs',
  'vbe',
  'wsf',
  'wsh',
  'ps1',
  'psm1',
  'sh',
  'bash',
  'app',
  'dmg',
  'pkg',
  'deb',
  'rpm',
  'apk',
  'lnk',
  'reg',
  'hta',
  'html',
  'htm',
  'svg',
  'xhtml',
  'mht',
  'php',
  'py',
  'pl',
  'rb',
  'appimage',
  'iso',
  'img',
])

const windowsReserved = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i
// Control characters and the bidi/zero-width marks used to disguise extensions ("invoice\u202Efdp.exe").
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

export const MAX_FILE_NAME_LENGTH = 180

/** A name safe to show and to offer as a download name; null when nothing usable is left. */
export function sanitizeFileName(raw: string): string | null {
  const lastSegment = raw.split(/[\\/]/).pop() ?? ''
  let name = lastSegment.normalize('NFC').replace(invisible, '').replace(/\s+/g, ' ').trim()
  name = name.replace(/^[.\s]+|[.\s]+$/g, '')
  if (!name || windowsReserved.test(name)) return null
  if (name.length > MAX_FILE_NAME_LENGTH) {
    const ext = extensionOf(name)
    const keep = MAX_FILE_NAME_LENGTH - (ext ? ext.length + 1 : 0)
    name = ext ? `${name.slice(0, keep)}.${ext}` : name.slice(0, MAX_FILE_NAME_LENGTH)
  }
  return name
}

// What some system refuses inside a name: Windows all of these, macOS's Finder ':', every system '/'.
const refusedInNames = /[<>"?*]/g
const separatorsInNames = /\s*[:/\\|]\s*/g

/**
 * A file name made of what people wrote (a project's name, a thread's subject) and a fixed ending
 * ("2026-12-07.pdf"), safe on Windows, macOS and Linux. The characters a system refuses are
 * replaced rather than read as folders ("Tile 1/2" stays one name), invisible ones go, and when
 * the whole is too long the words are shortened, never the ending: "Maple Street Remodel - Tile
 * selection - 2026-12-07.pdf".
 */
export function documentFileName(parts: readonly string[], ending: string): string {
  const words = parts
    .map((part) =>
      part
        .normalize('NFC')
        .replace(invisible, '')
        .replace(separatorsInNames, ' - ')
        .replace(refusedInNames, '')
        .replace(/\s+/g, ' ')
        .replace(/^[\s.-]+|[\s.]+$/g, ''),
    )
    .filter(Boolean)
  const room = MAX_FILE_NAME_LENGTH - ending.length - 3
  // Shortened a whole character at a time, so no half of an emoji is left at the cut.
  let front = ''
  for (const char of words.join(' - ')) {
    if (front.length + char.length > room) break
    front += char
  }
  front = front.replace(/[\s.-]+$/, '')
  return sanitizeFileName(front ? `${front} - ${ending}` : ending) ?? ending
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

export type FileCheck =
  | { ok: true; type: KnownFileType; contentType: string }
  | {
      ok: false
      code: 'FILE_NAME_INVALID' | 'FILE_TYPE_NOT_ALLOWED' | 'FILE_TYPE_MISMATCH'
      message: string
    }

const listTypes = (allowed: readonly string[]) => allowed.join(', ')

/** Checks a name against the allowlist. The server calls checkFileBytes after this with what the bytes say. */
export function checkFileName(name: string, allowed: readonly string[]): FileCheck {
  const clean = sanitizeFileName(name)
  if (!clean)
    return {
      ok: false,
      code: 'FILE_NAME_INVALID',
      message: 'The file has no usable name; rename it and try again.',
    }
  const parts = clean.toLowerCase().split('.').slice(1)
  const dangerous = parts.find((p) => executableExtensions.has(p))
  if (dangerous) {
    return {
      ok: false,
      code: 'FILE_TYPE_NOT_ALLOWED',
      message: `"${clean}" looks like a program (.${dangerous}); programs cannot be attached. Allowed types: ${listTypes(allowed)}.`,
    }
  }
  const ext = extensionOf(clean)
  if (!ext || !allowed.includes(ext) || !(ext in knownFileTypes)) {
    return {
      ok: false,
      code: 'FILE_TYPE_NOT_ALLOWED',
      message: `${ext ? `.${ext} files are` : 'Files without an extension are'} not accepted here. Allowed types: ${listTypes(allowed)}.`,
    }
  }
  const type = ext as KnownFileType
  return { ok: true, type, contentType: knownFileTypes[type].contentType }
}

/**
 * Decides from the bytes: `detected` is file-type's extension for the content (undefined when it
 * found no signature), `hasNul` whether the first chunk holds a NUL byte (binary, not text).
 */
export function checkFileBytes(
  name: string,
  allowed: readonly string[],
  detected: string | undefined,
  hasNul: boolean,
): FileCheck {
  const byName = checkFileName(name, allowed)
  if (!byName.ok) return byName
  const rule = knownFileTypes[byName.type]
  const matches =
    rule.detected.length === 0
      ? detected === undefined && !hasNul
      : detected !== undefined && (rule.detected as readonly string[]).includes(detected)
  if (!matches) {
    return {
      ok: false,
      code: 'FILE_TYPE_MISMATCH',
      message: `The file is named .${byName.type} but its content ${detected ? `is ${detected.toUpperCase()}` : 'is not a recognised ' + rule.label}; save it in the right format and attach it again.`,
    }
  }
  return byName
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

/** The message both clients and the server show for a file over the per-file limit. */
export function fileTooLargeMessage(name: string, size: number | null, limit: number): string {
  // An unknown size, or one that rounds to the limit's own figure ("64 KB; the limit is 64 KB"),
  // is said as "larger than" so the sentence never contradicts itself.
  if (size === null || formatBytes(size) === formatBytes(limit)) {
    return `"${name}" is larger than the ${formatBytes(limit)} limit per file; send a smaller file or share a link.`
  }
  return `"${name}" is ${formatBytes(size)}; the limit is ${formatBytes(limit)} per file.`
}

export interface FileLimits {
  allowedFileTypes: readonly string[]
  maxFileBytes: number
  maxFilesPerMessage: number
  maxMessageBytes: number
}

/**
 * What a composer checks before anything is uploaded, in both clients: each new file's name, type
 * and size, then the message's count and total with the files already attached. Returns the files
 * to add (none when the message would exceed its limits) and one sentence per problem.
 */
export function checkNewFiles<F extends { name: string; size: number }>(
  incoming: readonly F[],
  attached: readonly { size: number }[],
  limits: FileLimits,
): { accepted: F[]; problems: string[] } {
  const problems: string[] = []
  const accepted: F[] = []
  for (const file of incoming) {
    const check = checkFileName(file.name, limits.allowedFileTypes)
    if (!check.ok) problems.push(check.message)
    else if (file.size === 0) problems.push(`"${file.name}" is empty (0 bytes).`)
    else if (file.size > limits.maxFileBytes)
      problems.push(fileTooLargeMessage(file.name, file.size, limits.maxFileBytes))
    else accepted.push(file)
  }
  const count = attached.length + accepted.length
  const total = [...attached, ...accepted].reduce((n, f) => n + f.size, 0)
  if (count > limits.maxFilesPerMessage) {
    problems.push(`A message can carry ${limits.maxFilesPerMessage} files at most.`)
    return { accepted: [], problems }
  }
  if (total > limits.maxMessageBytes) {
    problems.push(
      `The files add up to ${formatBytes(total)}; a message can carry ${formatBytes(limits.maxMessageBytes)}.`,
    )
    return { accepted: [], problems }
  }
  return { accepted, problems }
}
