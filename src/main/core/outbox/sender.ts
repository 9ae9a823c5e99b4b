import { CoalescedRun } from '../../../shared/coalesce'
import type { Clock } from '../../../shared/clock'
import type { Message, ReadReceipt, Thread } from '../../../shared/protocol'
import { ApiError, type PortalApi } from '../api'
import type { QueuedEntry } from '../cache/outbox-table'
import type { CacheStore } from '../cache/store'
import { EngineError } from '../errors'
import type { EngineEvents } from '../events'
import type { FileStore } from '../files'
import type { OutboxQueue } from './queue'

type EntryOf<K extends QueuedEntry['kind']> = Extract<QueuedEntry, { kind: K }>

export interface SenderDeps {
  store: CacheStore
  queue: OutboxQueue
  files: FileStore
  events: EngineEvents
  /** The server, while the connection is online; null stops the sender. */
  api: () => PortalApi | null
  onNetworkError: (err: ApiError) => void
  clock: Clock
}

/**
 * Delivers the queue in order per thread, with the client id that makes every retry idempotent
 * on the server. Network errors, 5xx and 429 (a limit of this moment) are retried with backoff,
 * and no sooner than the server's Retry-After, across restarts; any other 4xx is kept with its
 * reason until the person retries, edits or discards it. A reply written while customer messages
 * arrived unseen is held for confirmation instead of being sent blind.
 */
export class OutboxSender {
  private readonly run = new CoalescedRun(
    () => this.drain(),
    () => this.stopped,
  )
  private timer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(private readonly deps: SenderDeps) {}

  /** Sends what is due. Concurrent calls coalesce; `now` forgets backoff (the connection just came back). */
  kick(options: { now?: boolean } = {}): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (options.now) this.deps.queue.dueNow()
    return this.run.run()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
  }

  get idle(): Promise<void> {
    return this.run.idle
  }

  private async drain(): Promise<void> {
    const { queue, events } = this.deps
    for (;;) {
      if (this.stopped) return
      const api = this.deps.api()
      if (!api) return
      const entry = queue.nextDue()
      if (!entry) {
        this.scheduleNext()
        return
      }
      queue.sending(entry.id)
      try {
        await this.send(api, entry)
      } catch (err) {
        const error =
          err instanceof ApiError
            ? err
            : err instanceof EngineError
              ? new ApiError('rejected', err.message, null, err.code)
              : new ApiError('network', String(err))
        if (error.retryable) {
          queue.retryLater(entry, error)
          events.changed({ outbox: true })
          if (error.kind === 'network') {
            // Everything else would fail the same way: wait for the connection (or the backoff).
            this.deps.onNetworkError(error)
            this.scheduleNext()
            return
          }
        } else {
          queue.failed(entry.id, error)
          events.changed({ outbox: true, threadIds: entry.threadId ? [entry.threadId] : [] })
        }
      }
    }
  }

  private scheduleNext(): void {
    if (this.timer) clearTimeout(this.timer)
    const at = this.deps.queue.nextWakeAt()
    if (at === null || this.stopped) return
    this.timer = setTimeout(() => void this.kick(), Math.max(50, at - this.deps.clock.now()))
    this.timer.unref()
  }

  private send(api: PortalApi, entry: QueuedEntry): Promise<void> {
    switch (entry.kind) {
      case 'new-thread':
        return this.sendNewThread(api, entry)
      case 'reply':
        return this.sendReply(api, entry)
      case 'read':
        return this.sendReadMarks(api, entry)
      case 'triage':
        return this.sendTriage(api, entry)
      case 'add-participant':
      case 'remove-participant':
        return this.sendParticipant(api, entry)
    }
  }

  private async sendNewThread(api: PortalApi, entry: EntryOf<'new-thread'>): Promise<void> {
    const p = entry.payload
    const attachmentIds = await this.deps.files.upload(api, p.projectId, p.stagedFileIds)
    const result = await api.createThread({
      clientId: p.clientId,
      body: p.body,
      internal: p.internal,
      urgent: p.urgent,
      attachmentIds,
      projectId: p.projectId,
      subject: p.subject,
      participantIds: p.participantIds,
    })
    this.complete(entry, { threads: [result.thread], messages: [result.message] })
    for (const id of p.stagedFileIds) await this.deps.files.unstage(id)
  }

  private async sendReply(api: PortalApi, entry: EntryOf<'reply'>): Promise<void> {
    const p = entry.payload
    if (!p.sendAnyway && this.holdForNewMessages(entry)) return
    const attachmentIds = await this.deps.files.upload(api, p.projectId, p.stagedFileIds)
    const result = await api.reply(p.threadId, {
      clientId: p.clientId,
      body: p.body,
      internal: p.internal,
      urgent: p.urgent,
      attachmentIds,
    })
    this.complete(entry, { threads: [result.thread], messages: [result.message] })
    for (const id of p.stagedFileIds) await this.deps.files.unstage(id)
  }

  /** Holds a reply written before customer messages its author has not seen; returns whether it did. */
  private holdForNewMessages(entry: EntryOf<'reply'>): boolean {
    const { store, queue, events } = this.deps
    const { threadId } = entry.payload
    const seen = entry.seenLastCustomerAt
    const newest = store.lastCustomerMessageAt(threadId)
    if (!newest || (seen && newest <= seen)) return false
    const count = store.customerMessagesSince(threadId, seen ?? '')
    queue.heldForNewMessages(
      entry.id,
      `${count} new customer message${count === 1 ? '' : 's'} arrived after you wrote this reply. Read ${count === 1 ? 'it' : 'them'}, then send anyway or edit.`,
    )
    events.changed({ outbox: true, threadIds: [threadId] })
    return true
  }

  private async sendReadMarks(api: PortalApi, entry: EntryOf<'read'>): Promise<void> {
    const result = await api.markRead(entry.payload.messageIds)
    this.complete(entry, { reads: result.reads })
  }

  private async sendTriage(api: PortalApi, entry: EntryOf<'triage'>): Promise<void> {
    const { threadId, patch } = entry.payload
    this.complete(entry, { threads: [await api.updateThread(threadId, patch)] })
  }

  private async sendParticipant(
    api: PortalApi,
    entry: EntryOf<'add-participant' | 'remove-participant'>,
  ): Promise<void> {
    const { threadId, userId } = entry.payload
    const thread =
      entry.kind === 'add-participant'
        ? await api.addParticipant(threadId, userId)
        : await api.removeParticipant(threadId, userId)
    this.complete(entry, { threads: [thread] })
  }

  /** The server's answer replaces the optimistic rows and the entry goes, in one transaction. */
  private complete(
    entry: QueuedEntry,
    changes: { threads?: Thread[]; messages?: Message[]; reads?: ReadReceipt[] },
  ): void {
    const { store, queue, events } = this.deps
    const threadIds = store.transaction(() => {
      queue.remove(entry.id)
      const applied = store.apply({
        people: [],
        projects: [],
        threads: changes.threads ?? [],
        messages: changes.messages ?? [],
        reads: changes.reads ?? [],
        settings: null,
        removedThreadIds: [],
      })
      return [...applied.threadIds]
    })
    events.changed({
      outbox: true,
      threadIds: [...threadIds, ...(entry.threadId ? [entry.threadId] : [])],
    })
  }
}
