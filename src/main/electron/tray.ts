import { app, Menu, nativeImage, Tray } from 'electron'

export interface TrayActions {
  open(): void
  pauseNotifications(): void
  quit(): void
}

/** The tray icon: the unread count in its tooltip (and title on macOS), and open / pause / quit. */
export class InboxTray {
  private readonly tray: Tray
  private unread = 0

  constructor(
    iconPath: string,
    private readonly actions: TrayActions,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(iconPath))
    this.tray.on('click', () => actions.open())
    this.render()
  }

  setUnread(count: number): void {
    this.unread = count
    this.render()
    // The dock (macOS) and taskbar (Windows, Unity) badge.
    app.setBadgeCount(count)
  }

  private render(): void {
    const label =
      this.unread === 0
        ? 'Portal Inbox: no unread messages'
        : `Portal Inbox: ${this.unread} unread message${this.unread === 1 ? '' : 's'}`
    this.tray.setToolTip(label)
    if (process.platform === 'darwin') this.tray.setTitle(this.unread ? String(this.unread) : '')
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        {
          label: this.unread ? `Open Portal Inbox (${this.unread} unread)` : 'Open Portal Inbox',
          click: () => this.actions.open(),
        },
        {
          label: 'Pause notifications for an hour',
          click: () => this.actions.pauseNotifications(),
        },
        { type: 'separator' },
        { label: 'Quit', click: () => this.actions.quit() },
      ]),
    )
  }

  destroy(): void {
    this.tray.destroy()
  }
}
