import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { isAdmin, isStaff, type Caller } from '../domain/caller'

/**
 * Who may see a thread, in one place. Admins see every thread of their company; other staff see
 * the threads of projects they are assigned to and threads they were added to; customers and
 * subcontractors see the threads they take part in. Every list, read, feed, search and room
 * check builds on this predicate, so they cannot disagree.
 */
export function threadVisible(
  caller: Caller,
  cols: { thread: string; project: string; company: string },
): RawBuilder<SqlBool> {
  const company = sql`${sql.ref(cols.company)} = ${caller.companyId}`
  const participant = sql`${sql.ref(cols.thread)} IN (SELECT thread_id FROM thread_participants WHERE user_id = ${caller.id})`
  if (isAdmin(caller)) return sql<SqlBool>`${company}`
  if (isStaff(caller)) {
    return sql<SqlBool>`(${company} AND (${sql.ref(cols.project)} IN (SELECT project_id FROM project_members WHERE user_id = ${caller.id}) OR ${participant}))`
  }
  return sql<SqlBool>`(${company} AND ${participant})`
}

export const threadVisibleAs = (caller: Caller, alias: string) =>
  threadVisible(caller, {
    thread: `${alias}.id`,
    project: `${alias}.project_id`,
    company: `${alias}.company_id`,
  })

/** Messages visible to the caller: in a visible thread, and never an internal note unless staff. */
export function messageVisible(caller: Caller, alias: string): RawBuilder<SqlBool> {
  const inThread = threadVisible(caller, {
    thread: `${alias}.thread_id`,
    project: `${alias}.project_id`,
    company: `${alias}.company_id`,
  })
  return isStaff(caller)
    ? inThread
    : sql<SqlBool>`(${inThread} AND ${sql.ref(`${alias}.internal`)} = 0)`
}

/** Projects the caller may see: staff see the company's projects; others those they are a contact on. */
export function projectVisible(caller: Caller, alias: string): RawBuilder<SqlBool> {
  const company = sql`${sql.ref(`${alias}.company_id`)} = ${caller.companyId}`
  if (isStaff(caller)) return sql<SqlBool>`${company}`
  return sql<SqlBool>`(${company} AND (${sql.ref(`${alias}.id`)} IN (SELECT project_id FROM project_members WHERE user_id = ${caller.id})
    OR ${sql.ref(`${alias}.id`)} IN (SELECT t.project_id FROM threads t JOIN thread_participants p ON p.thread_id = t.id WHERE p.user_id = ${caller.id})))`
}

/**
 * People the caller may see: staff see the company directory; others see themselves, the people
 * on their projects and the people in their threads.
 */
export function personVisible(caller: Caller, alias: string): RawBuilder<SqlBool> {
  const company = sql`${sql.ref(`${alias}.company_id`)} = ${caller.companyId}`
  if (isStaff(caller)) return sql<SqlBool>`${company}`
  const id = sql.ref(`${alias}.id`)
  return sql<SqlBool>`(${company} AND (${id} = ${caller.id}
    OR ${id} IN (SELECT pm2.user_id FROM project_members pm1 JOIN project_members pm2 ON pm2.project_id = pm1.project_id WHERE pm1.user_id = ${caller.id})
    OR ${id} IN (SELECT tp2.user_id FROM thread_participants tp1 JOIN thread_participants tp2 ON tp2.thread_id = tp1.thread_id WHERE tp1.user_id = ${caller.id})))`
}
