import type { PortalDb } from '../db/handle'
import { isoIn, type Clock } from '../../../src/shared/clock'
import { foldIntoSummary, lastUrgentMail } from '../repositories/mail-outbox'
import type { MailItem } from './mail-item'

/** While urgent messages keep arriving in a thread, a staff member gets one email per window. */
export const URGENT_WINDOW_MS = 15 * 60_000

export interface UrgentAlert {
  /** The full alert, sent as it is when no window is running for this thread and person. */
  alert: MailItem & { threadId: string }
  threadSubject: string
  projectName: string
  authorName: string
  /** The newest message's excerpt, already quoted. */
  excerpt: string
  link: string
}

/**
 * Urgent alerts are gathered per thread and recipient, so a customer who writes "flood" a
 * thousand times sends a thousand messages but not a thousand emails to each staff member:
 *
 * - the first urgent message goes out at once, as its own alert;
 * - the ones after it, until a window (15 minutes on the server clock) has passed since that
 *   alert went, are folded into one summary ("3 more urgent messages …") due at the window's end;
 * - messages arriving after the summary went open the next window from it; once a window passes
 *   quietly, the next urgent message is an alert of its own again.
 *
 * The state is the mail outbox itself: the newest urgent mail for this thread and person, and
 * whether it is still waiting. A summary is folded into only while it is not yet due, so the
 * sender never delivers a row that is being rewritten. Runs in the message's own transaction,
 * like every enqueue.
 */
export async function queueUrgentAlert(
  trx: PortalDb,
  enqueue: (item: MailItem) => Promise<void>,
  clock: Clock,
  urgent: UrgentAlert,
): Promise<void> {
  const { alert } = urgent
  const now = clock.now()
  const last = await lastUrgentMail(trx, alert.threadId, alert.to)

  if (
    last?.kind === 'urgent-summary' &&
    !last.sent_at &&
    last.attempts === 0 &&
    Date.parse(last.next_attempt_at) > now
  ) {
    await foldIntoSummary(trx, last.id, summary(urgent, last.message_count + 1))
    return
  }

  const wentAt = last ? Date.parse(last.sent_at ?? last.next_attempt_at) : null
  if (wentAt === null || wentAt <= now - URGENT_WINDOW_MS) {
    await enqueue(alert)
    return
  }
  const dueInMs = Math.max(wentAt + URGENT_WINDOW_MS - now, 1000)
  await enqueue({
    ...alert,
    kind: 'urgent-summary',
    ...summary(urgent, 1),
    dueAt: isoIn(clock, dueInMs),
  })
}

function summary(u: UrgentAlert, count: number): { subject: string; text: string } {
  const more = `${count} more urgent message${count === 1 ? '' : 's'}`
  const minutes = URGENT_WINDOW_MS / 60_000
  return {
    subject: `URGENT: ${more} (${u.projectName}): ${u.threadSubject}`,
    text: [
      `${more} arrived in "${u.threadSubject}" on ${u.projectName} after the last alert you were sent. The latest, from ${u.authorName}:`,
      '',
      u.excerpt,
      '',
      `Open it in Portal Inbox: ${u.link}`,
      '',
      `While urgent messages keep arriving in one conversation, you get one email about them every ${minutes} minutes.`,
    ].join('\n'),
  }
}
