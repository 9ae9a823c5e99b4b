import { desktopSilence, type DesktopSilence } from '../../../src/shared/desktop-alerts'
import type {
  DesktopAlerts,
  NotifiedChannel,
  NotifiedPerson,
  WhoIsNotified,
} from '../../../src/shared/protocol'
import { nowDate, type Clock } from '../../../src/shared/clock'
import type { PortalDb } from '../db/handle'
import type { ThreadRow, UserRow } from '../db/schema'
import { isStaff, type Caller } from '../domain/caller'
import { parsePreferences } from '../domain/settings'
import { forbidden } from '../errors'
import { newMessageAudience, newMessageMail, type Reached } from '../mail/recipients'
import { loadCompany } from '../repositories/companies'
import { canSee } from '../repositories/participants'
import { visibleThreadRow } from '../repositories/threads'

/** The message "Who is notified" is about: an ordinary one, neither urgent nor an internal note. */
const ordinary = { internal: false, urgent: false }

const off = (channel: NotifiedChannel['channel'], reason: string): NotifiedChannel => ({
  channel,
  on: false,
  reason,
})
const on = (
  channel: NotifiedChannel['channel'],
  reason: string | null = null,
): NotifiedChannel => ({
  channel,
  on: true,
  reason,
})

function silenceWords(why: DesktopSilence, prefs: DesktopAlerts): string {
  const words = {
    muted: 'muted this project',
    'only-assigned': 'alerts only for conversations assigned to them',
    'quiet-hours': `quiet hours ${prefs.quietHours.start}–${prefs.quietHours.end}`,
  }[why]
  return prefs.urgentAlways ? `${words} (urgent messages still alert)` : words
}

/** The minute of the day on the server's clock in the company's time zone, where quiet hours are judged. */
function minuteIn(zone: string, at: Date): number {
  const format = (timeZone: string) =>
    new Intl.DateTimeFormat('en-US', {
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
      timeZone,
    })
  let parts: Intl.DateTimeFormatPart[]
  try {
    parts = format(zone).formatToParts(at)
  } catch {
    // Settings are validated, but a zone the runtime does not know falls back to UTC.
    parts = format('UTC').formatToParts(at)
  }
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return part('hour') * 60 + part('minute')
}

/**
 * "Who is notified" in a thread (the help page's "Staff not receiving notifications"): everyone a
 * new customer message or a new staff message reaches, by the same audience and mail rule the mail
 * queue uses, with each channel and, when it stays silent, why.
 */
export class WhoIsNotifiedService {
  constructor(
    private readonly db: PortalDb,
    private readonly clock: Clock,
  ) {}

  async forThread(caller: Caller, threadId: string): Promise<WhoIsNotified> {
    if (!isStaff(caller))
      throw forbidden('Only staff see who is notified in a conversation; ask a staff member.')
    const thread = await visibleThreadRow(this.db, caller, threadId)
    const { settings } = await loadCompany(this.db, caller.companyId)
    const minuteOfDay = minuteIn(settings.businessHours.timezone, nowDate(this.clock))
    const staff = await newMessageAudience(this.db, thread, { authorId: null, fromStaff: false })
    const customers = await newMessageAudience(this.db, thread, { authorId: null, fromStaff: true })
    const people: NotifiedPerson[] = []
    for (const reached of staff)
      people.push(
        row(reached, 'customer-message', [
          await this.desktop(reached.person, thread, minuteOfDay),
          email(reached.person),
          off('portal', 'staff read conversations in Portal Inbox, not the portal'),
        ]),
      )
    for (const reached of customers)
      people.push(
        row(reached, 'staff-message', [
          off('desktop', 'customers and subcontractors have no desktop app'),
          email(reached.person),
          reached.person.portal_access
            ? on('portal', 'sees it next time they open the portal')
            : off('portal', 'no portal access'),
        ]),
      )
    return {
      threadId: thread.id,
      people,
      internalNote: 'An internal note reaches no customer or subcontractor: only staff see it.',
    }
  }

  private async desktop(person: UserRow, thread: ThreadRow, minuteOfDay: number) {
    // The desktop app only hears of the threads its person may see.
    if (!(await canSee(this.db, person.id, thread)))
      return off(
        'desktop',
        'not on the project: their Portal Inbox does not receive this conversation',
      )
    const prefs = parsePreferences(person.preferences, person.role).desktop
    if (!prefs) return on('desktop', 'desktop alerts on (default)')
    const why = desktopSilence(prefs, {
      projectId: thread.project_id,
      assigneeId: thread.assignee_id,
      me: person.id,
      minuteOfDay,
    })
    return why ? off('desktop', silenceWords(why, prefs)) : on('desktop')
  }
}

function email(person: UserRow): NotifiedChannel {
  const verdict = newMessageMail(person, ordinary)
  return verdict.on ? on('email') : off('email', verdict.reason)
}

function row(
  reached: Reached,
  when: NotifiedPerson['when'],
  channels: NotifiedChannel[],
): NotifiedPerson {
  const { person, as } = reached
  return { id: person.id, name: person.name, role: person.role, as, when, channels }
}
