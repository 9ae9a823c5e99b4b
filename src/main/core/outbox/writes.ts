import { v7 as uuidv7 } from 'uuid'
import { nowIso, type Clock } from '../../../shared/clock'
import type { IpcInputs } from '../../../shared/ipc'
import type { Message, Thread } from '../../../shared/protocol'
import type { MessagePayload, TriagePayload } from '../cache/outbox-payload'
import type { CacheStore } from '../cache/store'
import { EngineError } from '../errors'
import type { FileStore } from '../files'
import type { OutboxQueue } from './queue'

const gone = () => new EngineError('NOT_FOUND', 'That conversation is not in your inbox any more.')

/**
 * The optimistic writes: each puts the outbox entry and the local rows it stands for in one
 * transaction, so the inbox shows at once what the sender delivers later. Each returns what it
 * wrote and the threads it touched.
 */
export class OutboxWrites {
  constructor(
    private readonly store: CacheStore,
    private readonly queue: OutboxQueue,
    private readonly files: FileStore,
    private readonly clock: Clock,
  ) {}

  newThread(
    input: IpcInputs['createThread'],
    author: string,
  ): { threadId: string; outboxId: number } {
    const clientId = uuidv7()
    const now = nowIso(this.clock)
    const payload = {
      threadId: clientId,
      projectId: input.projectId,
      clientId,
      body: input.body,
      internal: input.internal ?? false,
      urgent: input.urgent ?? false,
      stagedFileIds: input.stagedFileIds ?? [],
      subject: input.subject,
      participantIds: input.participantIds ?? [],
    }
    const outboxId = this.store.transaction(() => {
      const id = this.queue.add(
        { kind: 'new-thread', payload },
        {
          threadId: clientId,
          clientId,
          summary: `New conversation “${input.subject}”`,
          seenLastCustomerAt: null,
        },
      )
      const project = this.store.projects().find((p) => p.id === input.projectId)
      const participants = [
        ...new Set([
          author,
          ...(project?.customerIds ?? []),
          ...(project?.teamIds ?? []),
          ...(input.participantIds ?? []),
        ]),
      ]
      const thread: Thread = {
        id: clientId,
        clientId,
        projectId: input.projectId,
        subject: input.subject,
        status: 'open',
        assigneeId: null,
        snoozedUntil: null,
        waitingSince: null,
        urgent: false,
        createdById: author,
        createdAt: now,
        lastMessageAt: now,
        lastMessagePreview: '',
        lastMessageSenderId: author,
        participantIds: participants,
        seq: 0,
      }
      this.store.insertLocalThread(thread)
      this.store.insertLocalMessage(this.localMessage(payload, author, now), id)
      return id
    })
    return { threadId: clientId, outboxId }
  }

  reply(input: IpcInputs['reply'], author: string): { messageId: string; outboxId: number } {
    const thread = this.store.thread(input.threadId)
    if (!thread) throw gone()
    const clientId = uuidv7()
    const now = nowIso(this.clock)
    const payload: MessagePayload = {
      threadId: input.threadId,
      projectId: thread.projectId,
      clientId,
      body: input.body,
      internal: input.internal ?? false,
      urgent: false,
      stagedFileIds: input.stagedFileIds ?? [],
    }
    const outboxId = this.store.transaction(() => {
      const id = this.queue.add(
        { kind: 'reply', payload },
        {
          threadId: input.threadId,
          clientId,
          summary: `${payload.internal ? 'Internal note' : 'Reply'} in “${thread.subject}”`,
          seenLastCustomerAt: this.store.lastCustomerMessageAt(input.threadId),
        },
      )
      this.store.insertLocalMessage(this.localMessage(payload, author, now), id)
      return id
    })
    return { messageId: clientId, outboxId }
  }

  /** Returns the threads it touched: read marks written, or an unread mark of this desktop cleared. */
  markRead(messageIds: string[]): string[] {
    return this.store.transaction(() => {
      // Reading any message of a thread marked unread here (markUnread) clears the mark.
      const cleared = this.store.clearUnreadMarksOfMessages(messageIds)
      const marked = this.store.markReadLocally(messageIds, nowIso(this.clock))
      if (marked.length)
        this.queue.add(
          { kind: 'read', payload: { messageIds } },
          {
            threadId: null,
            clientId: null,
            summary: `Read marks for ${messageIds.length} message${messageIds.length === 1 ? '' : 's'}`,
            seenLastCustomerAt: null,
          },
        )
      return [...new Set([...marked, ...cleared])]
    })
  }

  triage(threadIds: string[], patch: TriagePayload['patch']): number[] {
    return this.store.transaction(() =>
      threadIds.map((threadId) => {
        const t = this.store.thread(threadId)
        if (!t) throw gone()
        const before = { status: t.status, assigneeId: t.assigneeId, snoozedUntil: t.snoozedUntil }
        const id = this.queue.add(
          { kind: 'triage', payload: { threadId, patch, before } },
          { threadId, clientId: null, summary: `Update “${t.subject}”`, seenLastCustomerAt: null },
        )
        this.store.patchThreadLocally(threadId, patch)
        return id
      }),
    )
  }

  participant(
    kind: 'add-participant' | 'remove-participant',
    threadId: string,
    userId: string,
  ): number {
    const t = this.store.thread(threadId)
    if (!t) throw gone()
    return this.store.transaction(() => {
      const entry = this.queue.add(
        { kind, payload: { threadId, userId } },
        {
          threadId,
          clientId: null,
          summary: `${kind === 'add-participant' ? 'Add' : 'Remove'} a participant in “${t.subject}”`,
          seenLastCustomerAt: null,
        },
      )
      this.store.setParticipantsLocally(threadId, (ids) =>
        kind === 'add-participant'
          ? [...new Set([...ids, userId])]
          : ids.filter((x) => x !== userId),
      )
      return entry
    })
  }

  // ---- the person's choices for failed and held entries ----

  sendAnyway(id: number): void {
    const entry = this.queue.entry(id)
    if (entry.kind === 'reply') this.queue.setPayload(id, { ...entry.payload, sendAnyway: true })
    this.queue.reset(id)
  }

  /** A new body gets a new client id: the server may have seen the old one with the old words. Returns the thread touched. */
  edit(id: number, body: string): string | null {
    const entry = this.queue.entry(id)
    if (entry.kind !== 'reply' && entry.kind !== 'new-thread')
      throw new EngineError('INVALID_INPUT', 'Only messages can be edited.')
    const clientId = uuidv7()
    this.store.transaction(() => {
      this.queue.setPayload(id, { ...entry.payload, body, clientId, sendAnyway: false })
      // Editing follows reading the thread: the newest customer message is now seen.
      const seen = entry.threadId ? this.store.lastCustomerMessageAt(entry.threadId) : null
      this.queue.setClientId(id, clientId, seen)
      this.store.editLocalMessage(id, { body, clientId })
      // The inbox list's preview shows the new words, not the ones edited away.
      if (entry.threadId) this.store.refreshLastMessage(entry.threadId)
      this.queue.reset(id)
    })
    return entry.threadId
  }

  /** Returns the thread touched. */
  discard(id: number): string | null {
    // From the entry's kind and thread alone: an entry whose payload cannot be read can still go.
    const entry = this.queue.head(id)
    this.store.transaction(() => {
      if (entry.kind === 'new-thread' || entry.kind === 'reply') {
        // The thread's preview and time go back to the newest message that really exists.
        this.store.removeLocalMessages(id)
        if (entry.kind === 'new-thread' && entry.threadId) {
          // Replies written into a conversation that will now never exist go with it.
          this.store.removeLocalThread(entry.threadId)
          this.queue.removeOthersOfThread(entry.threadId, id)
        }
      }
      const triage = entry.kind === 'triage' ? this.queue.readable(id) : null
      if (triage?.kind === 'triage')
        this.store.patchThreadLocally(triage.payload.threadId, triage.payload.before)
      this.queue.remove(id)
    })
    return entry.threadId
  }

  private localMessage(p: MessagePayload, author: string, now: string): Message {
    const staged = this.files.staged(p.stagedFileIds)
    return {
      id: p.clientId,
      threadId: p.threadId,
      projectId: p.projectId,
      authorId: author,
      clientId: p.clientId,
      body: p.body,
      internal: p.internal,
      urgent: p.urgent,
      createdAt: now,
      seq: 0,
      attachments: staged.map((f) => ({
        id: f.id,
        messageId: p.clientId,
        projectId: p.projectId,
        name: f.name,
        size: f.size,
        contentType: f.content_type,
        sha256: '',
        createdAt: now,
      })),
    }
  }
}
