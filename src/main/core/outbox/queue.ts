import { backoffMs } from '../../../shared/backoff'
import { isoIn, nowIso, type Clock } from '../../../shared/clock'
import type { OutboxEntry } from '../../../shared/ipc'
import type { ApiError } from '../api'
import type { QueuedWrite } from '../cache/outbox-payload'
import type { QueuedEntry } from '../cache/outbox-table'
import type { CacheStore } from '../cache/store'
import { EngineError } from '../errors'

type Kind = OutboxEntry['kind']

const notFound = () =>
  new EngineError('NOT_FOUND', 'That outbox entry was already sent or discarded.')

/** 0.5 s, 1 s, 2 s, … up to a minute, each spread ±25%. */
const sendBackoff = { firstMs: 500, maxMs: 60_000, jitter: 0.5 }

/**
 * What a server write limit counts together (server/src/limits/writes.ts): messages with their
 * uploads, and read marks apart. Triage and participants are not limited.
 */
type LimitClass = 'message' | 'read'
const limitClassOf = (kind: Kind): LimitClass | null =>
  kind === 'read' ? 'read' : kind === 'reply' || kind === 'new-thread' ? 'message' : null
const kindsOf: Record<LimitClass, Kind[]> = { message: ['reply', 'new-thread'], read: ['read'] }

/**
 * The outbox's queue: its entries and their states (pending, sending, held, failed), each change
 * named. It also remembers until when the server asked each limit class to wait (a 429's
 * Retry-After): the limit is the person's, not one entry's, and the others of the class would
 * only be refused in their turn.
 */
export class OutboxQueue {
  private readonly held = new Map<LimitClass, number>()

  constructor(
    private readonly store: CacheStore,
    private readonly clock: Clock,
  ) {}

  add(
    write: QueuedWrite,
    entry: {
      threadId: string | null
      clientId: string | null
      summary: string
      seenLastCustomerAt: string | null
    },
  ): number {
    return this.store.outbox.insertOutboxEntry({
      write,
      ...entry,
      createdAt: nowIso(this.clock),
    })
  }

  list(): OutboxEntry[] {
    return this.store.outbox.listOutbox()
  }

  count(): number {
    return this.store.outbox.outboxCount()
  }

  entry(id: number): QueuedEntry {
    const entry = this.store.outbox.outboxEntry(id)
    if (!entry) throw notFound()
    if (entry === 'unreadable')
      throw new EngineError('INVALID_INPUT', 'This entry could not be read. Discard it instead.')
    return entry
  }

  /** An entry's kind and thread, whether or not its payload can be read. */
  head(id: number): { id: number; kind: Kind; threadId: string | null } {
    const head = this.store.outbox.outboxEntryHead(id)
    if (!head) throw notFound()
    return head
  }

  /** An entry's payload when it can be read; null when it cannot (nothing to restore from it). */
  readable(id: number): QueuedEntry | null {
    const entry = this.store.outbox.outboxEntry(id)
    return entry && entry !== 'unreadable' ? entry : null
  }

  /** The oldest pending entry that is due, has nothing older waiting in its thread and is not held by a limit. */
  nextDue(): QueuedEntry | null {
    const now = this.clock.now()
    const heldKinds: Kind[] = []
    for (const [limited, until] of this.held)
      if (until > now) heldKinds.push(...kindsOf[limited])
      else this.held.delete(limited)
    return this.store.outbox.nextDueEntry(nowIso(this.clock), heldKinds)
  }

  /** When something next falls due (a backoff or a limit's wait ends); null when nothing waits. */
  nextWakeAt(): number | null {
    const retry = this.store.outbox.earliestRetryAt()
    const at = Math.min(
      retry ? Date.parse(retry) : Infinity,
      ...[...this.held.values()].filter((until) => until > this.clock.now()),
    )
    return at === Infinity ? null : at
  }

  // ---- state changes ----

  /** An entry that was being sent when the app stopped goes back to pending. */
  resumeInterrupted(): void {
    this.store.outbox.resetInterrupted()
  }

  sending(id: number): void {
    this.store.outbox.markSending(id)
  }

  /**
   * A retryable failure: pending again after a backoff, and no sooner than the server asked (a
   * 429's Retry-After), which then holds the entry's whole limit class.
   */
  retryLater(entry: QueuedEntry, error: ApiError): void {
    const attempts = entry.attempts + 1
    const waitMs = Math.max(backoffMs(attempts, sendBackoff), error.retryAfterMs ?? 0)
    this.store.outbox.retryAt(entry.id, {
      attempts,
      at: isoIn(this.clock, waitMs),
      error: error.message,
      code: error.code,
    })
    const limited = error.retryAfterMs !== null ? limitClassOf(entry.kind) : null
    if (limited && error.kind !== 'network') this.held.set(limited, this.clock.now() + waitMs)
  }

  failed(id: number, error: ApiError): void {
    this.store.outbox.markFailed(id, { error: error.message, code: error.code })
  }

  heldForNewMessages(id: number, reason: string): void {
    this.store.outbox.markHeld(id, reason)
  }

  /** Pending from scratch (the person retries, edits or sends anyway). */
  reset(id: number): void {
    this.store.outbox.resetEntry(id)
  }

  /** The connection came back or the person asked: everything is due, and one request finds out whether a limit's wait holds. */
  dueNow(): void {
    this.store.outbox.forgetBackoff()
    this.held.clear()
  }

  setPayload(id: number, payload: QueuedWrite['payload']): void {
    this.store.outbox.setPayload(id, payload)
  }

  setClientId(id: number, clientId: string, seenLastCustomerAt: string | null): void {
    this.store.outbox.setClientId(id, clientId, seenLastCustomerAt)
  }

  remove(id: number): void {
    this.store.outbox.deleteOutboxEntry(id)
  }

  /** The entries of a thread that will never exist, but for `keepId`. */
  removeOthersOfThread(threadId: string, keepId: number): void {
    this.store.outbox.deleteOtherEntriesOfThread(threadId, keepId)
  }
}
