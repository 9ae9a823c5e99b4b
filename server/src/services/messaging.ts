import type { PortalDb } from '../db/handle'
import type { z } from 'zod'
import type { Message, MessageDraft, NewThreadBody, Thread } from '../../../src/shared/protocol'
import { formatBytes } from '../../../src/shared/files'
import { bodyTooLong } from '../../../src/shared/message-body'
import { messagePreview } from '../../../src/shared/preview'
import { nowIso, type Clock } from '../../../src/shared/clock'
import type { ProjectRow, ThreadRow } from '../db/schema'
import { isAdmin, isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { assertMaySend } from '../domain/rules'
import { matchesUrgentKeyword } from '../domain/settings'
import { AppError, forbidden, notFound } from '../errors'
import type { MailQueue } from '../mail/queue'
import { loadCompany, type CompanyContext } from '../repositories/companies'
import { findForCaller } from '../repositories/find'
import {
  attachmentsByIds,
  insertMessage,
  messageByClientId,
  messageVisibleTo,
} from '../repositories/messages'
import { addParticipants, isProjectMember, projectPeople } from '../repositories/participants'
import { personById } from '../repositories/people'
import type { SearchIndex } from '../repositories/search'
import { takeSeqs } from '../repositories/seq'
import {
  insertThread,
  projectOf,
  threadAndMessage,
  touchThread,
  visibleThreadRow,
} from '../repositories/threads'
import { bool, int, newId, normalizeBody, sha256 } from '../util'
import { assertMayJoin } from './participants'
import type { Created } from './written'

type Db = PortalDb
type Draft = z.output<typeof MessageDraft>
type NewThread = z.output<typeof NewThreadBody>
type Sent = Created<{ thread: Thread; message: Message; autoReply?: string | null }>

/** The message a write is adding, with everything its rules look at. */
interface NewMessage {
  caller: Caller
  company: CompanyContext
  project: ProjectRow
  thread: ThreadRow
  draft: Draft
  /** The content's hash, kept with the client id so a repeat with other content is refused. */
  hash: string
  isNewThread: boolean
}

/**
 * Starting conversations and replying: every rule of the help page about who may write what,
 * where, and what a new message does to its thread (previews, waiting, urgency, mail).
 */
export class MessagingService {
  constructor(
    private readonly db: Db,
    private readonly ports: { mail: MailQueue; search: SearchIndex; clock: Clock },
  ) {}

  async create(caller: Caller, body: NewThread): Promise<Sent> {
    return this.db.transaction().execute(async (trx) => {
      const company = await loadCompany(trx, caller.companyId)
      // A project the caller may not see is answered as missing, in words that name nothing.
      const project = await findForCaller(trx, caller, {
        kind: 'project',
        id: body.projectId,
        in: 'sight',
      })
      const hash = contentHash({
        kind: 'thread',
        projectId: body.projectId,
        subject: body.subject,
        ...draftFields(body),
      })
      const replay = await this.replay(trx, caller, body.clientId, hash)
      if (replay) return replay

      if (!isAdmin(caller) && !(await isProjectMember(trx, project.id, caller.id))) {
        throw forbidden(
          isStaff(caller)
            ? `You are not on the team of ${project.name}. Ask an admin to assign you to the project.`
            : `You are not a customer contact on ${project.name}, so you cannot start a conversation there.`,
        )
      }
      assertMaySend(caller, company.settings, project, body.internal)

      const changed = new Changed(caller.companyId)
      const now = nowIso(this.ports.clock)
      const members = await projectPeople(trx, project.id)
      const participantIds = new Set<string>([
        caller.id,
        ...members.filter((m) => m.role !== 'subcontractor').map((m) => m.id),
      ])
      for (const extra of body.participantIds) {
        if (participantIds.has(extra)) continue
        await assertMayJoin(trx, { caller, company, project, userId: extra })
        participantIds.add(extra)
      }

      const thread: ThreadRow = {
        id: newId(),
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
        seq: await takeSeqs(trx, caller.companyId),
      }
      await insertThread(trx, thread)
      await addParticipants(trx, {
        threadId: thread.id,
        userIds: [...participantIds],
        addedBy: caller.id,
        addedAt: now,
      })
      // Sockets connected before the thread existed are not in its rooms: recompute them, so
      // every participant gets this message and the next ones live, on every node.
      for (const id of participantIds) changed.accessUserIds.add(id)
      const message = { caller, company, project, thread, draft: body, hash, isNewThread: true }
      return this.sent(trx, message, changed)
    })
  }

  async reply(caller: Caller, threadId: string, draft: Draft): Promise<Sent> {
    return this.db.transaction().execute(async (trx) => {
      const company = await loadCompany(trx, caller.companyId)
      const thread = await visibleThreadRow(trx, caller, threadId)
      const hash = contentHash({ kind: 'reply', threadId, ...draftFields(draft) })
      const replay = await this.replay(trx, caller, draft.clientId, hash)
      if (replay) return replay
      const project = await projectOf(trx, thread)
      assertMaySend(caller, company.settings, project, draft.internal)
      const changed = new Changed(caller.companyId)
      return this.sent(
        trx,
        { caller, company, project, thread, draft, hash, isNewThread: false },
        changed,
      )
    })
  }

  /** Adds the message and answers the thread and message as the author sees them now. */
  private async sent(trx: Db, m: NewMessage, changed: Changed): Promise<Sent> {
    const message = await this.addMessage(trx, m, changed)
    const ids = { threadId: m.thread.id, messageId: message.id }
    return {
      result: { ...(await threadAndMessage(trx, m.caller, ids)), autoReply: message.autoReply },
      created: true,
      changed,
    }
  }

  /**
   * The same client id again: the original result as the caller may see it now, or a 409 when the
   * content differs. A retry arriving after the caller lost the thread (removed from it, from the
   * project) is answered as missing: the write happened, but its thread is no longer theirs to read.
   */
  private async replay(trx: Db, caller: Caller, clientId: string, hash: string) {
    const original = await messageByClientId(trx, caller.id, clientId)
    if (!original) return null
    if (!(await messageVisibleTo(trx, caller, original.id))) throw notFound('The conversation')
    if (original.content_hash !== hash) {
      throw new AppError(
        'CLIENT_ID_CONFLICT',
        'This client id was already used for a different message. Send new content with a new client id.',
        { messageId: original.id, threadId: original.thread_id },
      )
    }
    const ids = { threadId: original.thread_id, messageId: original.id }
    return {
      result: await threadAndMessage(trx, caller, ids),
      created: false,
      changed: new Changed(caller.companyId),
    } satisfies Sent
  }

  private async addMessage(
    trx: Db,
    m: NewMessage,
    changed: Changed,
  ): Promise<{ id: string; autoReply: string | null }> {
    const { caller, company, project, thread, draft } = m
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
          `${m.isNewThread ? thread.subject : ''} ${body}`,
          settings.urgentKeywords,
        ))
    const messageId = newId()
    const now = nowIso(this.ports.clock)
    const attachments = await claimAttachments(trx, m)
    const names = attachments.map((a) => a.name)
    const pk = await insertMessage(
      trx,
      {
        id: messageId,
        company_id: caller.companyId,
        thread_id: thread.id,
        project_id: project.id,
        author_id: caller.id,
        client_id: draft.clientId,
        content_hash: m.hash,
        body,
        internal: int(draft.internal),
        urgent: int(urgent),
        created_at: now,
      },
      attachments.map((a) => a.id),
    )
    await this.ports.search.addMessage(trx, {
      pk,
      subject: thread.subject,
      body,
      sender: caller.name,
      attachments: names.join(' '),
    })

    const fromCustomerSide = !staff
    await touchThread(trx, caller.companyId, thread.id, {
      last_at: now,
      last_preview: messagePreview(body, names, { internal: draft.internal }),
      last_sender_id: caller.id,
      ...(!draft.internal && {
        public_last_at: now,
        public_preview: messagePreview(body, names),
        public_sender_id: caller.id,
      }),
      ...(fromCustomerSide && {
        waiting_since: thread.waiting_since ?? now,
        urgent: int(bool(thread.urgent) || urgent),
        snoozed_until: null,
        status: 'open' as const,
      }),
      ...(staff && !draft.internal && { waiting_since: null, urgent: 0 }),
    })
    changed.threadIds.add(thread.id)
    changed.messageIds.add(messageId)

    const queued = await this.ports.mail.forNewMessage(trx, {
      company,
      project,
      thread: { ...thread, last_at: now },
      message: {
        id: messageId,
        body,
        internal: draft.internal,
        urgent,
        createdAt: now,
        attachmentNames: names,
        attachments: attachments.map((a) => ({ id: a.id, name: a.name })),
      },
      author: await personById(trx, caller.id),
      isNewThread: m.isNewThread,
    })
    if (queued.queued) changed.mail = true
    return { id: messageId, autoReply: queued.autoReply }
  }
}

/** The draft's files: the author's own uploads to this project, not yet sent, within the limits. */
async function claimAttachments(trx: Db, m: NewMessage) {
  const settings = m.company.settings
  const unique = [...new Set(m.draft.attachmentIds)]
  if (!unique.length) return []
  if (unique.length > settings.maxFilesPerMessage) {
    throw new AppError(
      'TOO_MANY_FILES',
      `A message can carry ${settings.maxFilesPerMessage} files at most; this one has ${unique.length}. Send the rest in another message.`,
    )
  }
  const rows = await attachmentsByIds(trx, unique)
  for (const id of unique) {
    const row = rows.find((r) => r.id === id)
    if (
      !row ||
      row.uploader_id !== m.caller.id ||
      row.project_id !== m.project.id ||
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
