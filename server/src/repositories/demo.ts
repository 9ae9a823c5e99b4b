import { sql, type Kysely } from 'kysely'
import type { CompanyRow, Database, UserRow } from '../db/schema'

type Db = Kysely<Database>

/** The rows only the demo writes directly: a company with its first admin, and its history's times. */

export async function anyCompany(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('companies').select('id').executeTakeFirst())
}

export async function insertCompany(
  db: Db,
  rows: { company: CompanyRow; admin: UserRow },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('companies').values(rows.company).execute()
    await trx.insertInto('users').values(rows.admin).execute()
  })
}

export function everyone(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().execute()
}

/** Messages in the order they were written. */
export function messagesInOrder(db: Db) {
  return db.selectFrom('messages').select(['id', 'thread_id']).orderBy('pk').execute()
}

/** Dates a message, its files and its read marks back to `at`. */
export async function redateMessage(db: Db, messageId: string, at: string): Promise<void> {
  await db.updateTable('messages').set({ created_at: at }).where('id', '=', messageId).execute()
  await db
    .updateTable('attachments')
    .set({ created_at: at })
    .where('message_id', '=', messageId)
    .execute()
  await db.updateTable('reads').set({ read_at: at }).where('message_id', '=', messageId).execute()
}

/** Each thread's times follow its messages' again: created, last, public last, waiting since. */
export async function redateThreadsFromMessages(db: Db): Promise<void> {
  await sql`UPDATE threads SET
    created_at = (SELECT min(created_at) FROM messages WHERE thread_id = threads.id),
    last_at = (SELECT max(created_at) FROM messages WHERE thread_id = threads.id),
    public_last_at = coalesce((SELECT max(created_at) FROM messages WHERE thread_id = threads.id AND internal = 0), (SELECT min(created_at) FROM messages WHERE thread_id = threads.id)),
    waiting_since = CASE WHEN waiting_since IS NULL THEN NULL ELSE (SELECT min(m.created_at) FROM messages m JOIN users u ON u.id = m.author_id
      WHERE m.thread_id = threads.id AND u.role IN ('customer','subcontractor')
      AND m.pk > coalesce((SELECT max(s.pk) FROM messages s JOIN users su ON su.id = s.author_id WHERE s.thread_id = threads.id AND su.role IN ('admin','staff') AND s.internal = 0), 0)) END`.execute(
    db,
  )
}
