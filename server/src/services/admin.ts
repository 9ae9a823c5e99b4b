import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { CompanySettings, SettingsPatch } from '../../../src/shared/protocol'
import type { Database } from '../db/schema'
import { isAdmin, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { forbidden } from '../errors'
import { loadCompany, saveSettings } from '../repositories/companies'
import type { Written } from './written'

export function assertAdmin(caller: Caller): void {
  if (!isAdmin(caller))
    throw forbidden('Only admins can change company settings, people and projects.')
}

/** The company's settings, which admins change. */
export class SettingsService {
  constructor(private readonly db: Kysely<Database>) {}

  async updateSettings(
    caller: Caller,
    patch: z.output<typeof SettingsPatch>,
  ): Promise<Written<CompanySettings>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const { settings } = await loadCompany(trx, caller.companyId)
      const next: CompanySettings = { ...settings, ...patch }
      await saveSettings(trx, caller.companyId, next)
      const changed = new Changed(caller.companyId)
      changed.settings = true
      return { result: next, changed }
    })
  }
}
