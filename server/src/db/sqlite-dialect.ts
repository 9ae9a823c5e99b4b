import SQLite from 'better-sqlite3'
import { sql, SqliteDialect } from 'kysely'
import type { Dialect } from './dialect'

/**
 * SQLite's words: FTS5 for full-text search (MATCH, snippet()), LIKE with an escape character
 * (SQLite's LIKE already ignores case for ASCII), and the connection's pragmas.
 */
export const sqliteDialect: Dialect = {
  containsText: (column, text) =>
    sql<boolean>`${sql.ref(column)} LIKE ${likeContains(text)} ESCAPE '\\'`,
  fullText: {
    async add(db, e) {
      await sql`INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (${e.pk}, ${e.subject}, ${e.body}, ${e.sender}, ${e.attachments})`.execute(
        db,
      )
    },
    async setSubject(db, threadId, subject) {
      await sql`UPDATE messages_fts SET subject = ${subject} WHERE rowid IN (SELECT pk FROM messages WHERE thread_id = ${threadId})`.execute(
        db,
      )
    },
    matches: (pkColumn, match) =>
      sql<boolean>`${sql.ref(pkColumn)} IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`,
    async snippets(db, match, pks, marks) {
      const found = await sql<{
        rowid: number
        snippet: string
      }>`SELECT rowid, snippet(messages_fts, -1, ${marks.open}, ${marks.close}, '…', 16) AS snippet
      FROM messages_fts WHERE messages_fts MATCH ${match} AND rowid IN (${sql.join(pks)})`.execute(
        db,
      )
      return new Map(found.rows.map((r) => [r.rowid, r.snippet]))
    },
  },
}

const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Opens the file with the pragmas the server runs on: WAL, foreign keys, a writer's wait. */
export function openSqlite(file: string): { sqlite: SQLite.Database; dialect: SqliteDialect } {
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return { sqlite, dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }
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
