import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'
import type { InboxView } from '../../shared/ipc'

dayjs.extend(relativeTime)

/** "10:42" today, "Mon 10:42" this week, "Mar 4" this year, "Mar 4, 2025" before. */
export function shortTime(iso: string, now = dayjs()): string {
  const t = dayjs(iso)
  if (t.isSame(now, 'day')) return t.format('HH:mm')
  if (now.diff(t, 'day') < 6) return t.format('ddd HH:mm')
  if (t.isSame(now, 'year')) return t.format('MMM D')
  return t.format('MMM D, YYYY')
}

export const fullTime = (iso: string) => dayjs(iso).format('ddd, MMM D, YYYY [at] HH:mm')

/** "waiting 3 hours": how long a customer has waited for an answer. */
export const waitingFor = (iso: string) => dayjs(iso).fromNow(true)

// Shared with the engine's PDF export, so a role or a status reads the same on paper.
export { roleLabel, statusLabel } from '../../shared/labels'

export const viewLabel: Record<InboxView, string> = {
  all: 'All',
  unread: 'Unread',
  urgent: 'Urgent',
  assigned: 'Assigned to me',
  waiting: 'Waiting on us',
  snoozed: 'Snoozed',
  closed: 'Closed',
}

/** The inbox views in the navbar's order (the record above lists every one; the compiler checks). */
export const inboxViews = Object.keys(viewLabel) as InboxView[]

/**
 * A reason as a sentence of its own, with one full stop: the engine's and the server's sentences
 * already end in one ("…attach it as a document."), and adding another gave "document..".
 */
export function asSentence(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return ''
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1)
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`
}
