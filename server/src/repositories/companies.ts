import type { Kysely, Transaction } from 'kysely'
import type { CompanySettings } from '../../../src/shared/protocol'
import type { CompanyRow, Database } from '../db/schema'
import { parseSettings } from '../domain/settings'
import { takeSeqs } from './seq'

export interface CompanyContext {
  row: CompanyRow
  settings: CompanySettings
}

export async function loadCompany(
  db: Kysely<Database> | Transaction<Database>,
  companyId: string,
): Promise<CompanyContext> {
  const row = await db
    .selectFrom('companies')
    .selectAll()
    .where('id', '=', companyId)
    .executeTakeFirstOrThrow()
  return { row, settings: parseSettings(row.settings) }
}

export async function saveSettings(
  trx: Transaction<Database>,
  companyId: string,
  settings: CompanySettings,
): Promise<void> {
  const seq = await takeSeqs(trx, companyId)
  await trx
    .updateTable('companies')
    .set({ settings: JSON.stringify(settings), settings_seq: seq })
    .where('id', '=', companyId)
    .execute()
}
