import { EventEmitter } from 'node:events'
import { vi } from 'vitest'

/**
 * A stand-in for the parts of the `electron` module the glue uses: the Electron binary cannot
 * be downloaded on the build machines, so the glue is tested against this (vi.mock('electron')).
 */
export class FakeWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null
  sent: { channel: string; payload: unknown }[] = []
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }) {
    this.openHandler = handler
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  }
  isDestroyed() {
    return false
  }
  /** Fires an event the way Electron does, returning whether a listener prevented it. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args)
    return prevented
  }
}

/** A session: the glue listens to its events ('will-download'). */
export class FakeSession extends EventEmitter {}

/** A download the page started; the test ends it with finish(), as Electron's Save dialog would. */
export class FakeDownloadItem extends EventEmitter {
  constructor(
    private readonly filename: string,
    private savePath = '',
  ) {
    super()
  }
  getFilename() {
    return this.filename
  }
  getSavePath() {
    return this.savePath
  }
  finish(state: 'completed' | 'cancelled' | 'interrupted', savePath = '') {
    this.savePath = savePath
    this.emit('done', {}, state)
  }
}

export const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>()
export const shown: FakeNotification[] = []

export class FakeNotification extends EventEmitter {
  static isSupported = () => true
  closed = false
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super()
  }
  show() {
    shown.push(this)
  }
  /** As Electron's: the notification leaves the screen and says so with 'close'. */
  close() {
    if (this.closed) return
    this.closed = true
    this.emit('close')
  }
}

export class FakeTray extends EventEmitter {
  static last: FakeTray | null = null
  tooltip = ''
  title = ''
  menu: unknown = null
  constructor() {
    super()
    FakeTray.last = this
  }
  setToolTip(t: string) {
    this.tooltip = t
  }
  setTitle(t: string) {
    this.title = t
  }
  setContextMenu(m: unknown) {
    this.menu = m
  }
  destroy() {}
}

export const safeStorageState = { available: true, backend: 'gnome_libsecret' }

export const fake = {
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) =>
      handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  shell: {
    openExternal: vi.fn(async () => undefined),
    openPath: vi.fn(async (_path: string) => ''),
  },
  Notification: FakeNotification,
  Tray: FakeTray,
  Menu: { buildFromTemplate: (template: unknown[]) => ({ items: template }) },
  nativeImage: { createFromPath: () => ({}) },
  app: { setBadgeCount: vi.fn(), badgeCount: 0 },
  safeStorage: {
    isEncryptionAvailable: () => safeStorageState.available,
    getSelectedStorageBackend: () => safeStorageState.backend,
    // Stands in for the OS keychain: reversible, and never the plain text.
    encryptString: (text: string) => Buffer.from(Buffer.from(text).map((b) => b ^ 0x5a)),
    decryptString: (buffer: Buffer) => Buffer.from(buffer.map((b) => b ^ 0x5a)).toString(),
  },
}
export default fake
