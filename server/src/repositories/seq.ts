import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Takes `count` values of the company's change counter and returns the first. Callers run inside
 * a write transaction, and SQLite runs one writer at a time, so seq order is commit order: a
 * client that has pulled up to seq N has seen every change at or below N.
 */
export async function takeSeqs(
  trx: Transaction<Database> | Kysely<Database>,
  companyId: string,
  count = 1,
): Promise<number> {
  const row = await trx
    .updateTable('companies')
    .set((eb) => ({ last_seq: eb('last_seq', '+', count) }))
    .where('id', '=', companyId)
    .returning('last_seq')
    .executeTakeFirstOrThrow()
  return row.last_seq - count + 1
}
