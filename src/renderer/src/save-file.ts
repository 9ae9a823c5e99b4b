// The page's one way to save a file to the person's computer: an attachment's Save and a thread
// exported as a PDF. It is the page's own download, so Electron shows its Save dialog and a
// browser its downloads; in Electron the glue says how it ended.
import type { DownloadReport } from '../../shared/ipc'
import { engine } from './engine'

export type SaveOutcome =
  /** `folder` is where Electron wrote it; null in a browser, which keeps that to itself. */
  { saved: true; folder: string | null } | { saved: false; why: 'cancelled' | 'failed' }

/**
 * Saves waiting for Electron's word, oldest first. A report is matched by the file's name, and
 * taken by the oldest save when Chromium wrote the name otherwise, so no save waits for ever.
 */
const waiting: { name: string; done: (outcome: SaveOutcome) => void }[] = []
let listening = false

function hear(report: DownloadReport): void {
  const index = waiting.findIndex((w) => w.name === report.name)
  const [save] = waiting.splice(Math.max(index, 0), 1)
  if (report.state === 'completed')
    save?.done({ saved: true, folder: report.path ? folderOf(report.path) : null })
  else save?.done({ saved: false, why: report.state === 'cancelled' ? 'cancelled' : 'failed' })
}

export function saveFile(name: string, bytes: Uint8Array, type: string): Promise<SaveOutcome> {
  const outcome = new Promise<SaveOutcome>((done) => {
    if (!engine.onDownload) return done({ saved: true, folder: null })
    if (!listening) {
      engine.onDownload(hear)
      listening = true
    }
    waiting.push({ name, done })
  })
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  // The download holds its own copy once started; the page's URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return outcome
}

/** "Documents" from "/home/sam/Documents/x.pdf" or "C:\Users\sam\Documents\x.pdf". */
function folderOf(path: string): string | null {
  const parts = path.split(/[\\/]/).filter(Boolean)
  return parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null
}

/** What happened, for the person: "Saved “x.pdf” in Documents.", or why nothing was saved. */
export function savedSentence(name: string, outcome: SaveOutcome): string {
  if (outcome.saved)
    return `Saved “${name}” ${outcome.folder ? `in ${outcome.folder}` : 'to your downloads'}.`
  return outcome.why === 'cancelled'
    ? `“${name}” was not saved: the Save dialog was closed.`
    : `“${name}” could not be written. The disk may be full or the folder read-only; try another folder.`
}
