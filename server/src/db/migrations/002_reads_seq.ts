import { sql, type Kysely } from 'kysely'

/**
 * The change feed walks a staff member's reads in seq order (repositories/changes.ts). Without
 * an index on reads.seq that walk was a scan of every message of the company and a sort, for each
 * page of the feed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX reads_seq ON reads(seq)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS reads_seq`.execute(db)
}
