import { NotificationPreferences } from '../../shared/ipc'
import type { DesktopAlerts } from '../../shared/protocol'
import type { PortalApi } from './api'
import type { CacheStore } from './cache/store'
import { defaultNotificationPreferences } from './notify'

const KEY = 'notificationPreferences'
/** The settings changed here and not yet on the server (offline, or the write failed): '' when none. */
const UNSENT = 'desktopAlertsUnsent'

/** What the server keeps: everything but the sound, which is this computer's own business. */
const serverPart = ({ sound: _sound, ...desktop }: NotificationPreferences): DesktopAlerts =>
  desktop

/**
 * The person's desktop alert settings. The engine decides its alerts by its local copy, which
 * works offline; the server keeps a copy too, so a colleague's "Who is notified" can say "muted
 * this project" or "quiet hours". A change is sent when made; one made offline is sent at the
 * next /me (sign-in or reconnect), and otherwise the server's copy, set on another computer,
 * comes back at sign-in.
 */
export class DesktopAlertSettings {
  constructor(
    private readonly store: CacheStore,
    private readonly api: () => PortalApi | null,
  ) {}

  get(): NotificationPreferences {
    const stored = this.store.getMeta(KEY)
    return stored
      ? {
          ...defaultNotificationPreferences,
          ...(JSON.parse(stored) as Partial<NotificationPreferences>),
        }
      : defaultNotificationPreferences
  }

  set(patch: Partial<NotificationPreferences>): NotificationPreferences {
    const next = NotificationPreferences.parse({ ...this.get(), ...patch })
    this.store.setMeta(KEY, JSON.stringify(next))
    this.store.setMeta(UNSENT, JSON.stringify(serverPart(next)))
    this.send()
    return next
  }

  /** The server's copy, from /me. A change not sent yet wins over it; none on the server gets ours. */
  fromServer(desktop: DesktopAlerts | undefined): void {
    if (this.store.getMeta(UNSENT) || (!desktop && this.store.getMeta(KEY))) return this.send()
    if (!desktop) return
    const next = NotificationPreferences.safeParse({ ...this.get(), ...desktop })
    if (next.success) this.store.setMeta(KEY, JSON.stringify(next.data))
  }

  private send(): void {
    const api = this.api()
    if (!api) return
    const desktop = serverPart(this.get())
    const sent = JSON.stringify(desktop)
    api.saveDesktopAlerts(desktop).then(
      // A change made while this one travelled stays unsent.
      () => {
        if (this.store.getMeta(UNSENT) === sent) this.store.setMeta(UNSENT, '')
      },
      () => {
        // Offline or refused: kept unsent; the next /me (reconnect, sign-in) sends it again.
        this.store.setMeta(UNSENT, sent)
      },
    )
  }
}
