import type { Clock } from '../../shared/clock'
import type { IpcInputs, OutboxEntry } from '../../shared/ipc'
import type { ApiError, PortalApi } from './api'
import type { TriagePayload } from './cache/outbox-payload'
import type { CacheStore } from './cache/store'
import type { EngineEvents } from './events'
import type { FileStore } from './files'
import { OutboxQueue } from './outbox/queue'
import { OutboxSender } from './outbox/sender'
import { OutboxWrites } from './outbox/writes'

/**
 * Everything a staff member writes goes through here, online or not: the optimistic writes
 * (outbox/writes.ts) put the entry and its local rows in one transaction, the queue
 * (outbox/queue.ts) keeps the entries and their states, and the sender (outbox/sender.ts)
 * delivers them. Each write tells the screens and wakes the sender.
 */
export class Outbox {
  private readonly queue: OutboxQueue
  private readonly writes: OutboxWrites
  private readonly sender: OutboxSender

  constructor(
    store: CacheStore,
    files: FileStore,
    private readonly events: EngineEvents,
    api: () => PortalApi | null,
    onNetworkError: (err: ApiError) => void,
    clock: Clock,
  ) {
    this.queue = new OutboxQueue(store, clock)
    this.writes = new OutboxWrites(store, this.queue, files, clock)
    this.sender = new OutboxSender({
      store,
      queue: this.queue,
      files,
      events,
      api,
      onNetworkError,
      clock,
    })
    // Sending it again is safe because of its client id.
    this.queue.resumeInterrupted()
  }

  // ---- writing ----

  newThread(
    input: IpcInputs['createThread'],
    author: string,
  ): { threadId: string; outboxId: number } {
    const written = this.writes.newThread(input, author)
    this.afterWrite([written.threadId])
    return written
  }

  reply(input: IpcInputs['reply'], author: string): { messageId: string; outboxId: number } {
    const written = this.writes.reply(input, author)
    this.afterWrite([input.threadId])
    return written
  }

  /** Returns how many threads it touched: read marks written, or an unread mark of this desktop cleared. */
  markRead(messageIds: string[]): number {
    const threads = this.writes.markRead(messageIds)
    if (threads.length) this.afterWrite(threads)
    return threads.length
  }

  triage(threadIds: string[], patch: TriagePayload['patch']): number[] {
    const ids = this.writes.triage(threadIds, patch)
    this.afterWrite(threadIds)
    return ids
  }

  participant(
    kind: 'add-participant' | 'remove-participant',
    threadId: string,
    userId: string,
  ): number {
    const id = this.writes.participant(kind, threadId, userId)
    this.afterWrite([threadId])
    return id
  }

  // ---- the person's choices for failed and held entries ----

  list(): OutboxEntry[] {
    return this.queue.list()
  }

  retry(id: number): OutboxEntry[] {
    this.queue.reset(id)
    this.afterWrite([])
    return this.list()
  }

  sendAnyway(id: number): OutboxEntry[] {
    this.writes.sendAnyway(id)
    this.afterWrite([])
    return this.list()
  }

  edit(id: number, body: string): OutboxEntry[] {
    const threadId = this.writes.edit(id, body)
    this.afterWrite(threadId ? [threadId] : [])
    return this.list()
  }

  discard(id: number): OutboxEntry[] {
    const threadId = this.writes.discard(id)
    this.afterWrite(threadId ? [threadId] : [])
    return this.list()
  }

  // ---- sending ----

  /** Sends what is due. Concurrent calls coalesce; `now` forgets backoff (the connection just came back). */
  kick(options: { now?: boolean } = {}): Promise<void> {
    return this.sender.kick(options)
  }

  stop(): void {
    this.sender.stop()
  }

  get idle(): Promise<void> {
    return this.sender.idle
  }

  pendingCount(): number {
    return this.queue.count()
  }

  private afterWrite(threadIds: string[]): void {
    this.events.changed({ outbox: true, threadIds })
    void this.kick()
  }
}
