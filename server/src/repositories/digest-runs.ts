import type { Kysely } from 'kysely'
import type { CompanySettings } from '../../../src/shared/protocol'
import type { Database } from '../db/schema'
import { parseSettings } from '../domain/settings'

/**
 * Which digest periods each company has had (table digest_runs): a period is claimed once, so a
 * digest goes out once per period however often the schedule looks.
 */
export class DigestRunRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async companies(): Promise<{ id: string; settings: CompanySettings }[]> {
    const rows = await this.db.selectFrom('companies').select(['id', 'settings']).execute()
    return rows.map((r) => ({ id: r.id, settings: parseSettings(r.settings) }))
  }

  /** Companies that never had a period recorded: a new install, or a company added since. */
  async companiesWithoutRuns(): Promise<{ id: string; settings: CompanySettings }[]> {
    const rows = await this.db
      .selectFrom('companies as c')
      .select(['c.id', 'c.settings'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('digest_runs as d')
              .select('d.company_id')
              .whereRef('d.company_id', '=', 'c.id'),
          ),
        ),
      )
      .execute()
    return rows.map((r) => ({ id: r.id, settings: parseSettings(r.settings) }))
  }

  /** Records the period as the company's; false when it was recorded before. */
  async claim(companyId: string, periodEnd: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('digest_runs')
      .values({ company_id: companyId, period_end: periodEnd })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
  }
}
