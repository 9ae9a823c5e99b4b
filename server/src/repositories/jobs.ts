import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Scheduled work that must run once however many server processes look at the clock: a job is
 * claimed before it runs, and only the one claim that lands may run it. Today a row in SQLite
 * (digest_runs, whose key makes a second claim of the same period a no-op); several nodes on
 * PostgreSQL claim the same way in their shared database.
 */
export interface Jobs {
  /** The companies the schedule looks at, with their settings as stored. */
  companies(): Promise<{ id: string; settings: string }[]>
  /** The companies that have never had a digest period recorded. */
  companiesWithoutDigests(): Promise<{ id: string; settings: string }[]>
  /** Claims a company's digest for the period ending at `periodEnd`: true for the one claim that lands. */
  claimDigest(companyId: string, periodEnd: string): Promise<boolean>
}

export class SqliteJobs implements Jobs {
  constructor(private readonly db: Kysely<Database>) {}

  companies() {
    return this.db.selectFrom('companies').select(['id', 'settings']).execute()
  }

  companiesWithoutDigests() {
    return this.db
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
  }

  async claimDigest(companyId: string, periodEnd: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('digest_runs')
      .values({ company_id: companyId, period_end: periodEnd })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
  }
}
