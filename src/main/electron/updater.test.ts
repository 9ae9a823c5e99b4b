import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'

const updater = Object.assign(new EventEmitter(), {
  setFeedURL: vi.fn(),
  autoDownload: false,
  autoInstallOnAppQuit: false,
  checkForUpdates: vi.fn(async () => {
    throw new Error('getaddrinfo ENOTFOUND updates.example')
  }),
})
vi.mock('electron-updater', () => ({ autoUpdater: updater }))
const { startUpdates } = await import('./updater')

describe('updates', () => {
  it('an offline or broken feed is logged quietly and never throws', async () => {
    const log = { info: vi.fn(), warn: vi.fn() }
    const stop = startUpdates('https://updates.example/desktop', log, () => undefined)
    await new Promise((r) => setTimeout(r, 0))
    expect(updater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://updates.example/desktop',
    })
    expect(updater.autoDownload).toBe(true)
    expect(updater.autoInstallOnAppQuit).toBe(true)
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('ENOTFOUND'))
    updater.emit('error', new Error('bad signature'))
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('bad signature'))
    stop()
  })

  it('without a feed URL, checking is off and says so', () => {
    const log = { info: vi.fn(), warn: vi.fn() }
    startUpdates(null, log, () => undefined)
    expect(log.info).toHaveBeenCalledWith(expect.stringContaining('no feed URL'))
  })
})
