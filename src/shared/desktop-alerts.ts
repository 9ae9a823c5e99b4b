import type { DesktopAlerts } from './protocol'

/**
 * Why a customer's message would not pop up on a staff member's desktop (it still counts on the
 * badge). The engine decides its alerts by this, and the server's "Who is notified" explains a
 * colleague's with it, so the two cannot tell different stories.
 */
export type DesktopSilence = 'muted' | 'only-assigned' | 'quiet-hours'

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Quiet hours may wrap midnight (22:00 to 07:00). The minute is of the day where the person is. */
export function inQuietMinutes(quiet: DesktopAlerts['quietHours'], minuteOfDay: number): boolean {
  if (!quiet.enabled) return false
  const start = minutes(quiet.start)
  const end = minutes(quiet.end)
  return start <= end
    ? minuteOfDay >= start && minuteOfDay < end
    : minuteOfDay >= start || minuteOfDay < end
}

export function desktopSilence(
  prefs: DesktopAlerts,
  at: { projectId: string; assigneeId: string | null; me: string; minuteOfDay: number },
): DesktopSilence | null {
  if (prefs.mutedProjectIds.includes(at.projectId)) return 'muted'
  if (prefs.onlyAssignedToMe && at.assigneeId !== at.me) return 'only-assigned'
  if (inQuietMinutes(prefs.quietHours, at.minuteOfDay)) return 'quiet-hours'
  return null
}
