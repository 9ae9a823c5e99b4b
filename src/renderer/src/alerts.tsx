// The page's alerts for new customer messages (Electron's main process raises the native ones;
// the page says it too, so nobody misses one while working in the app). They belong to the
// person signed in: they go away by themselves, gather when many arrive, and go with the session.
import { notifications } from '@mantine/notifications'
import { useEffect, useRef } from 'react'
import { gatherAlerts } from '../../shared/alerts'
import type { NotificationEvent } from '../../shared/ipc'
import { useEngineEvent } from './engine'
import { useConnection } from './state/connection'
import { inboxRoute, useRoute } from './state/route'

/**
 * How long an alert stays when nobody touches it (hovering pauses it). Urgent ones stay longer,
 * long enough to be seen on coming back to the desk for a moment, but not for ever: the Urgent
 * view and its count keep the message after the alert has gone.
 */
export const ALERT_MS = { urgent: 60_000, normal: 10_000 } as const

type Kind = NotificationEvent['kind']

/** Mounted with the signed-in screens; unmounting (sign-out, a session the server ended) clears every alert. */
export function MessageAlerts() {
  const { openThread, navigate } = useRoute()
  const connection = useConnection()
  // The alert of each kind on screen now, so the next one of that kind joins it.
  const shown = useRef(new Map<Kind, { id: string; alert: NotificationEvent }>())
  const sequence = useRef(0)

  useEngineEvent('notification', (incoming) => {
    if (connection.state === 'signed-out') return
    const current = shown.current.get(incoming.kind)
    const alert = gatherAlerts(current?.alert ?? null, incoming)
    // A new id restarts the time it stays: the newest message deserves the full while.
    if (current) notifications.hide(current.id)
    const id = `alert-${incoming.kind}-${++sequence.current}`
    shown.current.set(incoming.kind, { id, alert })
    notifications.show({
      id,
      title: alert.title,
      message: alert.body,
      color: alert.kind === 'urgent' ? 'red' : 'blue',
      autoClose: ALERT_MS[alert.kind],
      withBorder: true,
      'data-alert': alert.kind,
      onClose: () => {
        if (shown.current.get(alert.kind)?.id === id) shown.current.delete(alert.kind)
      },
      onClick: () => {
        notifications.hide(id)
        // One message opens its thread; several open the view that lists them all.
        if (!alert.count) openThread(alert.threadId)
        else navigate(inboxRoute(alert.kind === 'urgent' ? 'urgent' : 'unread'))
      },
    })
  })

  useEffect(
    () => () => {
      // Whatever is on screen (alerts and the small confirmations alike) was for this person.
      notifications.clean()
      shown.current.clear()
    },
    [],
  )
  return null
}
