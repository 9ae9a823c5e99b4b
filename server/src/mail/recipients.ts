import type { PortalDb } from '../db/handle'
import type { ThreadRow, UserRow } from '../db/schema'
import { parsePreferences } from '../domain/settings'
import { personIfAny } from '../repositories/mail-outbox'
import { projectPeople, threadPeople } from '../repositories/participants'

/** Why a person is among those a new message reaches. */
export type ReachedAs = 'participant' | 'team' | 'assignee'
export interface Reached {
  person: UserRow
  as: ReachedAs[]
}

const staffRole = (p: UserRow) => p.role === 'admin' || p.role === 'staff'

/**
 * The people a new message in the thread reaches, in the order their mail is queued: a staff
 * message reaches the thread's customers and subcontractors; a customer's reaches the staff in
 * the thread, on the project's team and the assignee. The author is never among them. The mail
 * queue and "Who is notified" both ask this, so they cannot disagree about who hears of a message.
 */
export async function newMessageAudience(
  db: PortalDb,
  thread: ThreadRow,
  writer: { authorId: string | null; fromStaff: boolean },
): Promise<Reached[]> {
  const participants = (await threadPeople(db, thread.id)).filter((p) => p.id !== writer.authorId)
  if (writer.fromStaff)
    return participants
      .filter((p) => !staffRole(p))
      .map((person) => ({ person, as: ['participant'] }))
  const team = await projectPeople(db, thread.project_id, ['admin', 'staff'])
  const assignee = thread.assignee_id ? await personIfAny(db, thread.assignee_id) : undefined
  const staff = new Map<string, Reached>()
  const add = (people: UserRow[], as: ReachedAs) => {
    for (const person of people) {
      if (!staffRole(person) || person.id === writer.authorId) continue
      const known = staff.get(person.id)
      if (known) known.as.push(as)
      else staff.set(person.id, { person, as: [as] })
    }
  }
  add(participants, 'participant')
  add(team, 'team')
  add(assignee ? [assignee] : [], 'assignee')
  return [...staff.values()]
}

/** Whether a new message is mailed to the person, and as what; when not, why, in plain words. */
export type MailVerdict =
  { on: true; kind: 'new-message' | 'customer-message' | 'urgent' } | { on: false; reason: string }

/** The "who gets mail" rule for one person of the message's audience. */
export function newMessageMail(
  person: UserRow,
  message: { internal: boolean; urgent: boolean },
): MailVerdict {
  const prefs = parsePreferences(person.preferences, person.role)
  if (staffRole(person)) {
    if (message.urgent && prefs.emailUrgent) return { on: true, kind: 'urgent' }
    if (prefs.emailOnNewMessage) return { on: true, kind: 'customer-message' }
    return {
      on: false,
      reason: `opted out of email for new customer messages${prefs.emailUrgent ? ' (urgent ones are still mailed)' : ''}`,
    }
  }
  if (message.internal) return { on: false, reason: 'internal notes reach no customer' }
  if (!person.portal_access) return { on: false, reason: 'no portal access' }
  if (!prefs.emailOnNewMessage) return { on: false, reason: 'opted out of message alerts by email' }
  return { on: true, kind: 'new-message' }
}
