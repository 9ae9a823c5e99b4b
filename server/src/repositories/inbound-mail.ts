import type { Kysely } from 'kysely'
import type { Database, InboundMailRow, InboundOutcome } from '../db/schema'
import { firstWhere } from './rows'

type Db = Kysely<Database>

/** The record of mail received: each Message-ID once per company, with what became of it. */

export function inboundSeen(
  db: Db,
  companyId: string | null,
  messageKey: string,
): Promise<InboundMailRow | undefined> {
  return firstWhere(db, 'inbound_mail', { company_id: companyId, message_key: messageKey })
}

/**
 * Records a mail; false when the same mail was recorded meanwhile (a provider delivering twice
 * at once), which the caller treats as seen.
 */
export async function recordInbound(db: Db, row: InboundMailRow): Promise<boolean> {
  const result = await db
    .insertInto('inbound_mail')
    .values(row)
    .onConflict((oc) => oc.columns(['company_id', 'message_key']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Mail held for staff review in a company, oldest first. */
export function heldMail(db: Db, companyId: string): Promise<InboundMailRow[]> {
  return db
    .selectFrom('inbound_mail')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('outcome', '=', 'held')
    .orderBy('received_at')
    .execute()
}

/** A held mail was posted or discarded by staff: its raw text is no longer kept. */
export async function settleHeld(
  db: Db,
  id: string,
  outcome: Exclude<InboundOutcome, 'held'>,
  done: { messageId?: string | null; reason?: string | null },
): Promise<void> {
  await db
    .updateTable('inbound_mail')
    .set({
      outcome,
      raw: null,
      message_id: done.messageId ?? null,
      ...(done.reason !== undefined && { reason: done.reason }),
    })
    .where('id', '=', id)
    .where('outcome', '=', 'held')
    .execute()
}
