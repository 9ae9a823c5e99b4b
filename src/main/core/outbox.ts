import { v7 as uuidv7 } from 'uuid'
import { CoalescedRun } from '../../shared/coalesce'
import type { IpcInputs, OutboxEntry } from '../../shared/ipc'
import type { Message, ReadReceipt, Thread } from '../../shared/protocol'
import { ApiError, type PortalApi } from './api'
import type { CacheStore } from './cache/store'
import { EngineError } from './errors'
import type { EngineEvents } from './events'
import type { FileStore } from './files'
import { isoIn, nowIso, type Clock } from '../../shared/clock'

type Kind = OutboxEntry['kind']

interface Row {
  id: number
  kind: Kind
  thread_id: string | null
  client_id: string | null
  payload: string
  summary: string
  state: OutboxEntry['state']
  attempts: number
  next_attempt_at: string | null
  error: string | null
  error_code: string | null
  seen_last_customer_at: string | null
  created_at: string
}

interface MessagePayload {
  threadId: string
  projectId: string
  clientId: string
  body: string
  internal: boolean
  urgent: boolean
  stagedFileIds: string[]
  /** new-thread only */
  subject?: string
  participantIds?: string[]
  /** The person chose to send a held reply anyway. */
  sendAnyway?: boolean
}

interface TriagePayload {
  threadId: string
  patch: { status?: string; assigneeId?: string | null; snoozedUntil?: string | null }
  /** The values before the change, restored when the entry is discarded. */
  before: { status?: string; assigneeId?: string | null; snoozedUntil?: string | null }
}

const MAX_BACKOFF_MS = 60_000

/**
 * What a server write limit counts together (server/src/limits/writes.ts): messages with their
 * uploads, and read marks apart. Triage and participants are not limited.
 */
type LimitClass = 'message' | 'read'
const limitClassOf = (kind: Kind): LimitClass | null =>
  kind === 'read' ? 'read' : kind === 'reply' || kind === 'new-thread' ? 'message' : null
const kindsOf: Record<LimitClass, Kind[]> = { message: ['reply', 'new-thread'], read: ['read'] }

/** Backoff with jitter: 0.5 s, 1 s, 2 s, … up to a minute. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (0.75 + random() * 0.5))
}

/**
 * Everything a staff member writes goes through here, online or not. The optimistic local row
 * and the outbox entry are written in one transaction; a sender delivers entries in order per
 * thread with the client id that makes every retry idempotent on the server. Network errors,
 * 5xx and 429 (a limit of this moment) are retried with backoff, and no sooner than the server's
 * Retry-After, across restarts; any other 4xx is kept with its reason until the person retries,
 * edits or discards it. A reply written while customer messages arrived unseen is held
 * for confirmation instead of being sent blind.
 */
export class Outbox {
  private readonly sender = new CoalescedRun(
    () => this.drain(),
    () => this.stopped,
  )
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  /**
   * Until when the server asked each limit class to wait (a 429's Retry-After). The limit is the
   * person's, not one entry's: the others of the class would only be refused in their turn.
   */
  private readonly held = new Map<LimitClass, number>()

  constructor(
    private readonly store: CacheStore,
    private readonly files: FileStore,
    private readonly events: EngineEvents,
    private readonly api: () => PortalApi | null,
    private readonly onNetworkError: (err: ApiError) => void,
    private readonly clock: Clock,
  ) {
    // An entry that was being sent when the app stopped may or may not have arrived; sending it
    // again is safe because of its client id.
    this.store.db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'sending'").run()
  }

  // ---- writing ----

  newThread(
    input: IpcInputs['createThread'],
    author: string,
  ): { threadId: string; outboxId: number } {
    const clientId = uuidv7()
    const now = nowIso(this.clock)
    const payload: MessagePayload = {
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
    const outboxId = this.store.db.transaction(() => {
      const id = this.insert(
        'new-thread',
        clientId,
        clientId,
        payload,
        `New conversation “${input.subject}”`,
        null,
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
    })()
    this.afterWrite([clientId])
    return { threadId: clientId, outboxId }
  }

  reply(input: IpcInputs['reply'], author: string): { messageId: string; outboxId: number } {
    const thread = this.store.thread(input.threadId)
    if (!thread)
      throw new EngineError('NOT_FOUND', 'That conversation is not in your inbox any more.')
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
    const outboxId = this.store.db.transaction(() => {
      const id = this.insert(
        'reply',
        input.threadId,
        clientId,
        payload,
        `${payload.internal ? 'Internal note' : 'Reply'} in “${thread.subject}”`,
        this.store.lastCustomerMessageAt(input.threadId),
      )
      this.store.insertLocalMessage(this.localMessage(payload, author, now), id)
      return id
    })()
    this.afterWrite([input.threadId])
    return { messageId: clientId, outboxId }
  }

  /** Returns how many threads it touched: read marks written, or an unread mark of this desktop cleared. */
  markRead(messageIds: string[]): number {
    let marked: string[] = []
    let cleared: string[] = []
    this.store.db.transaction(() => {
      // Reading any message of a thread marked unread here (markUnread) clears the mark.
      cleared = this.store.clearUnreadMarksOfMessages(messageIds)
      marked = this.store.markReadLocally(messageIds, nowIso(this.clock))
      if (marked.length)
        this.insert(
          'read',
          null,
          null,
          { messageIds },
          `Read marks for ${messageIds.length} message${messageIds.length === 1 ? '' : 's'}`,
          null,
        )
    })()
    const threads = [...new Set([...marked, ...cleared])]
    if (threads.length) this.afterWrite(threads)
    return threads.length
  }

  triage(threadIds: string[], patch: TriagePayload['patch']): number[] {
    const ids = this.store.db.transaction(() =>
      threadIds.map((threadId) => {
        const t = this.store.thread(threadId)
        if (!t)
          throw new EngineError('NOT_FOUND', 'That conversation is not in your inbox any more.')
        const before = { status: t.status, assigneeId: t.assigneeId, snoozedUntil: t.snoozedUntil }
        const id = this.insert(
          'triage',
          threadId,
          null,
          { threadId, patch, before } satisfies TriagePayload,
          `Update “${t.subject}”`,
          null,
        )
        this.store.patchThreadLocally(threadId, patch)
        return id
      }),
    )()
    this.afterWrite(threadIds)
    return ids
  }

  participant(
    kind: 'add-participant' | 'remove-participant',
    threadId: string,
    userId: string,
  ): number {
    const t = this.store.thread(threadId)
    if (!t) throw new EngineError('NOT_FOUND', 'That conversation is not in your inbox any more.')
    const id = this.store.db.transaction(() => {
      const entry = this.insert(
        kind,
        threadId,
        null,
        { threadId, userId },
        `${kind === 'add-participant' ? 'Add' : 'Remove'} a participant in “${t.subject}”`,
        null,
      )
      this.store.setParticipantsLocally(threadId, (ids) =>
        kind === 'add-participant'
          ? [...new Set([...ids, userId])]
          : ids.filter((x) => x !== userId),
      )
      return entry
    })()
    this.afterWrite([threadId])
    return id
  }

  // ---- the person's choices for failed and held entries ----

  list(): OutboxEntry[] {
    return (this.store.db.prepare('SELECT * FROM outbox ORDER BY id').all() as Row[]).map(toEntry)
  }

  retry(id: number): OutboxEntry[] {
    this.update(
      id,
      "state = 'pending', attempts = 0, next_attempt_at = NULL, error = NULL, error_code = NULL",
    )
    this.afterWrite([])
    return this.list()
  }

  sendAnyway(id: number): OutboxEntry[] {
    const row = this.row(id)
    if (row.kind === 'reply')
      this.setPayload(id, { ...(JSON.parse(row.payload) as MessagePayload), sendAnyway: true })
    return this.retry(id)
  }

  /** A new body gets a new client id: the server may have seen the old one with the old words. */
  edit(id: number, body: string): OutboxEntry[] {
    const row = this.row(id)
    if (row.kind !== 'reply' && row.kind !== 'new-thread')
      throw new EngineError('INVALID_INPUT', 'Only messages can be edited.')
    const payload = JSON.parse(row.payload) as MessagePayload
    const clientId = uuidv7()
    this.store.db.transaction(() => {
      this.setPayload(id, { ...payload, body, clientId, sendAnyway: false })
      // Editing follows reading the thread: the newest customer message is now seen.
      const seen = row.thread_id ? this.store.lastCustomerMessageAt(row.thread_id) : null
      this.store.db
        .prepare('UPDATE outbox SET client_id = ?, seen_last_customer_at = ? WHERE id = ?')
        .run(clientId, seen, id)
      this.store.db
        .prepare('UPDATE messages SET body = ?, client_id = ? WHERE outbox_id = ?')
        .run(body, clientId, id)
      this.store.db
        .prepare(
          'UPDATE messages_fts SET body = ? WHERE rowid = (SELECT pk FROM messages WHERE outbox_id = ?)',
        )
        .run(body, id)
      // The inbox list's preview shows the new words, not the ones edited away.
      if (row.thread_id) this.store.refreshLastMessage(row.thread_id)
      this.update(
        id,
        "state = 'pending', attempts = 0, next_attempt_at = NULL, error = NULL, error_code = NULL",
      )
    })()
    this.afterWrite(row.thread_id ? [row.thread_id] : [])
    return this.list()
  }

  discard(id: number): OutboxEntry[] {
    const row = this.row(id)
    const threads = new Set<string>(row.thread_id ? [row.thread_id] : [])
    this.store.db.transaction(() => {
      if (row.kind === 'new-thread' || row.kind === 'reply') {
        // The thread's preview and time go back to the newest message that really exists.
        this.store.removeLocalMessages(id)
        if (row.kind === 'new-thread' && row.thread_id) {
          // Replies written into a conversation that will now never exist go with it.
          this.store.db.prepare('DELETE FROM messages WHERE thread_id = ?').run(row.thread_id)
          this.store.db
            .prepare('DELETE FROM outbox WHERE thread_id = ? AND id != ?')
            .run(row.thread_id, id)
          this.store.db.prepare('DELETE FROM threads WHERE id = ? AND local = 1').run(row.thread_id)
        }
      }
      if (row.kind === 'triage') {
        const payload = JSON.parse(row.payload) as TriagePayload
        this.store.patchThreadLocally(payload.threadId, payload.before)
      }
      this.store.db.prepare('DELETE FROM outbox WHERE id = ?').run(id)
    })()
    this.afterWrite([...threads])
    return this.list()
  }

  // ---- sending ----

  /** Sends what is due. Concurrent calls coalesce; `now` forgets backoff (the connection just came back). */
  kick(options: { now?: boolean } = {}): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (options.now) {
      this.store.db
        .prepare("UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'")
        .run()
      // The connection came back or the person asked: one request finds out whether the wait holds.
      this.held.clear()
    }
    return this.sender.run()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
  }

  get idle(): Promise<void> {
    return this.sender.idle
  }

  pendingCount(): number {
    return (this.store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return
      const api = this.api()
      if (!api) return
      const row = this.nextDue()
      if (!row) {
        this.scheduleNext()
        return
      }
      this.update(row.id, "state = 'sending'")
      try {
        await this.send(api, row)
      } catch (err) {
        const error =
          err instanceof ApiError
            ? err
            : err instanceof EngineError
              ? new ApiError('rejected', err.message, null, err.code)
              : new ApiError('network', String(err))
        if (error.retryable) {
          const attempts = row.attempts + 1
          // A server that said when to come back (429 Retry-After) is asked no sooner.
          const waitMs = Math.max(backoffMs(attempts), error.retryAfterMs ?? 0)
          this.store.db
            .prepare(
              "UPDATE outbox SET state = 'pending', attempts = ?, next_attempt_at = ?, error = ?, error_code = ? WHERE id = ?",
            )
            .run(attempts, isoIn(this.clock, waitMs), error.message, error.code, row.id)
          this.events.changed({ outbox: true })
          if (error.kind === 'network') {
            // Everything else would fail the same way: wait for the connection (or the backoff).
            this.onNetworkError(error)
            this.scheduleNext()
            return
          }
          const limited = error.retryAfterMs !== null ? limitClassOf(row.kind) : null
          if (limited) this.held.set(limited, this.clock.now() + waitMs)
        } else {
          this.store.db
            .prepare(
              "UPDATE outbox SET state = 'failed', attempts = attempts + 1, error = ?, error_code = ? WHERE id = ?",
            )
            .run(error.message, error.code, row.id)
          this.events.changed({ outbox: true, threadIds: row.thread_id ? [row.thread_id] : [] })
        }
      }
    }
  }

  /** The oldest pending entry that is due and has nothing older waiting in its thread. */
  private nextDue(): Row | undefined {
    const now = this.clock.now()
    const heldKinds: Kind[] = []
    for (const [limited, until] of this.held)
      if (until > now) heldKinds.push(...kindsOf[limited])
      else this.held.delete(limited)
    return this.store.db
      .prepare(
        `SELECT * FROM outbox o WHERE o.state = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
        AND o.kind NOT IN (${heldKinds.map(() => '?').join(', ')})
        AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.thread_id = o.thread_id AND e.id < o.id)
        ORDER BY o.id LIMIT 1`,
      )
      .get(nowIso(this.clock), ...heldKinds) as Row | undefined
  }

  private scheduleNext(): void {
    if (this.timer) clearTimeout(this.timer)
    const next = this.store.db
      .prepare(
        "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND next_attempt_at IS NOT NULL",
      )
      .get() as { at: string | null }
    const at = Math.min(
      next.at ? Date.parse(next.at) : Infinity,
      ...[...this.held.values()].filter((until) => until > this.clock.now()),
    )
    if (at === Infinity || this.stopped) return
    this.timer = setTimeout(() => void this.kick(), Math.max(50, at - this.clock.now()))
    this.timer.unref()
  }

  private async send(api: PortalApi, row: Row): Promise<void> {
    switch (row.kind) {
      case 'new-thread':
      case 'reply': {
        const p = JSON.parse(row.payload) as MessagePayload
        if (row.kind === 'reply' && !p.sendAnyway) {
          const newest = this.store.lastCustomerMessageAt(p.threadId)
          if (newest && (!row.seen_last_customer_at || newest > row.seen_last_customer_at)) {
            const count = (
              this.store.db
                .prepare(
                  `SELECT count(*) AS n FROM messages m JOIN people p ON p.id = m.author_id WHERE m.thread_id = ? AND p.role IN ('customer','subcontractor') AND m.created_at > ?`,
                )
                .get(p.threadId, row.seen_last_customer_at ?? '') as { n: number }
            ).n
            this.store.db
              .prepare(
                "UPDATE outbox SET state = 'held', error = ?, error_code = 'HELD_FOR_NEW_MESSAGES' WHERE id = ?",
              )
              .run(
                `${count} new customer message${count === 1 ? '' : 's'} arrived after you wrote this reply. Read ${count === 1 ? 'it' : 'them'}, then send anyway or edit.`,
                row.id,
              )
            this.events.changed({ outbox: true, threadIds: [p.threadId] })
            return
          }
        }
        const attachmentIds = await this.files.upload(api, p.projectId, p.stagedFileIds)
        const draft = {
          clientId: p.clientId,
          body: p.body,
          internal: p.internal,
          urgent: p.urgent,
          attachmentIds,
        }
        const result =
          row.kind === 'new-thread'
            ? await api.createThread({
                ...draft,
                projectId: p.projectId,
                subject: p.subject ?? '',
                participantIds: p.participantIds ?? [],
              })
            : await api.reply(p.threadId, draft)
        this.complete(row, { threads: [result.thread], messages: [result.message] })
        for (const id of p.stagedFileIds) await this.files.unstage(id)
        return
      }
      case 'read': {
        const { messageIds } = JSON.parse(row.payload) as { messageIds: string[] }
        const result = await api.markRead(messageIds)
        this.complete(row, { reads: result.reads })
        return
      }
      case 'triage': {
        const p = JSON.parse(row.payload) as TriagePayload
        this.complete(row, { threads: [await api.updateThread(p.threadId, p.patch)] })
        return
      }
      case 'add-participant':
      case 'remove-participant': {
        const p = JSON.parse(row.payload) as { threadId: string; userId: string }
        const thread =
          row.kind === 'add-participant'
            ? await api.addParticipant(p.threadId, p.userId)
            : await api.removeParticipant(p.threadId, p.userId)
        this.complete(row, { threads: [thread] })
        return
      }
    }
  }

  /** The server's answer replaces the optimistic rows and the entry goes, in one transaction. */
  private complete(
    row: Row,
    changes: {
      threads?: Thread[]
      messages?: Message[]
      reads?: ReadReceipt[]
    },
  ): void {
    let threadIds: string[] = []
    this.store.db.transaction(() => {
      this.store.db.prepare('DELETE FROM outbox WHERE id = ?').run(row.id)
      const applied = this.store.apply({
        people: [],
        projects: [],
        threads: changes.threads ?? [],
        messages: changes.messages ?? [],
        reads: changes.reads ?? [],
        settings: null,
        removedThreadIds: [],
      })
      threadIds = [...applied.threadIds]
    })()
    this.events.changed({
      outbox: true,
      threadIds: [...threadIds, ...(row.thread_id ? [row.thread_id] : [])],
    })
  }

  // ---- internals ----

  private insert(
    kind: Kind,
    threadId: string | null,
    clientId: string | null,
    payload: unknown,
    summary: string,
    seenLastCustomerAt: string | null,
  ): number {
    const result = this.store.db
      .prepare(
        "INSERT INTO outbox (kind, thread_id, client_id, payload, summary, state, seen_last_customer_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
      )
      .run(
        kind,
        threadId,
        clientId,
        JSON.stringify(payload),
        summary,
        seenLastCustomerAt,
        nowIso(this.clock),
      )
    return Number(result.lastInsertRowid)
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

  private row(id: number): Row {
    const row = this.store.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as
      Row | undefined
    if (!row) throw new EngineError('NOT_FOUND', 'That outbox entry was already sent or discarded.')
    return row
  }

  private update(id: number, set: string): void {
    this.store.db.prepare(`UPDATE outbox SET ${set} WHERE id = ?`).run(id)
  }

  private setPayload(id: number, payload: unknown): void {
    this.store.db
      .prepare('UPDATE outbox SET payload = ? WHERE id = ?')
      .run(JSON.stringify(payload), id)
  }

  private afterWrite(threadIds: string[]): void {
    this.events.changed({ outbox: true, threadIds })
    void this.kick()
  }
}

function toEntry(r: Row): OutboxEntry {
  return {
    id: r.id,
    kind: r.kind,
    threadId: r.thread_id,
    clientId: r.client_id,
    state: r.state,
    attempts: r.attempts,
    error: r.error,
    errorCode: r.error_code,
    summary: r.summary,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
  }
}
