import type { PortalDb, PortalTransaction } from '../db/handle'
import type { z } from 'zod'
import type { CompanySettings, SettingsPatch } from '../../../src/shared/protocol'
import { isAdmin, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { forbidden } from '../errors'
import { loadCompany, saveSettings } from '../repositories/companies'
import type { Written } from './written'

/** What an admin configures: refused to anyone else, then one transaction with what it touched. */
export function adminWrite<T>(
  db: PortalDb,
  caller: Caller,
  write: (trx: PortalTransaction, changed: Changed) => Promise<T>,
): Promise<Written<T>> {
  if (!isAdmin(caller))
    throw forbidden('Only admins can change company settings, people and projects.')
  return db.transaction().execute(async (trx) => {
    const changed = new Changed(caller.companyId)
    return { result: await write(trx, changed), changed }
  })
}

/** The company's settings, which admins change. */
export class SettingsService {
  constructor(private readonly db: PortalDb) {}

  async updateSettings(
    caller: Caller,
    patch: z.output<typeof SettingsPatch>,
  ): Promise<Written<CompanySettings>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      const { settings } = await loadCompany(trx, caller.companyId)
      const next: CompanySettings = { ...settings, ...patch }
      await saveSettings(trx, caller.companyId, next)
      changed.settings = true
      return next
    })
  }
}
