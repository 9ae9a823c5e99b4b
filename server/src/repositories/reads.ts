import type { ExpressionBuilder, Kysely } from 'kysely'
import type { Database, MessageRow, ReadRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { takeSeqs } from './seq'
import { messageVisible } from './visibility'

type Db = Kysely<Database>

/** The message `m` has no read mark of this person. */
export function unreadBy(userId: string) {
  return (eb: ExpressionBuilder<Database & { m: MessageRow }, 'm'>) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('reads as r')
          .select('r.message_id')
          .whereRef('r.message_id', '=', 'm.id')
          .where('r.user_id', '=', userId),
      ),
    )
}

/** Of these messages, those the caller may see, did not write and has not read yet, oldest first. */
export function unreadAmong(db: Db, caller: Caller, messageIds: string[]) {
  return db
    .selectFrom('messages as m')
    .select(['m.id', 'm.thread_id'])
    .where('m.id', 'in', messageIds)
    .where('m.author_id', '!=', caller.id)
    .where(messageVisible(caller, 'm'))
    .where(unreadBy(caller.id))
    .orderBy('m.pk')
    .execute()
}

/** Read marks for these messages, one seq each in the given order. */
export async function insertReads(
  db: Db,
  reads: { companyId: string; userId: string; readAt: string },
  messages: { id: string; thread_id: string }[],
): Promise<void> {
  const first = await takeSeqs(db, reads.companyId, messages.length)
  await db
    .insertInto('reads')
    .values(
      messages.map((m, i) => ({
        message_id: m.id,
        thread_id: m.thread_id,
        user_id: reads.userId,
        read_at: reads.readAt,
        seq: first + i,
      })),
    )
    .execute()
}

/** The caller's read marks of these messages, of those the caller may still see. */
export function readsOf(db: Db, caller: Caller, messageIds: string[]): Promise<ReadRow[]> {
  return db
    .selectFrom('reads as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .selectAll('r')
    .where('r.user_id', '=', caller.id)
    .where('r.message_id', 'in', messageIds)
    .where(messageVisible(caller, 'm'))
    .execute()
}
