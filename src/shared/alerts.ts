import type { NotificationEvent } from './ipc'

/**
 * Alerts gather instead of piling up: five urgent messages are one alert, "5 new urgent
 * messages", not a stack of five, and a catch-up after a night offline is one or two alerts, not
 * hundreds. The engine gathers each synced batch, the inbox page what arrives while an alert is
 * still on screen; both with these functions, so they say it in the same words. A gathered alert
 * points at the newest message and keeps its sentence.
 */
export function gatherAlerts(
  earlier: NotificationEvent | null,
  next: NotificationEvent,
): NotificationEvent {
  if (!earlier || earlier.kind !== next.kind) return next
  const count = (earlier.count ?? 1) + (next.count ?? 1)
  return {
    ...next,
    count,
    title: `${count.toLocaleString('en')} new ${next.kind === 'urgent' ? 'urgent ' : ''}messages`,
    body: newestOf(next),
  }
}

/** One alert per kind for a batch of messages, urgent first. */
export function gatherBatch(alerts: readonly NotificationEvent[]): NotificationEvent[] {
  const byKind = new Map<NotificationEvent['kind'], NotificationEvent>()
  for (const alert of alerts)
    byKind.set(alert.kind, gatherAlerts(byKind.get(alert.kind) ?? null, alert))
  return (['urgent', 'normal'] as const)
    .map((kind) => byKind.get(kind))
    .filter((alert): alert is NotificationEvent => alert !== undefined)
}

function newestOf(alert: NotificationEvent): string {
  if (alert.count) return alert.body
  return `Newest: ${alert.body}`.slice(0, 240)
}
