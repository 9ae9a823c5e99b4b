import type { Database, Statement } from 'better-sqlite3'

/** Statements of every shape; each one's SQL text says which. */
type AnyStatement = Statement<unknown[], unknown>

const byDatabase = new WeakMap<Database, Map<string, AnyStatement>>()

/**
 * `db.prepare<Params, Row>(sql)`, prepared once per database and kept: the hot statements of an
 * apply run once a message, and preparing them again each time cost more than running them.
 * Only for fixed SQL; a statement built around a list of `?` is prepared where it is built.
 */
export function prepared<Params extends unknown[] | object = unknown[], Row = unknown>(
  db: Database,
  sql: string,
): ReturnType<typeof db.prepare<Params, Row>> {
  let statements = byDatabase.get(db)
  if (!statements) {
    statements = new Map()
    byDatabase.set(db, statements)
  }
  const known = statements.get(sql)
  if (known) return known as unknown as ReturnType<typeof db.prepare<Params, Row>>
  const statement = db.prepare<Params, Row>(sql)
  statements.set(sql, statement as unknown as AnyStatement)
  return statement
}

/** `?, ?, ?` for a list bound to `IN (…)`. */
export const marks = (values: readonly unknown[]): string => values.map(() => '?').join(',')

export const json = (value: unknown): string => JSON.stringify(value)
export const parseIds = (text: string): string[] => JSON.parse(text) as string[]

type TableFunctions = Record<string, (db: Database, ...args: never[]) => unknown>

/** A module's functions `(db, …)` with the database given: `queue.markSending(id)`. */
export type Bound<M extends TableFunctions> = {
  [K in keyof M]: M[K] extends (db: Database, ...args: infer A) => infer R
    ? (...args: A) => R
    : never
}

export function bound<M extends TableFunctions>(db: Database, functions: M): Bound<M> {
  const result: Record<string, unknown> = {}
  for (const [name, fn] of Object.entries(functions))
    result[name] = (...args: never[]) => fn(db, ...args)
  // Built key by key from `functions`, each taking the same arguments less the database.
  return result as Bound<M>
}
