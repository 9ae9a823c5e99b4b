import type { Kysely, RawBuilder, Selectable, SqlBool } from 'kysely'
import type { Database } from '../db/schema'
import type { Caller } from '../domain/caller'
import { notFound } from '../errors'
import { personVisible, projectVisible, threadVisibleAs } from './visibility'

const tables = {
  person: 'users',
  project: 'projects',
  conversation: 'threads',
  file: 'attachments',
} as const
type Kind = keyof typeof tables
type Find<K extends Kind> = { kind: K; id: string; in: 'company' | 'sight' }
export type RowOf<K extends Kind> = Selectable<Database[(typeof tables)[K]]>

const words: Record<Kind, string> = {
  person: 'The person',
  project: 'The project',
  conversation: 'The conversation',
  file: 'The file',
}

/** What the caller may see of each kind; a file's own rule (its message) is its reader's check. */
const visible: Record<Kind, (caller: Caller, alias: string) => RawBuilder<SqlBool> | null> = {
  person: personVisible,
  project: projectVisible,
  conversation: threadVisibleAs,
  file: () => null,
}

/**
 * The row with this id in the caller's company (`in: 'company'`) or among what the caller may
 * see (`in: 'sight'`); otherwise NOT_FOUND in words that name nothing, so an id of another
 * company, or one the caller may not see, is answered as if it did not exist.
 */
export async function findForCaller<K extends Kind>(
  db: Kysely<Database>,
  caller: Caller,
  find: Find<K>,
): Promise<RowOf<K>> {
  const row = await lookUpForCaller(db, caller, find)
  if (!row) throw notFound(words[find.kind])
  return row
}

/** The same lookup for a caller who words the refusal their own way: undefined when not found. */
export async function lookUpForCaller<K extends Kind>(
  db: Kysely<Database>,
  caller: Caller,
  find: Find<K>,
): Promise<RowOf<K> | undefined> {
  // One query for four tables: each has `id` and `company_id`, so the users table stands for all.
  const table = `${tables[find.kind]} as x` as 'users as x'
  const sight = find.in === 'sight' ? visible[find.kind](caller, 'x') : null
  const row = await db
    .selectFrom(table)
    .selectAll('x')
    .where('x.id', '=', find.id)
    .where((eb) => sight ?? eb('x.company_id', '=', caller.companyId))
    .executeTakeFirst()
  return row as unknown as RowOf<K> | undefined
}
