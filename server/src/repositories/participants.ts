import { sql, type Kysely } from 'kysely'
import type { Database, ThreadRow, UserRow } from '../db/schema'
import type { Changed } from '../domain/changed'
import { deleteWhere, firstWhere } from './rows'
import { takeSeqs } from './seq'

type Db = Kysely<Database>
/** One person's access to one thread of their company. */
type ThreadAccess = { companyId: string; threadId: string; userId: string }

/** Who is in a thread and on a project: the rows that decide who sees what (repositories/visibility.ts). */

export async function isParticipant(db: Db, threadId: string, userId: string): Promise<boolean> {
  return Boolean(
    await firstWhere(db, 'thread_participants', { thread_id: threadId, user_id: userId }),
  )
}

/** Whether the person is on the project: a customer contact or a team member. */
export async function isProjectMember(db: Db, projectId: string, userId: string): Promise<boolean> {
  return Boolean(
    await firstWhere(db, 'project_members', { project_id: projectId, user_id: userId }),
  )
}

/** The people on a project: of these roles, or all. */
export function projectPeople(
  db: Db,
  projectId: string,
  roles?: UserRow['role'][],
): Promise<UserRow[]> {
  let q = db
    .selectFrom('project_members as pm')
    .innerJoin('users as u', 'u.id', 'pm.user_id')
    .selectAll('u')
    .where('pm.project_id', '=', projectId)
  if (roles) q = q.where('u.role', 'in', roles)
  return q.execute()
}

/** The people in a thread. */
export function threadPeople(db: Db, threadId: string): Promise<UserRow[]> {
  return db
    .selectFrom('thread_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .selectAll('u')
    .where('p.thread_id', '=', threadId)
    .execute()
}

export async function addParticipants(
  db: Db,
  rows: { threadId: string; userIds: string[]; addedBy: string; addedAt: string },
): Promise<void> {
  await db
    .insertInto('thread_participants')
    .values(
      rows.userIds.map((user_id) => ({
        thread_id: rows.threadId,
        user_id,
        added_by: rows.addedBy,
        added_at: rows.addedAt,
      })),
    )
    .execute()
}

/** Takes the person out of the thread; false when they were not in it. */
export async function removeParticipant(db: Db, threadId: string, userId: string) {
  return (
    (await deleteWhere(db, 'thread_participants', { thread_id: threadId, user_id: userId })) > 0
  )
}

/** Whether the person sees the thread by their role, the project's team or a place in it. */
export async function canSee(db: Db, userId: string, thread: ThreadRow): Promise<boolean> {
  const user = await firstWhere(db, 'users', { id: userId })
  if (!user) return false
  if (user.role === 'admin') return true
  if (await isParticipant(db, thread.id, userId)) return true
  if (user.role !== 'staff') return false
  return isProjectMember(db, thread.project_id, userId)
}

/** The role of a person known to exist. */
export async function roleOf(db: Db, userId: string): Promise<UserRow['role']> {
  const user = await db
    .selectFrom('users')
    .select(['role'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  return user.role
}

/**
 * Someone can now see a thread they could not before. Their cursor is past its rows, so the rows
 * take fresh seqs: the next pull of everyone who sees the thread carries them again, which an
 * idempotent upsert makes harmless, and the newcomer gets the whole history. A revocation the
 * person had for it is void.
 */
export async function grantThreadAccess(trx: Db, grant: ThreadAccess, changed: Changed) {
  const { companyId, threadId } = grant
  const counts = await trx
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('thread_id', '=', threadId)
    .executeTakeFirstOrThrow()
  const readCount = await trx
    .selectFrom('reads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('thread_id', '=', threadId)
    .executeTakeFirstOrThrow()
  const n = Number(counts.n)
  const r = Number(readCount.n)
  const base = await takeSeqs(trx, companyId, n + r + 1)
  if (n) {
    await sql`WITH ordered AS (SELECT pk, row_number() OVER (ORDER BY pk) - 1 AS rn FROM messages WHERE thread_id = ${threadId})
      UPDATE messages SET seq = ${base} + (SELECT rn FROM ordered WHERE ordered.pk = messages.pk) WHERE thread_id = ${threadId}`.execute(
      trx,
    )
  }
  if (r) {
    await sql`WITH ordered AS (SELECT message_id, user_id, row_number() OVER (ORDER BY seq) - 1 AS rn FROM reads WHERE thread_id = ${threadId})
      UPDATE reads SET seq = ${base + n} + (SELECT rn FROM ordered WHERE ordered.message_id = reads.message_id AND ordered.user_id = reads.user_id)
      WHERE thread_id = ${threadId}`.execute(trx)
  }
  await trx
    .updateTable('threads')
    .set({ seq: base + n + r })
    .where('id', '=', threadId)
    .execute()
  changed.threadIds.add(threadId)
  await deleteWhere(trx, 'revocations', { user_id: grant.userId, thread_id: threadId })
}

/** The person no longer sees the thread: their next pull says to drop it. */
export async function recordRevocation(trx: Db, revoke: ThreadAccess, changed: Changed) {
  const { userId, threadId } = revoke
  const seq = await takeSeqs(trx, revoke.companyId)
  await trx
    .insertInto('revocations')
    .values({ user_id: userId, thread_id: threadId, seq })
    .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ seq }))
    .execute()
  changed.removed.push({ userId, threadId })
}

/** The person's row takes a fresh seq: everyone who sees them now pulls them again. */
export async function touchPerson(db: Db, companyId: string, userId: string): Promise<void> {
  const seq = await takeSeqs(db, companyId)
  await db.updateTable('users').set({ seq }).where('id', '=', userId).execute()
}
