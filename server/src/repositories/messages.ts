import type { Kysely } from 'kysely'
import type { AttachmentRow, Database, MessageRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { takeSeqs } from './seq'
import { messageVisible } from './visibility'

type Db = Kysely<Database>

/** The message this author sent with this client id before, if any: a retry's original. */
export function messageByClientId(db: Db, authorId: string, clientId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'thread_id', 'content_hash'])
    .where('author_id', '=', authorId)
    .where('client_id', '=', clientId)
    .executeTakeFirst()
}

/** Whether the caller may read this message now. */
export async function messageVisibleTo(db: Db, caller: Caller, messageId: string) {
  const row = await db
    .selectFrom('messages as m')
    .select('m.id')
    .where('m.id', '=', messageId)
    .where(messageVisible(caller, 'm'))
    .executeTakeFirst()
  return Boolean(row)
}

export function attachmentsByIds(db: Db, ids: string[]): Promise<AttachmentRow[]> {
  return db.selectFrom('attachments').selectAll().where('id', 'in', ids).execute()
}

/**
 * A new message row with its files: the attachments are linked in the same transaction, before
 * the feed can see the message. Answers the row's pk, the full-text index's key.
 */
export async function insertMessage(
  db: Db,
  row: Omit<MessageRow, 'pk' | 'seq'>,
  attachmentIds: string[],
): Promise<number> {
  const seq = await takeSeqs(db, row.company_id)
  await db
    .insertInto('messages')
    .values({ ...row, seq })
    .execute()
  if (attachmentIds.length)
    await db
      .updateTable('attachments')
      .set({ message_id: row.id })
      .where('id', 'in', attachmentIds)
      .execute()
  const inserted = await db
    .selectFrom('messages')
    .select('pk')
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow()
  return inserted.pk
}
