import type { Kysely } from 'kysely'
import type { AttachmentRow, Database, MessageRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { firstWhere } from './rows'
import { takeSeqs } from './seq'
import { messageVisible } from './visibility'

type Db = Kysely<Database>

/** The message this author sent with this client id before, if any: a retry's original. */
export function messageByClientId(db: Db, authorId: string, clientId: string) {
  return firstWhere(db, 'messages', { author_id: authorId, client_id: clientId })
}

/** The ids of the messages the caller may see: of one thread, or the one message. */
export async function visibleMessageIds(
  db: Db,
  caller: Caller,
  of: { threadId: string } | { messageId: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('messages as m')
    .select('m.id')
    .where(
      'threadId' in of ? 'm.thread_id' : 'm.id',
      '=',
      'threadId' in of ? of.threadId : of.messageId,
    )
    .where(messageVisible(caller, 'm'))
    .execute()
  return rows.map((r) => r.id)
}

/** Whether the caller may read this message now. */
export async function messageVisibleTo(db: Db, caller: Caller, messageId: string) {
  return (await visibleMessageIds(db, caller, { messageId })).length > 0
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
