// Composition root of the Electron app: the engine (src/main/core) with the thin Electron glue
// around it. All logic lives in the engine; this file only wires it to windows, IPC, tray,
// notifications, deep links and updates.
import fs from 'node:fs'
import path from 'node:path'
import type { BrowserWindow } from 'electron'
import { app, dialog, session } from 'electron'
import Store from 'electron-store'
import { Engine } from './core/engine'
import { createHandlers } from './core/handlers'
import { COMMAND_CHANNEL } from '../shared/ipc-names'
import { registerAppScheme, serveRenderer } from './electron/app-protocol'
import { SafeStorageTokenStore } from './electron/credentials'
import { DEEP_LINK_SCHEME, deepLinkInArgs, threadFromDeepLink } from './electron/deep-links'
import { reportDownloads } from './electron/downloads'
import { forwardEvents, registerIpc } from './electron/ipc'
import { buildMenu } from './electron/menu'
import { NativeNotifications } from './electron/notifications'
import { openWithSystem } from './electron/open-path'
import {
  denyAllPermissions,
  enforceContentSecurityPolicy,
  trustedOrigins,
} from './electron/security'
import { InboxTray } from './electron/tray'
import { startUpdates } from './electron/updater'
import { createMainWindow, preloadPath } from './electron/window'

interface Settings {
  bounds?: Electron.Rectangle
  updateFeedUrl?: string
}

const devServerUrl = process.env.ELECTRON_RENDERER_URL
const origins = trustedOrigins(devServerUrl)
registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // electronegativity-justified: portal-inbox:// links are parsed by threadFromDeepLink, which accepts only thread/<uuid> and only ever opens that thread.
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)
  void main()
}

async function main(): Promise<void> {
  await app.whenReady()
  const settings = new Store<Settings>({ name: 'settings' })
  const dataDir = path.join(app.getPath('userData'), 'inbox')
  const tokens = new SafeStorageTokenStore(path.join(app.getPath('userData'), 'session.bin'))
  // better-sqlite3 built for Electron's ABI sits in its own folder (scripts/rebuild-native.ts).
  const nativeBinding = app.isPackaged
    ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(app.getAppPath(), 'build', 'native-electron', 'better_sqlite3.node')
  if (!fs.existsSync(nativeBinding)) {
    dialog.showErrorBox(
      'Portal Inbox cannot open its local cache',
      `The database module built for this version of Electron is missing (${nativeBinding}). Run "npm run rebuild:electron" with a network connection, or reinstall Portal Inbox.`,
    )
    app.quit()
    return
  }
  const engine = await Engine.open({ dataDir, tokens, nativeBinding, openPath: openWithSystem })
  const api = createHandlers(engine)

  for (const s of [session.defaultSession]) {
    denyAllPermissions(s)
    enforceContentSecurityPolicy(s)
    reportDownloads(s)
  }
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })
  if (!devServerUrl) serveRenderer(path.join(import.meta.dirname, '../renderer'))

  let window: BrowserWindow | null = null
  const show = () => {
    if (!window || window.isDestroyed())
      window = createMainWindow({
        preload: preloadPath(import.meta.dirname),
        devServerUrl,
        origins,
        bounds: { get: () => settings.get('bounds'), set: (b) => settings.set('bounds', b) },
      })
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
    return window
  }
  const openThread = (threadId: string) => {
    show()
    engine.events.emit('navigate', { threadId })
  }

  registerIpc(api, origins)
  forwardEvents(engine.events, () => (window && !window.isDestroyed() ? window.webContents : null))
  const notifications = new NativeNotifications(openThread)
  engine.events.on('notification', (event) => notifications.show(event))
  engine.desktopAlertState = () => notifications.state()
  engine.events.on('connection', (connection) => notifications.connectionChanged(connection))
  const tray = new InboxTray(path.join(app.getAppPath(), 'resources', 'tray.png'), {
    open: show,
    pauseNotifications: () => notifications.pause(3600_000),
    quit: () => app.quit(),
  })
  engine.events.on('badge', ({ unread }) => tray.setUnread(unread))
  app.applicationMenu = buildMenu((command) => window?.webContents.send(COMMAND_CHANNEL, command))
  if (tokens.status.warning) console.warn(tokens.status.warning)

  app.on('second-instance', (_event, argv) => {
    const thread = deepLinkInArgs(argv)
    if (thread) openThread(thread)
    else show()
  })
  app.on('open-url', (event, url) => {
    event.preventDefault()
    const thread = threadFromDeepLink(url)
    if (thread) openThread(thread)
  })
  app.on('window-all-closed', () => {
    // The tray keeps the inbox running (and notifying) with no window open.
  })
  app.on('before-quit', () => {
    tray.destroy()
    void engine.close()
  })

  // `npm start` signs the app in to the demo server it started: "<server> <email> <password>".
  const demo = process.env.PORTAL_INBOX_SIGNIN?.split(' ')
  if (demo?.length === 3 && engine.sync.connection().state === 'signed-out') {
    await engine.sync
      .signIn(demo[0]!, demo[1]!, demo[2]!)
      .catch((err: Error) => console.warn(`Demo sign-in failed: ${err.message}`))
  }

  show()
  const first = deepLinkInArgs(process.argv)
  if (first) openThread(first)
  startUpdates(
    settings.get('updateFeedUrl') ?? null,
    { info: (m) => console.log(m), warn: (m) => console.warn(m) },
    () => undefined,
  )
}
