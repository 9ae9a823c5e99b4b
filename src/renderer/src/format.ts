import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'
import type { InboxView } from '../../shared/ipc'
import { roleLabel } from '../../shared/labels'
import type { Person, Project } from '../../shared/protocol'

dayjs.extend(relativeTime)

// Times in the person's own language and clock (12- or 24-hour, as their system is set), the
// same rule as the customer portal. Formatters are made once: the list formats every row.
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const weekdayTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: 'numeric',
  minute: '2-digit',
})
const dayMonth = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const dayMonthYear = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const full = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
})

/** "10:42 AM" today, "Mon 10:42 AM" this week, "Mar 4" this year, "Mar 4, 2025" before (en-US). */
export function shortTime(iso: string, now = dayjs()): string {
  const t = dayjs(iso)
  if (t.isSame(now, 'day')) return timeOnly.format(t.toDate())
  if (now.diff(t, 'day') < 6) return weekdayTime.format(t.toDate())
  if (t.isSame(now, 'year')) return dayMonth.format(t.toDate())
  return dayMonthYear.format(t.toDate())
}

/** "Mon, Mar 4, 2026, 10:42 AM" (en-US); "Mo., 4. März 2026, 10:42" (de-DE). */
export const fullTime = (iso: string) => full.format(new Date(iso))

/** "waiting 3 hours": how long a customer has waited for an answer. */
export const waitingFor = (iso: string) => dayjs(iso).fromNow(true)

// Shared with the engine's PDF export, so a role or a status reads the same on paper.
export { roleLabel, statusLabel } from '../../shared/labels'

/**
 * A person's role in a thread of this project. A customer who is none of the project's contacts
 * is there as a guest of the thread (an architect or a designer invited by email).
 */
export function roleIn(person: Person, project: Project | undefined): string {
  if (person.role === 'customer' && project && !project.customerIds.includes(person.id))
    return 'Guest'
  return roleLabel[person.role] ?? person.role
}

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

/** A plausible email address: the server decides, this only catches typos before a round trip. */
export const looksLikeEmail = (email: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())
