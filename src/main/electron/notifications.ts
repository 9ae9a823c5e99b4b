import { Notification } from 'electron'
import type { Connection, DesktopAlertState, NotificationEvent } from '../../shared/ipc'

/**
 * Native notifications for what the engine's policy decided deserves one. A click brings the
 * window forward and opens the thread. Notifications can be paused from the tray. They belong
 * to the person signed in: signing out, or a session the server ended, closes the ones still
 * shown, so a customer's words never wait on the screen for whoever signs in next.
 */
export class NativeNotifications {
  private pausedUntil = 0
  /** Shown and not yet closed; Electron also needs a reference kept for click events to fire. */
  private readonly shown = new Set<Notification>()

  constructor(private readonly openThread: (threadId: string) => void) {}

  pause(ms: number): void {
    this.pausedUntil = Date.now() + ms
  }

  get paused(): boolean {
    return Date.now() < this.pausedUntil
  }

  /** What Settings says about the alerts: Electron can tell whether the system has a service, not whether the person allowed the app in it. */
  state(): DesktopAlertState {
    return {
      os: Notification.isSupported() ? 'supported' : 'unsupported',
      pausedUntil: this.paused ? new Date(this.pausedUntil).toISOString() : null,
    }
  }

  show(event: NotificationEvent): Notification | null {
    if (this.paused || !Notification.isSupported()) return null
    const notification = new Notification({
      title: event.title,
      body: event.body,
      silent: !event.sound,
      urgency: event.kind === 'urgent' ? 'critical' : 'normal',
    })
    notification.on('click', () => this.openThread(event.threadId))
    notification.on('close', () => this.shown.delete(notification))
    this.shown.add(notification)
    notification.show()
    return notification
  }

  /** The engine's connection changed: signed out (by the person or the server) closes them all. */
  connectionChanged(connection: Connection): void {
    if (connection.state === 'signed-out') this.closeAll()
  }

  closeAll(): void {
    for (const notification of [...this.shown]) notification.close()
    this.shown.clear()
  }
}
