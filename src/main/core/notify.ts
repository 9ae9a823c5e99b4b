import type { NotificationPreferences } from '../../shared/ipc'
import type { Message, Role, Thread } from '../../shared/protocol'
import { desktopSilence, inQuietMinutes } from '../../shared/desktop-alerts'

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

const localMinute = (now: Date) => now.getHours() * 60 + now.getMinutes()

/** Quiet hours are judged on this computer's clock. */
export function inQuietHours(prefs: NotificationPreferences, now: Date): boolean {
  return inQuietMinutes(prefs.quietHours, localMinute(now))
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
    desktopSilence(prefs, {
      projectId: thread.projectId,
      assigneeId: thread.assigneeId,
      me: input.me,
      minuteOfDay: localMinute(input.now),
    }) !== null
  if (silenced && !urgentOverride) return 'badge'
  return message.urgent ? 'urgent' : 'normal'
}
