import type { DownloadItem, Event, Session, WebContents } from 'electron'
import { DOWNLOAD_CHANNEL, type DownloadReport } from '../../shared/ipc'

/**
 * Files the page saves (an attachment's Save, a thread exported as a PDF) are the page's own
 * downloads, so Electron asks where with its Save dialog, as any browser would. This only tells
 * the page how each one ended, so it can say "Saved … in Documents" or that nothing was saved,
 * instead of guessing.
 */
export function reportDownloads(session: Session): () => void {
  const started = (_event: Event, item: DownloadItem, contents: WebContents) => {
    item.once('done', (_done, state) => {
      if (contents.isDestroyed()) return
      const report: DownloadReport = {
        name: item.getFilename(),
        state,
        path: state === 'completed' ? item.getSavePath() : null,
      }
      contents.send(DOWNLOAD_CHANNEL, report)
    })
  }
  session.on('will-download', started)
  return () => void session.off('will-download', started)
}
