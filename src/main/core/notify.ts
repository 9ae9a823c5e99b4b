import type { NotificationPreferences } from '../../shared/ipc'
import type { Message, Role, Thread } from '../../shared/protocol'

export type Decision = 'urgent' | 'normal' | 'badge' | 'none'

export const defaultNotificationPreferences: NotificationPreferences = {
  mutedProjectIds: [],
  onlyAssignedToMe: false,
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  urgentAlways: true,
  sound: true,
}

export interface DecisionInput {
  message: Pick<Message, 'authorId' | 'urgent' | 'internal' | 'createdAt'>
  thread: Pick<Thread, 'id' | 'projectId' | 'assigneeId'>
  authorRole: Role | null
  me: string
  prefs: NotificationPreferences
  /** The thread open in the inbox, and whether the window has focus. */
  focus: { threadId: string | null; windowFocused: boolean }
  now: Date
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Quiet hours may wrap midnight (22:00 to 07:00). */
export function inQuietHours(prefs: NotificationPreferences, now: Date): boolean {
  if (!prefs.quietHours.enabled) return false
  const t = now.getHours() * 60 + now.getMinutes()
  const start = minutes(prefs.quietHours.start)
  const end = minutes(prefs.quietHours.end)
  return start <= end ? t >= start && t < end : t >= start || t < end
}

/**
 * What a new message deserves. Only customers' and subcontractors' messages interrupt; what a
 * colleague writes only counts on the badge. A message in the thread the person is reading, with
 * the window focused, needs nothing. Muted projects, "only my threads" and quiet hours turn an
 * alert into a badge, except that an urgent message always alerts when the person asked for that.
 */
export function decide(input: DecisionInput): Decision {
  const { message, thread, prefs } = input
  if (message.authorId === input.me) return 'none'
  if (input.focus.windowFocused && input.focus.threadId === thread.id) return 'none'
  const fromCustomerSide = input.authorRole === 'customer' || input.authorRole === 'subcontractor'
  if (!fromCustomerSide) return 'badge'
  const urgentOverride = message.urgent && prefs.urgentAlways
  const silenced =
    prefs.mutedProjectIds.includes(thread.projectId) ||
    (prefs.onlyAssignedToMe && thread.assigneeId !== input.me) ||
    inQuietHours(prefs, input.now)
  if (silenced && !urgentOverride) return 'badge'
  return message.urgent ? 'urgent' : 'normal'
}
