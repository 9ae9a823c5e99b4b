import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely'
import * as m001 from './migrations/001_initial'
import type { Database } from './schema'

/** Migrations listed in order, one file each; Kysely's migrator records which have run. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export interface OpenDatabase {
  db: Kysely<Database>
  /** The raw handle, for the few SQLite-specific statements (FTS5, pragmas, backups). */
  sqlite: SQLite.Database
}

export async function openDatabase(file: string): Promise<OpenDatabase> {
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    await db.destroy()
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
  return { db, sqlite }
}
