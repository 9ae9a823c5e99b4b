import { Notification } from 'electron'
import type { NotificationEvent } from '../../shared/ipc'

/**
 * Native notifications for what the engine's policy decided deserves one. A click brings the
 * window forward and opens the thread. Notifications can be paused from the tray.
 */
export class NativeNotifications {
  private pausedUntil = 0

  constructor(private readonly openThread: (threadId: string) => void) {}

  pause(ms: number): void {
    this.pausedUntil = Date.now() + ms
  }

  get paused(): boolean {
    return Date.now() < this.pausedUntil
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
    notification.show()
    return notification
  }
}
