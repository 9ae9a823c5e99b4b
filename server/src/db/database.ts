import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely'
import * as m001 from './migrations/001_initial'
import * as m002 from './migrations/002_reads_seq'
import * as m003 from './migrations/003_limits_mail_priority'
import type { Database } from './schema'

/** Migrations listed in order, one file each; Kysely's migrator records which have run. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_reads_seq': m002,
  '003_limits_mail_priority': m003,
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
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  })
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    await db.destroy()
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
  return { db, sqlite }
}

/**
 * Kysely's SQLite driver prepares every statement it runs, and compiling SQL was the largest
 * single cost of a message write (17% of the server's time at 200 writes/s; scripts/bench.ts,
 * `server.msgs_per_s`): a write runs some thirty statements whose text never changes. So the
 * driver gets a view of the database that keeps the most recent statements by their SQL. Reuse is
 * safe because Kysely runs one statement at a time on this one connection and never leaves one
 * half-read (all() and run(); the server does not stream), and SQLite re-prepares a statement by
 * itself if the schema changes under it.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SQLite.Statement {
      let stmt = cache.get(sql)
      if (stmt) {
        // Most recently used last, so the oldest is first to go.
        cache.delete(sql)
      } else {
        stmt = sqlite.prepare(sql)
        if (cache.size >= size) cache.delete(cache.keys().next().value as string)
      }
      cache.set(sql, stmt)
      return stmt
    },
  }
}
