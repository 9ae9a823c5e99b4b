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
