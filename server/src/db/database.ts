import type SQLite from 'better-sqlite3'
import { Kysely, Migrator, type Migration, type MigrationProvider } from 'kysely'
import * as m001 from './migrations/001_initial'
import * as m002 from './migrations/002_reads_seq'
import * as m003 from './migrations/003_limits_mail_priority'
import * as m004 from './migrations/004_reply_by_email'
import * as m005 from './migrations/005_portal_links'
import type { Database } from './schema'
import { openSqlite } from './sqlite-dialect'

/** Migrations listed in order, one file each; Kysely's migrator records which have run. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_reads_seq': m002,
  '003_limits_mail_priority': m003,
  '004_reply_by_email': m004,
  '005_portal_links': m005,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export interface OpenDatabase {
  db: Kysely<Database>
  /**
   * The raw handle, for what needs better-sqlite3 itself (the limiter's store, backups); the
   * SQLite-only statements of the server live in sqlite-dialect.ts.
   */
  sqlite: SQLite.Database
}

export async function openDatabase(file: string): Promise<OpenDatabase> {
  const { sqlite, dialect } = openSqlite(file)
  const db = new Kysely<Database>({ dialect })
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    await db.destroy()
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
  return { db, sqlite }
}
