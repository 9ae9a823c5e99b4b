import type { Kysely, RawBuilder, SqlBool } from 'kysely'
import type { Database } from './schema'

/** One message as the full-text index holds it, keyed by the message row's pk. */
export interface FullTextEntry {
  pk: number
  subject: string
  body: string
  sender: string
  /** The names of its files, space-separated. */
  attachments: string
}

/**
 * The statements one database engine words its own way. Everything else the server runs is
 * Kysely's portable query builder; a PostgreSQL implementation of this interface (tsvector, ILIKE)
 * sits beside the SQLite one (db/sqlite-dialect.ts) and the code above it does not change.
 */
export interface Dialect {
  /** `column` contains `text`, ignoring case, with LIKE's wildcards in `text` taken literally. */
  containsText(column: string, text: string): RawBuilder<SqlBool>
  fullText: {
    add(db: Kysely<Database>, entry: FullTextEntry): Promise<void>
    /** Every message of the thread is found under its new subject. */
    setSubject(db: Kysely<Database>, threadId: string, subject: string): Promise<void>
    /** `pkColumn` is the pk of a message that matches the full-text query `match`. */
    matches(pkColumn: string, match: string): RawBuilder<SqlBool>
    /** Highlighted excerpts of the matching messages among `pks`, marked with `marks`. */
    snippets(
      db: Kysely<Database>,
      match: string,
      pks: number[],
      marks: { open: string; close: string },
    ): Promise<Map<number, string>>
  }
}
