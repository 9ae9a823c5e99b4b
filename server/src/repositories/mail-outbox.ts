import { sql, type Kysely } from 'kysely'
import type { Database, MailRow, UserRow } from '../db/schema'
import { firstWhere } from './rows'

type Db = Kysely<Database>

/**
 * The mail outbox table: rows are written in the transaction of the change that causes them and
 * delivered by the sender (mail/sender.ts), by priority, then age.
 */

export async function insertMail(db: Db, row: MailRow): Promise<void> {
  await db.insertInto('mail_outbox').values(row).execute()
}

export function personIfAny(db: Db, id: string): Promise<UserRow | undefined> {
  return firstWhere(db, 'users', { id })
}

/** Whether mail of this kind went to this address about this thread after `since`. */
export async function mailedSince(
  db: Db,
  m: { threadId: string; kind: string; to: string; since: string },
): Promise<boolean> {
  const recent = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where('thread_id', '=', m.threadId)
    .where('kind', '=', m.kind)
    .where('to_address', '=', m.to)
    .where('created_at', '>', m.since)
    .executeTakeFirst()
  return Boolean(recent)
}

/** The newest urgent alert or summary for this thread and address. */
export function lastUrgentMail(db: Db, threadId: string, to: string) {
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'kind', 'sent_at', 'next_attempt_at', 'attempts', 'message_count'])
    .where('thread_id', '=', threadId)
    .where('kind', 'in', ['urgent', 'urgent-summary'])
    .where('to_address', '=', to)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One more message folded into a waiting summary, with its new words. */
export async function foldIntoSummary(
  db: Db,
  id: string,
  words: { subject: string; text: string },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ message_count: sql<number>`message_count + 1`, ...words })
    .where('id', '=', id)
    .execute()
}

/** The most important mail due at `now` (then the oldest) with attempts left. */
export function nextDueMail(db: Db, now: string, maxAttempts: number) {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('attempts', '<', maxAttempts)
    .where('next_attempt_at', '<=', now)
    .orderBy('priority')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst()
}

export async function markMailSent(db: Db, mail: MailRow, at: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ sent_at: at, attempts: mail.attempts + 1, last_error: null })
    .where('id', '=', mail.id)
    .execute()
}

export async function markMailFailed(
  db: Db,
  id: string,
  failure: { attempts: number; nextAttemptAt: string; error: string },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      attempts: failure.attempts,
      next_attempt_at: failure.nextAttemptAt,
      last_error: failure.error,
    })
    .where('id', '=', id)
    .execute()
}

/** The company's name, which mail goes out in. */
export async function companyName(db: Db, companyId: string): Promise<string | undefined> {
  return (await firstWhere(db, 'companies', { id: companyId }))?.name
}

/** The demo's mail is never sent. */
export async function dropAllMail(db: Db): Promise<void> {
  await db.deleteFrom('mail_outbox').execute()
}

export async function mailExists(db: Db, id: string): Promise<boolean> {
  return Boolean(await firstWhere(db, 'mail_outbox', { id }))
}

/** A delivery report came back for the mail: the address did not take it. */
export async function markMailBounced(
  db: Db,
  id: string,
  at: string,
  reason: string,
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ bounced_at: at, bounce_reason: reason })
    .where('id', '=', id)
    .execute()
}

/** The delivery log: mail to an address (or all of a company's), newest first. */
export function mailLog(
  db: Db,
  companyId: string,
  options: { to?: string | undefined; limit: number },
): Promise<MailRow[]> {
  let q = db.selectFrom('mail_outbox').selectAll().where('company_id', '=', companyId)
  if (options.to !== undefined) q = q.where('to_address', '=', options.to)
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute()
}

/** How many mails of a kind went to an address since `since`. */
export async function mailCountSince(
  db: Db,
  m: { kind: string; to: string; since: string },
): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', m.kind)
    .where('to_address', '=', m.to)
    .where('created_at', '>', m.since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
