import { sql, type Kysely } from 'kysely'
import type { z } from 'zod'
import type {
  Message,
  MessagePage,
  Thread,
  ThreadList,
  ThreadListQuery,
  ThreadPatch,
  ThreadSummary,
} from '../../../src/shared/protocol'
import type { Database, ProjectRow, ThreadRow } from '../db/schema'
import { isStaff, type Caller } from '../domain/caller'
import { AppError, notFound } from '../errors'
import { nowIso, type Clock } from '../../../src/shared/clock'
import { audienceOf, loadMessages, loadThreads, toRead } from './entities'
import { findForCaller } from './find'
import { takeSeqs } from './seq'
import { messageVisible, threadVisibleAs } from './visibility'

type Db = Kysely<Database>

/** Threads and their messages as the caller may read them: lists in pages, one thread, a thread's messages. */
export class ThreadRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(
    caller: Caller,
    query: z.output<typeof ThreadListQuery>,
  ): Promise<z.output<typeof ThreadList>> {
    const staff = isStaff(caller)
    const lastCol = staff ? 't.last_at' : 't.public_last_at'
    const now = nowIso(this.clock)
    let q = this.db
      .selectFrom('threads as t')
      .selectAll('t')
      .select(unreadCount(caller).as('unread'))
      .where(threadVisibleAs(caller, 't'))
    if (query.projectId) q = q.where('t.project_id', '=', query.projectId)
    switch (query.view) {
      case 'unread':
        q = q.where(unreadCount(caller), '>', 0)
        break
      case 'urgent':
        q = q.where('t.urgent', '=', 1)
        break
      case 'assigned':
        q = q.where('t.assignee_id', '=', caller.id)
        break
      case 'waiting':
        // Open only: a thread set waiting on the customer is not waiting on the team.
        q = q.where('t.waiting_since', 'is not', null).where('t.status', '=', 'open')
        break
      case 'snoozed':
        q = q.where('t.snoozed_until', '>', now)
        break
      case 'closed':
        q = q.where('t.status', '=', 'closed')
        break
      case 'all':
        break
    }
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor)
      q = q.where((eb) =>
        eb.or([
          eb(sql.ref(lastCol), '<', at),
          eb.and([eb(sql.ref(lastCol), '=', at), eb('t.id', '<', id)]),
        ]),
      )
    }
    const rows = await q
      .orderBy(sql.ref(lastCol), 'desc')
      .orderBy('t.id', 'desc')
      .limit(query.limit + 1)
      .execute()
    const page = rows.slice(0, query.limit)
    const threads = await loadThreads(this.db, page, audienceOf(caller))
    const last = page.at(-1)
    return {
      threads: threads.map((t, i) => ({ ...t, unreadCount: Number(page[i]?.unread ?? 0) })),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(staff ? last.last_at : last.public_last_at, last.id)
          : null,
    }
  }

  async get(caller: Caller, threadId: string): Promise<ThreadSummary> {
    const row = await this.db
      .selectFrom('threads as t')
      .selectAll('t')
      .select(unreadCount(caller).as('unread'))
      .where('t.id', '=', threadId)
      .where(threadVisibleAs(caller, 't'))
      .executeTakeFirst()
    if (!row) throw notFound('The conversation')
    const [thread] = await loadThreads(this.db, [row], audienceOf(caller))
    return { ...(thread as Thread), unreadCount: Number(row.unread) }
  }

  async messages(
    caller: Caller,
    threadId: string,
    query: { before?: number | undefined; limit: number },
  ): Promise<z.output<typeof MessagePage>> {
    await visibleThreadRow(this.db, caller, threadId)
    let q = this.db
      .selectFrom('messages as m')
      .selectAll('m')
      .where('m.thread_id', '=', threadId)
      .where(messageVisible(caller, 'm'))
    if (query.before !== undefined) q = q.where('m.pk', '<', query.before)
    const rows = await q
      .orderBy('m.pk', 'desc')
      .limit(query.limit + 1)
      .execute()
    const page = rows.slice(0, query.limit).reverse()
    const messages = await loadMessages(this.db, page)
    let reads = this.db
      .selectFrom('reads')
      .selectAll()
      .where('message_id', 'in', page.length ? page.map((m) => m.id) : [''])
    if (!isStaff(caller)) reads = reads.where('user_id', '=', caller.id)
    return {
      messages,
      reads: (await reads.execute()).map(toRead),
      nextBefore: rows.length > query.limit ? (page[0]?.pk ?? null) : null,
    }
  }
}

const sightOf = (id: string) => ({ kind: 'conversation' as const, id, in: 'sight' as const })

/** The thread if the caller may see it; otherwise NOT_FOUND in words that name nothing. */
export function visibleThreadRow(db: Db, caller: Caller, threadId: string): Promise<ThreadRow> {
  return findForCaller(db, caller, sightOf(threadId))
}

/** The thread as the caller may see it now. */
export async function threadFor(db: Db, caller: Caller, threadId: string): Promise<Thread> {
  const row = await db
    .selectFrom('threads')
    .selectAll()
    .where('id', '=', threadId)
    .executeTakeFirstOrThrow()
  const [thread] = await loadThreads(db, [row], audienceOf(caller))
  return thread as Thread
}

/** The thread and one of its messages as the caller may see them now: what a write answers. */
export async function threadAndMessage(
  db: Db,
  caller: Caller,
  ids: { threadId: string; messageId: string },
): Promise<{ thread: Thread; message: Message }> {
  const thread = await threadFor(db, caller, ids.threadId)
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', ids.messageId)
    .executeTakeFirstOrThrow()
  const [message] = await loadMessages(db, [row])
  return { thread, message: message as Message }
}

/** The project a thread belongs to. */
export function projectOf(db: Db, thread: Pick<ThreadRow, 'project_id'>): Promise<ProjectRow> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', thread.project_id)
    .executeTakeFirstOrThrow()
}

export async function insertThread(db: Db, thread: ThreadRow): Promise<void> {
  await db.insertInto('threads').values(thread).execute()
}

/**
 * The thread's row changes with a fresh seq, so every client that sees it pulls it again:
 * `set` holds what changed, nothing when only who is in it did.
 */
export async function touchThread(
  db: Db,
  companyId: string,
  threadId: string,
  set: Partial<Omit<ThreadRow, 'id' | 'seq'>> = {},
): Promise<void> {
  const seq = await takeSeqs(db, companyId)
  await db
    .updateTable('threads')
    .set({ ...set, seq })
    .where('id', '=', threadId)
    .execute()
}

/** Triage's columns of a patch: only the fields it names. */
export function triageColumns(patch: z.output<typeof ThreadPatch>): Partial<ThreadRow> {
  return {
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
    ...(patch.snoozedUntil !== undefined && { snoozed_until: patch.snoozedUntil }),
    ...(patch.subject !== undefined && { subject: patch.subject }),
  }
}

function unreadCount(caller: Caller) {
  const internalFilter = isStaff(caller) ? sql`` : sql`AND m.internal = 0`
  return sql<number>`(SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.author_id != ${caller.id} ${internalFilter}
      AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.message_id = m.id AND r.user_id = ${caller.id}))`
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url')
}

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!at || !id)
    throw new AppError(
      'VALIDATION_FAILED',
      'The cursor is not valid; start again from the first page.',
    )
  return [at, id]
}
