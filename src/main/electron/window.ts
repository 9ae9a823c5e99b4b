import path from 'node:path'
import { BrowserWindow, type Rectangle } from 'electron'
import { APP_ORIGIN, hardenWebContents } from './security'

export interface BoundsStore {
  get(): Rectangle | undefined
  set(bounds: Rectangle): void
}

/** The main window, with Electron's security checklist applied: isolated, sandboxed, no Node in the page. */
export function createMainWindow(options: {
  preload: string
  devServerUrl?: string
  origins: string[]
  bounds: BoundsStore
}): BrowserWindow {
  const saved = options.bounds.get()
  const window = new BrowserWindow({
    width: saved?.width ?? 1280,
    height: saved?.height ?? 820,
    ...(saved && { x: saved.x, y: saved.y }),
    minWidth: 760,
    minHeight: 480,
    title: 'Portal Inbox',
    show: false,
    webPreferences: {
      // electronegativity-justified: the preload is our own sandboxed bundle that exposes only the IPC contract's functions through contextBridge.
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      // Middle-click would open links in new windows around the window-open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  })
  hardenWebContents(window.webContents, options.origins)
  window.once('ready-to-show', () => window.show())
  const remember = () => {
    if (!window.isMinimized() && !window.isMaximized()) options.bounds.set(window.getBounds())
  }
  window.on('resize', remember)
  window.on('move', remember)
  if (options.devServerUrl) void window.loadURL(options.devServerUrl)
  else void window.loadURL(`${APP_ORIGIN}/index.html`)
  return window
}

export const preloadPath = (mainDir: string) => path.join(mainDir, '../preload/index.cjs')
