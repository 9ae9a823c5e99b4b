import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../db/schema'

type Table = keyof Database
type Row<T extends Table> = Selectable<Database[T]>
/** Kysely types a query per table; one table stands for all here, the columns being `where`'s own. */
type AnyTable = 'users'
type Where = Partial<Row<AnyTable>>

/**
 * The first row of `table` whose columns equal `where`'s values (`null` is matched with IS
 * NULL): the lookup by a key that most repositories need, written once.
 */
export async function firstWhere<T extends Table>(
  db: Kysely<Database>,
  table: T,
  where: Partial<Row<T>>,
): Promise<Row<T> | undefined> {
  assertEveryValue(where)
  const row = await db
    .selectFrom(table as AnyTable)
    .selectAll()
    .where((eb) => eb.and(where as Where))
    .executeTakeFirst()
  return row as Row<T> | undefined
}

/** Removes the rows of `table` whose columns equal `where`'s values; answers how many went. */
export async function deleteWhere<T extends Table>(
  db: Kysely<Database>,
  table: T,
  where: Partial<Row<T>>,
): Promise<number> {
  assertEveryValue(where)
  const deleted = await db
    .deleteFrom(table as AnyTable)
    .where((eb) => eb.and(where as Where))
    .executeTakeFirst()
  return Number(deleted.numDeletedRows)
}

/** Kysely leaves out a column whose value is undefined: a missing key would widen the match. */
function assertEveryValue(where: object): void {
  if (Object.values(where).some((v) => v === undefined))
    throw new Error('A row lookup was given a column without a value.')
}
