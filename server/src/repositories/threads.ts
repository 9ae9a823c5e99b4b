import { sql, type Kysely, type Transaction } from 'kysely'
import type { z } from 'zod'
import type {
  Message,
  MessageDraft,
  MessagePage,
  NewThreadBody,
  ReadReceipt,
  Thread,
  ThreadList,
  ThreadListQuery,
  ThreadPatch,
  ThreadSummary,
} from '../../../src/shared/protocol'
import { formatBytes } from '../../../src/shared/files'
import type { Database, ProjectRow, ThreadRow } from '../db/schema'
import { messageVisible, projectVisible, threadVisibleAs } from '../domain/access'
import { isAdmin, isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { matchesUrgentKeyword } from '../domain/settings'
import { assertMaySend } from '../domain/rules'
import { bodyTooLong } from '../../../src/shared/message-body'
import { messagePreview } from '../../../src/shared/preview'
import { AppError, forbidden, notFound } from '../errors'
import type { MailQueue } from '../mail/queue'
import { nowIso, type Clock } from '../../../src/shared/clock'
import { bool, int, newId, normalizeBody, sha256 } from '../util'
import { loadCompany, type CompanyContext } from './companies'
import { audienceOf, loadMessages, loadThreads, toRead } from './entities'
import { takeSeqs } from './seq'

type Db = Kysely<Database>
type Trx = Transaction<Database>
type Draft = z.output<typeof MessageDraft>
type NewThread = z.output<typeof NewThreadBody>

export interface Written<T> {
  result: T
  /** False when the client id was seen before and the original result is returned. */
  created: boolean
  changed: Changed
}

/**
 * Threads, messages, participants and read state: every rule of the help page about who may
 * write what, where, and what a new message does to its thread.
 */
export class ThreadRepository {
  constructor(
    private readonly db: Db,
    private readonly mail: MailQueue,
    private readonly clock: Clock,
  ) {}

  // ---- reading ----

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
      .select(this.unreadCount(caller).as('unread'))
      .where(threadVisibleAs(caller, 't'))
    if (query.projectId) q = q.where('t.project_id', '=', query.projectId)
    switch (query.view) {
      case 'unread':
        q = q.where(this.unreadCount(caller), '>', 0)
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
      .select(this.unreadCount(caller).as('unread'))
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
    await this.visibleThreadRow(this.db, caller, threadId)
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

  // ---- writing ----

  async create(
    caller: Caller,
    body: NewThread,
  ): Promise<Written<{ thread: Thread; message: Message }>> {
    return this.db.transaction().execute(async (trx) => {
      const company = await loadCompany(trx, caller.companyId)
      // A project the caller may not see is answered as missing, in words that name nothing.
      const project = await trx
        .selectFrom('projects as p')
        .selectAll('p')
        .where('p.id', '=', body.projectId)
        .where(projectVisible(caller, 'p'))
        .executeTakeFirst()
      if (!project) throw notFound('The project')
      const hash = contentHash({
        kind: 'thread',
        projectId: body.projectId,
        subject: body.subject,
        ...draftFields(body),
      })
      const replay = await this.replay(trx, caller, body.clientId, hash)
      if (replay) return replay

      const onProject = await trx
        .selectFrom('project_members')
        .select('user_id')
        .where('project_id', '=', project.id)
        .where('user_id', '=', caller.id)
        .executeTakeFirst()
      if (!isAdmin(caller) && !onProject) {
        throw forbidden(
          isStaff(caller)
            ? `You are not on the team of ${project.name}. Ask an admin to assign you to the project.`
            : `You are not a customer contact on ${project.name}, so you cannot start a conversation there.`,
        )
      }
      assertMaySend(caller, company.settings, project, body.internal)

      const changed = new Changed(caller.companyId)
      const now = nowIso(this.clock)
      const threadId = newId()
      const members = await trx
        .selectFrom('project_members as pm')
        .innerJoin('users as u', 'u.id', 'pm.user_id')
        .select(['u.id', 'u.role'])
        .where('pm.project_id', '=', project.id)
        .execute()
      const participantIds = new Set<string>([
        caller.id,
        ...members.filter((m) => m.role !== 'subcontractor').map((m) => m.id),
      ])
      for (const extra of body.participantIds) {
        if (participantIds.has(extra)) continue
        await this.assertMayJoin(trx, caller, company, project, extra)
        participantIds.add(extra)
      }

      const seq = await takeSeqs(trx, caller.companyId)
      const thread: ThreadRow = {
        id: threadId,
        company_id: caller.companyId,
        project_id: project.id,
        client_id: body.clientId,
        subject: body.subject,
        status: 'open',
        assignee_id: null,
        snoozed_until: null,
        waiting_since: null,
        urgent: 0,
        created_by: caller.id,
        created_at: now,
        last_at: now,
        last_preview: '',
        last_sender_id: caller.id,
        public_last_at: now,
        public_preview: '',
        public_sender_id: caller.id,
        seq,
      }
      await trx.insertInto('threads').values(thread).execute()
      await trx
        .insertInto('thread_participants')
        .values(
          [...participantIds].map((user_id) => ({
            thread_id: threadId,
            user_id,
            added_by: caller.id,
            added_at: now,
          })),
        )
        .execute()
      // Sockets connected before the thread existed are not in its rooms: recompute them, so
      // every participant gets this message and the next ones live, on every node.
      for (const id of participantIds) changed.accessUserIds.add(id)
      const message = await this.insertMessage(
        trx,
        caller,
        company,
        project,
        thread,
        body,
        hash,
        changed,
        true,
      )
      return {
        result: {
          ...(await this.threadAndMessage(trx, caller, threadId, message.id)),
          autoReply: message.autoReply,
        },
        created: true,
        changed,
      }
    })
  }

  async reply(
    caller: Caller,
    threadId: string,
    draft: Draft,
  ): Promise<Written<{ thread: Thread; message: Message }>> {
    return this.db.transaction().execute(async (trx) => {
      const company = await loadCompany(trx, caller.companyId)
      const thread = await this.visibleThreadRow(trx, caller, threadId)
      const hash = contentHash({ kind: 'reply', threadId, ...draftFields(draft) })
      const replay = await this.replay(trx, caller, draft.clientId, hash)
      if (replay) return replay
      const project = await projectOf(trx, thread)
      assertMaySend(caller, company.settings, project, draft.internal)
      const changed = new Changed(caller.companyId)
      const message = await this.insertMessage(
        trx,
        caller,
        company,
        project,
        thread,
        draft,
        hash,
        changed,
        false,
      )
      return {
        result: {
          ...(await this.threadAndMessage(trx, caller, threadId, message.id)),
          autoReply: message.autoReply,
        },
        created: true,
        changed,
      }
    })
  }

  /** Triage: status, assignee, snooze and subject. Staff only. */
  async update(
    caller: Caller,
    threadId: string,
    patch: z.output<typeof ThreadPatch>,
  ): Promise<Written<Thread>> {
    if (!isStaff(caller))
      throw forbidden('Only staff can change a conversation’s status, assignee or snooze.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await this.visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      if (patch.assigneeId) {
        const assignee = await trx
          .selectFrom('users')
          .select(['id', 'role'])
          .where('id', '=', patch.assigneeId)
          .where('company_id', '=', caller.companyId)
          .executeTakeFirst()
        if (!assignee || (assignee.role !== 'admin' && assignee.role !== 'staff')) {
          throw new AppError(
            'VALIDATION_FAILED',
            'Conversations can only be assigned to staff members of your company.',
          )
        }
        // An assignee must be able to read what they are assigned: add them when they are not on the project.
        const sees = await this.canSee(trx, assignee.id, thread)
        if (!sees) await this.addParticipantRow(trx, caller, thread, assignee.id, changed)
      }
      const seq = await takeSeqs(trx, caller.companyId)
      await trx
        .updateTable('threads')
        .set({
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
          ...(patch.snoozedUntil !== undefined && { snoozed_until: patch.snoozedUntil }),
          ...(patch.subject !== undefined && { subject: patch.subject }),
          seq,
        })
        .where('id', '=', threadId)
        .execute()
      if (patch.subject !== undefined) {
        await sql`UPDATE messages_fts SET subject = ${patch.subject} WHERE rowid IN (SELECT pk FROM messages WHERE thread_id = ${threadId})`.execute(
          trx,
        )
      }
      changed.threadIds.add(threadId)
      const row = await trx
        .selectFrom('threads')
        .selectAll()
        .where('id', '=', threadId)
        .executeTakeFirstOrThrow()
      const [result] = await loadThreads(trx, [row], 'staff')
      return { result: result as Thread, created: false, changed }
    })
  }

  async addParticipant(caller: Caller, threadId: string, userId: string): Promise<Written<Thread>> {
    if (!isStaff(caller)) throw forbidden('Only staff can add people to a conversation.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await this.visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      const added = await this.join(trx, caller, thread, userId, changed)
      return { result: await this.threadFor(trx, caller, threadId), created: added, changed }
    })
  }

  /**
   * Puts a person of the caller's company in a thread the caller may see, by the rules of who may
   * join; false when they were in it already. `asGuest` lets in a customer who is not a contact on
   * the project, as a guest of this thread (an invitation by email, which names them on purpose).
   */
  async join(
    trx: Trx,
    caller: Caller,
    thread: ThreadRow,
    userId: string,
    changed: Changed,
    options: { asGuest?: boolean } = {},
  ): Promise<boolean> {
    if (await isParticipant(trx, thread.id, userId)) return false
    const company = await loadCompany(trx, caller.companyId)
    const project = await projectOf(trx, thread)
    await this.assertMayJoin(trx, caller, company, project, userId, options.asGuest ?? false)
    await this.addParticipantRow(trx, caller, thread, userId, changed)
    return true
  }

  async removeParticipant(
    caller: Caller,
    threadId: string,
    userId: string,
  ): Promise<Written<Thread>> {
    if (!isStaff(caller)) throw forbidden('Only staff can remove people from a conversation.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await this.visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      const removed = await trx
        .deleteFrom('thread_participants')
        .where('thread_id', '=', threadId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (Number(removed.numDeletedRows) > 0) {
        const seq = await takeSeqs(trx, caller.companyId)
        await trx.updateTable('threads').set({ seq }).where('id', '=', threadId).execute()
        changed.threadIds.add(threadId)
        changed.accessUserIds.add(userId)
        if (!(await this.canSee(trx, userId, thread)))
          await recordRevocation(trx, caller.companyId, userId, threadId, changed)
      }
      return { result: await this.threadFor(trx, caller, threadId), created: false, changed }
    })
  }

  /** Marks messages read for the caller; ids the caller cannot see are ignored. The first read time is kept. */
  async markRead(caller: Caller, messageIds: string[]): Promise<Written<ReadReceipt[]>> {
    return this.db.transaction().execute(async (trx) => {
      const changed = new Changed(caller.companyId)
      const messages = await trx
        .selectFrom('messages as m')
        .select(['m.id', 'm.thread_id'])
        .where('m.id', 'in', messageIds)
        .where('m.author_id', '!=', caller.id)
        .where(messageVisible(caller, 'm'))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('reads as r')
                .select('r.message_id')
                .whereRef('r.message_id', '=', 'm.id')
                .where('r.user_id', '=', caller.id),
            ),
          ),
        )
        .orderBy('m.pk')
        .execute()
      if (messages.length) {
        const first = await takeSeqs(trx, caller.companyId, messages.length)
        const now = nowIso(this.clock)
        await trx
          .insertInto('reads')
          .values(
            messages.map((m, i) => ({
              message_id: m.id,
              thread_id: m.thread_id,
              user_id: caller.id,
              read_at: now,
              seq: first + i,
            })),
          )
          .execute()
        for (const m of messages) changed.reads.push({ messageId: m.id, userId: caller.id })
      }
      // Only read marks of messages the caller may still see: a repeat of an old request after
      // losing a thread must not hand back that thread's ids and times.
      const rows = await trx
        .selectFrom('reads as r')
        .innerJoin('messages as m', 'm.id', 'r.message_id')
        .selectAll('r')
        .where('r.user_id', '=', caller.id)
        .where('r.message_id', 'in', messageIds)
        .where(messageVisible(caller, 'm'))
        .execute()
      return { result: rows.map(toRead), created: messages.length > 0, changed }
    })
  }

  async markThreadRead(caller: Caller, threadId: string): Promise<Written<ReadReceipt[]>> {
    await this.visibleThreadRow(this.db, caller, threadId)
    const ids = await this.db
      .selectFrom('messages as m')
      .select('m.id')
      .where('m.thread_id', '=', threadId)
      .where(messageVisible(caller, 'm'))
      .execute()
    if (!ids.length) return { result: [], created: false, changed: new Changed(caller.companyId) }
    return this.markRead(
      caller,
      ids.map((r) => r.id),
    )
  }

  // ---- internals ----

  private unreadCount(caller: Caller) {
    const internalFilter = isStaff(caller) ? sql`` : sql`AND m.internal = 0`
    return sql<number>`(SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.author_id != ${caller.id} ${internalFilter}
      AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.message_id = m.id AND r.user_id = ${caller.id}))`
  }

  /** The thread if the caller may see it; otherwise NOT_FOUND in words that name nothing. */
  async visibleThreadRow(db: Db | Trx, caller: Caller, threadId: string): Promise<ThreadRow> {
    const row = await db
      .selectFrom('threads as t')
      .selectAll('t')
      .where('t.id', '=', threadId)
      .where(threadVisibleAs(caller, 't'))
      .executeTakeFirst()
    if (!row) throw notFound('The conversation')
    return row
  }

  /** The thread as the caller may see it now. */
  async threadFor(trx: Trx, caller: Caller, threadId: string): Promise<Thread> {
    const row = await trx
      .selectFrom('threads')
      .selectAll()
      .where('id', '=', threadId)
      .executeTakeFirstOrThrow()
    const [thread] = await loadThreads(trx, [row], audienceOf(caller))
    return thread as Thread
  }

  private async threadAndMessage(trx: Trx, caller: Caller, threadId: string, messageId: string) {
    const thread = await this.threadFor(trx, caller, threadId)
    const row = await trx
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow()
    const [message] = await loadMessages(trx, [row])
    return { thread, message: message as Message }
  }

  /**
   * The same client id again: the original result as the caller may see it now, or a 409 when the
   * content differs. A retry arriving after the caller lost the thread (removed from it, from the
   * project) is answered as missing: the write happened, but its thread is no longer theirs to read.
   */
  private async replay(
    trx: Trx,
    caller: Caller,
    clientId: string,
    hash: string,
  ): Promise<Written<{ thread: Thread; message: Message }> | null> {
    const original = await trx
      .selectFrom('messages')
      .select(['id', 'thread_id', 'content_hash'])
      .where('author_id', '=', caller.id)
      .where('client_id', '=', clientId)
      .executeTakeFirst()
    if (!original) return null
    const stillVisible = await trx
      .selectFrom('messages as m')
      .select('m.id')
      .where('m.id', '=', original.id)
      .where(messageVisible(caller, 'm'))
      .executeTakeFirst()
    if (!stillVisible) throw notFound('The conversation')
    if (original.content_hash !== hash) {
      throw new AppError(
        'CLIENT_ID_CONFLICT',
        'This client id was already used for a different message. Send new content with a new client id.',
        { messageId: original.id, threadId: original.thread_id },
      )
    }
    return {
      result: await this.threadAndMessage(trx, caller, original.thread_id, original.id),
      created: false,
      changed: new Changed(caller.companyId),
    }
  }

  private async canSee(trx: Trx, userId: string, thread: ThreadRow): Promise<boolean> {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', userId)
      .executeTakeFirst()
    if (!user) return false
    if (user.role === 'admin') return true
    if (await isParticipant(trx, thread.id, userId)) return true
    if (user.role !== 'staff') return false
    const team = await trx
      .selectFrom('project_members')
      .select('user_id')
      .where('project_id', '=', thread.project_id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return Boolean(team)
  }

  private async assertMayJoin(
    trx: Trx,
    caller: Caller,
    company: CompanyContext,
    project: ProjectRow,
    userId: string,
    asGuest = false,
  ): Promise<void> {
    if (!isStaff(caller)) throw forbidden('Only staff can add people to a conversation.')
    const user = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .where('company_id', '=', caller.companyId)
      .executeTakeFirst()
    if (!user) throw notFound('The person')
    if (user.role === 'subcontractor' && !company.settings.subcontractorsAllowed) {
      throw new AppError(
        'SUBCONTRACTORS_NOT_ALLOWED',
        'Subcontractors cannot be added to conversations. An admin can allow it in Admin → Company Settings → Client Portal.',
      )
    }
    if (user.role === 'customer' && !asGuest) {
      const contact = await trx
        .selectFrom('project_members')
        .select('user_id')
        .where('project_id', '=', project.id)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (!contact)
        throw forbidden(
          `${user.name} is not a customer contact on ${project.name}. Add them to the project first.`,
        )
    }
  }

  private async addParticipantRow(
    trx: Trx,
    caller: Caller,
    thread: ThreadRow,
    userId: string,
    changed: Changed,
  ): Promise<void> {
    await trx
      .insertInto('thread_participants')
      .values({
        thread_id: thread.id,
        user_id: userId,
        added_by: caller.id,
        added_at: nowIso(this.clock),
      })
      .execute()
    await grantThreadAccess(trx, caller.companyId, thread.id, changed)
    await trx
      .deleteFrom('revocations')
      .where('user_id', '=', userId)
      .where('thread_id', '=', thread.id)
      .execute()
    // The newcomer needs to know the people already in the thread, and they need to know the newcomer.
    const seq = await takeSeqs(trx, caller.companyId)
    await trx.updateTable('users').set({ seq }).where('id', '=', userId).execute()
    changed.personIds.add(userId)
    changed.accessUserIds.add(userId)
  }

  private async insertMessage(
    trx: Trx,
    caller: Caller,
    company: CompanyContext,
    project: ProjectRow,
    thread: ThreadRow,
    draft: Draft,
    hash: string,
    changed: Changed,
    isNewThread: boolean,
  ): Promise<{ id: string; autoReply: string | null }> {
    const settings = company.settings
    const body = normalizeBody(draft.body)
    const tooLong = bodyTooLong(body.length, settings.maxBodyChars)
    if (tooLong) throw new AppError('VALIDATION_FAILED', tooLong)
    if (!body.trim() && draft.attachmentIds.length === 0)
      throw new AppError('VALIDATION_FAILED', 'Type a message or attach a file before sending.')

    const staff = isStaff(caller)
    const urgent =
      draft.urgent ||
      (!staff &&
        matchesUrgentKeyword(
          `${isNewThread ? thread.subject : ''} ${body}`,
          settings.urgentKeywords,
        ))
    const messageId = newId()
    const now = nowIso(this.clock)
    const attachments = await this.claimAttachments(
      trx,
      caller,
      settings,
      project,
      draft.attachmentIds,
    )
    const [messageSeq, threadSeq] = [
      await takeSeqs(trx, caller.companyId),
      await takeSeqs(trx, caller.companyId),
    ]
    await trx
      .insertInto('messages')
      .values({
        id: messageId,
        company_id: caller.companyId,
        thread_id: thread.id,
        project_id: project.id,
        author_id: caller.id,
        client_id: draft.clientId,
        content_hash: hash,
        body,
        internal: int(draft.internal),
        urgent: int(urgent),
        created_at: now,
        seq: messageSeq,
      })
      .execute()
    // Attachments are linked before the message row exists in the feed's eyes: same transaction.
    if (attachments.length)
      await trx
        .updateTable('attachments')
        .set({ message_id: messageId })
        .where(
          'id',
          'in',
          attachments.map((a) => a.id),
        )
        .execute()
    const inserted = await trx
      .selectFrom('messages')
      .select('pk')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow()
    await sql`INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (${inserted.pk}, ${thread.subject}, ${body}, ${caller.name}, ${attachments.map((a) => a.name).join(' ')})`.execute(
      trx,
    )

    const names = attachments.map((a) => a.name)
    const text = messagePreview(body, names)
    const fromCustomerSide = !staff
    await trx
      .updateTable('threads')
      .set({
        last_at: now,
        last_preview: messagePreview(body, names, { internal: draft.internal }),
        last_sender_id: caller.id,
        ...(!draft.internal && {
          public_last_at: now,
          public_preview: text,
          public_sender_id: caller.id,
        }),
        ...(fromCustomerSide && {
          waiting_since: thread.waiting_since ?? now,
          urgent: int(bool(thread.urgent) || urgent),
          snoozed_until: null,
          status: 'open' as const,
        }),
        ...(staff && !draft.internal && { waiting_since: null, urgent: 0 }),
        seq: threadSeq,
      })
      .where('id', '=', thread.id)
      .execute()
    changed.threadIds.add(thread.id)
    changed.messageIds.add(messageId)

    const author = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', caller.id)
      .executeTakeFirstOrThrow()
    const queued = await this.mail.forNewMessage(trx, {
      company,
      project,
      thread: { ...thread, last_at: now },
      message: {
        id: messageId,
        body,
        internal: draft.internal,
        urgent,
        createdAt: now,
        attachmentNames: attachments.map((a) => a.name),
      },
      author,
      isNewThread,
    })
    if (queued.queued) changed.mail = true
    return { id: messageId, autoReply: queued.autoReply }
  }

  private async claimAttachments(
    trx: Trx,
    caller: Caller,
    settings: CompanyContext['settings'],
    project: ProjectRow,
    ids: string[],
  ) {
    const unique = [...new Set(ids)]
    if (!unique.length) return []
    if (unique.length > settings.maxFilesPerMessage) {
      throw new AppError(
        'TOO_MANY_FILES',
        `A message can carry ${settings.maxFilesPerMessage} files at most; this one has ${unique.length}. Send the rest in another message.`,
      )
    }
    const rows = await trx.selectFrom('attachments').selectAll().where('id', 'in', unique).execute()
    for (const id of unique) {
      const row = rows.find((r) => r.id === id)
      if (
        !row ||
        row.uploader_id !== caller.id ||
        row.project_id !== project.id ||
        row.message_id !== null
      ) {
        throw new AppError(
          'ATTACHMENT_NOT_AVAILABLE',
          row && row.message_id !== null
            ? `"${row.name}" is already attached to another message. Upload it again to send it here.`
            : `Attachment ${id} is not available for this project. Upload the file again.`,
          { attachmentId: id },
        )
      }
    }
    const total = rows.reduce((sum, r) => sum + r.size, 0)
    if (total > settings.maxMessageBytes) {
      throw new AppError(
        'MESSAGE_ATTACHMENTS_TOO_LARGE',
        `The files add up to ${formatBytes(total)}; a message can carry ${formatBytes(settings.maxMessageBytes)}. Send some of them in another message.`,
      )
    }
    return rows
  }
}

/**
 * Someone can now see a thread they could not before. Their cursor is past its rows, so the rows
 * take fresh seqs: the next pull of everyone who sees the thread carries them again, which an
 * idempotent upsert makes harmless, and the newcomer gets the whole history.
 */
export async function grantThreadAccess(
  trx: Trx,
  companyId: string,
  threadId: string,
  changed: Changed,
): Promise<void> {
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
}

export async function isParticipant(trx: Trx, threadId: string, userId: string) {
  const row = await trx
    .selectFrom('thread_participants')
    .select('user_id')
    .where('thread_id', '=', threadId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Boolean(row)
}

/** The project a thread belongs to. */
export function projectOf(trx: Trx, thread: Pick<ThreadRow, 'project_id'>): Promise<ProjectRow> {
  return trx
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', thread.project_id)
    .executeTakeFirstOrThrow()
}

export async function recordRevocation(
  trx: Trx,
  companyId: string,
  userId: string,
  threadId: string,
  changed: Changed,
): Promise<void> {
  const seq = await takeSeqs(trx, companyId)
  await trx
    .insertInto('revocations')
    .values({ user_id: userId, thread_id: threadId, seq })
    .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ seq }))
    .execute()
  changed.removed.push({ userId, threadId })
}

function draftFields(d: Draft) {
  return {
    body: normalizeBody(d.body),
    internal: d.internal,
    urgent: d.urgent,
    attachmentIds: [...d.attachmentIds].sort(),
  }
}

function contentHash(value: unknown): string {
  return sha256(JSON.stringify(value))
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
