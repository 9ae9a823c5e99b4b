import type { MailLogEntry } from '../../../src/shared/protocol'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import type { PortalDb } from '../db/handle'
import type { MailRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { AppError } from '../errors'
import type { MailItem } from '../mail/mail-item'
import type { MailQueue } from '../mail/queue'
import { MAX_ATTEMPTS } from '../mail/sender'
import { findForCaller } from '../repositories/find'
import { mailCountSince, mailLog } from '../repositories/mail-outbox'
import type { Written } from './written'

/** Test mails a person may send themselves in an hour: enough to try a fix, not a mail cannon. */
const TEST_MAILS_PER_HOUR = 5

export function toMailLogEntry(row: MailRow): MailLogEntry {
  const status = row.bounced_at
    ? 'bounced'
    : row.sent_at
      ? 'sent'
      : row.attempts >= MAX_ATTEMPTS
        ? 'failed'
        : row.attempts > 0
          ? 'retrying'
          : 'queued'
  return {
    id: row.id,
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    threadId: row.thread_id,
    createdAt: row.created_at,
    status,
    sentAt: row.sent_at,
    nextAttemptAt: status === 'queued' || status === 'retrying' ? row.next_attempt_at : null,
    attempts: row.attempts,
    problem: row.bounce_reason ?? row.last_error,
  }
}

/**
 * The delivery log (the help page's "Staff not receiving notifications"): the mail sent to me,
 * and for admins to anyone in the company, with what became of each; and a test mail that
 * shows whether mail reaches me at all.
 */
export class MailLogService {
  constructor(
    private readonly db: PortalDb,
    private readonly ports: { mail: MailQueue; clock: Clock },
  ) {}

  async mine(caller: Caller, limit: number): Promise<MailLogEntry[]> {
    const rows = await mailLog(this.db, caller.companyId, { to: caller.email, limit })
    return rows.map(toMailLogEntry)
  }

  async company(caller: Caller, limit: number, personId?: string): Promise<MailLogEntry[]> {
    const person = personId
      ? await findForCaller(this.db, caller, { kind: 'person', id: personId, in: 'company' })
      : undefined
    const rows = await mailLog(this.db, caller.companyId, { to: person?.email, limit })
    return rows.map(toMailLogEntry)
  }

  async sendTest(caller: Caller): Promise<Written<{ mail: MailLogEntry }>> {
    const { clock } = this.ports
    const { result: mail, changed } = await queueOwnMail(
      this.db,
      this.ports,
      caller,
      {
        kind: 'test',
        perHour: TEST_MAILS_PER_HOUR,
        refusal: `You sent yourself ${TEST_MAILS_PER_HOUR} test emails in the last hour. Check the delivery log below for what became of them, and try again later.`,
      },
      async () => ({
        companyId: caller.companyId,
        kind: 'test',
        to: caller.email,
        subject: 'Portal Inbox test: your email alerts reach you',
        text: [
          `Hello ${caller.name},`,
          '',
          `This is the test you asked for at ${nowIso(clock).slice(0, 16).replace('T', ' ')} UTC: email alerts from Portal Inbox reach you at ${caller.email}.`,
          '',
          'If you found it in a spam or junk folder, mark it as not spam, so alerts arrive in your inbox.',
        ].join('\n'),
      }),
    )
    return { result: { mail }, changed }
  }
}

/**
 * A mail a person asked to be sent to themselves (a test, a digest preview), at most `perHour`
 * of its kind to them an hour (then `refusal`), written in the transaction that queues it.
 * Answers its delivery log entry, as queued.
 */
export async function queueOwnMail(
  db: PortalDb,
  ports: { mail: MailQueue; clock: Clock },
  caller: Caller,
  limit: { kind: MailItem['kind']; perHour: number; refusal: string },
  write: (trx: PortalDb) => Promise<MailItem>,
): Promise<Written<MailLogEntry>> {
  const sent = await mailCountSince(db, {
    kind: limit.kind,
    to: caller.email,
    since: isoIn(ports.clock, -3600_000),
  })
  if (sent >= limit.perHour) throw new AppError('RATE_LIMITED', limit.refusal)
  const row = await db.transaction().execute(async (trx) => {
    await ports.mail.enqueue(trx, await write(trx))
    const [queued] = await mailLog(trx, caller.companyId, { to: caller.email, limit: 1 })
    return queued!
  })
  const changed = new Changed(caller.companyId)
  changed.mail = true
  return { result: toMailLogEntry(row), changed }
}
