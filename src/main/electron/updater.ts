import { autoUpdater } from 'electron-updater'

export interface UpdaterLog {
  info(message: string): void
  warn(message: string): void
}

const EVERY_FOUR_HOURS = 4 * 3600_000

/**
 * Updates from a feed URL set in settings: checked at start and every four hours, downloaded in
 * the background, installed when the app quits. An offline or broken feed is logged and shown
 * quietly, never a crash. Signature verification stays on (electron-updater's default).
 */
export function startUpdates(
  feedUrl: string | null,
  log: UpdaterLog,
  onProgress: (percent: number) => void,
): () => void {
  if (!feedUrl) {
    log.info('Updates: no feed URL is set; checking is off.')
    return () => undefined
  }
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl })
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.on('error', (err) =>
    log.warn(`Updates: the feed could not be read (${err.message}); will try again later.`),
  )
  autoUpdater.on('download-progress', (p) => onProgress(p.percent))
  autoUpdater.on('update-downloaded', (info) =>
    log.info(`Updates: ${info.version} is ready and installs when Portal Inbox quits.`),
  )
  const check = () =>
    autoUpdater
      .checkForUpdates()
      .catch((err: Error) => log.warn(`Updates: check failed (${err.message}).`))
  void check()
  const timer = setInterval(() => void check(), EVERY_FOUR_HOURS)
  return () => clearInterval(timer)
}
