import type { Database } from 'better-sqlite3'
import type { OutboxEntry } from '../../../shared/ipc'
import { z } from 'zod'
import { QueuedWrite } from './outbox-payload'
import { json, marks, prepared } from './statements'

/** The outbox table: the queue of what this desktop wrote and the server has not confirmed. */

type Kind = OutboxEntry['kind']

interface OutboxRow {
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

/** An entry as the engine works with it: the row, its payload parsed with its kind. */
export type QueuedEntry = QueuedWrite & {
  id: number
  threadId: string | null
  clientId: string | null
  attempts: number
  /** The newest customer message the author had seen when writing (held-reply check). */
  seenLastCustomerAt: string | null
}

const toEntry = (r: OutboxRow): OutboxEntry => ({
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
})

/** The entry with its payload checked; null when the payload does not read as its kind's. */
function toQueued(r: OutboxRow): QueuedEntry | null {
  let payload: unknown
  try {
    payload = JSON.parse(r.payload)
  } catch {
    return null
  }
  const write = QueuedWrite.safeParse({ kind: r.kind, payload })
  if (!write.success) return null
  return {
    ...write.data,
    id: r.id,
    threadId: r.thread_id,
    clientId: r.client_id,
    attempts: r.attempts,
    seenLastCustomerAt: r.seen_last_customer_at,
  }
}

/** What a person reads for an entry whose payload cannot be read (written by another version, or damaged). */
const UNREADABLE = 'This entry could not be read and cannot be sent. Discard it and write it again.'

export interface NewOutboxEntry {
  write: QueuedWrite
  threadId: string | null
  clientId: string | null
  summary: string
  seenLastCustomerAt: string | null
  createdAt: string
}

/** Adds a pending entry; returns its id. */
export function insertOutboxEntry(db: Database, entry: NewOutboxEntry): number {
  const result = prepared<
    [Kind, string | null, string | null, string, string, string | null, string]
  >(
    db,
    "INSERT INTO outbox (kind, thread_id, client_id, payload, summary, state, seen_last_customer_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
  ).run(
    entry.write.kind,
    entry.threadId,
    entry.clientId,
    json(entry.write.payload),
    entry.summary,
    entry.seenLastCustomerAt,
    entry.createdAt,
  )
  return Number(result.lastInsertRowid)
}

export function listOutbox(db: Database): OutboxEntry[] {
  return prepared<[], OutboxRow>(db, 'SELECT * FROM outbox ORDER BY id').all().map(toEntry)
}

/** An entry, or 'unreadable' when its payload does not read as its kind's; null when there is none. */
export function outboxEntry(db: Database, id: number): QueuedEntry | 'unreadable' | null {
  const row = prepared<[number], OutboxRow>(db, 'SELECT * FROM outbox WHERE id = ?').get(id)
  return row ? (toQueued(row) ?? 'unreadable') : null
}

/** The kind and thread of an entry, its payload unread: enough to discard it. */
export function outboxEntryHead(
  db: Database,
  id: number,
): { id: number; kind: Kind; threadId: string | null } | null {
  const row = prepared<[number], { id: number; kind: Kind; thread_id: string | null }>(
    db,
    'SELECT id, kind, thread_id FROM outbox WHERE id = ?',
  ).get(id)
  return row ? { id: row.id, kind: row.kind, threadId: row.thread_id } : null
}

export function outboxCount(db: Database): number {
  return prepared<[], { n: number }>(db, 'SELECT count(*) AS n FROM outbox').get()?.n ?? 0
}

/**
 * The oldest pending entry that is due and has nothing older waiting in its thread, of a kind
 * not held back. One whose payload cannot be read is marked failed on the way, with its reason.
 */
export function nextDueEntry(db: Database, now: string, heldKinds: Kind[]): QueuedEntry | null {
  const next = db.prepare<unknown[], OutboxRow>(
    `SELECT * FROM outbox o WHERE o.state = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
    AND o.kind NOT IN (${marks(heldKinds)})
    AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.thread_id = o.thread_id AND e.id < o.id)
    ORDER BY o.id LIMIT 1`,
  )
  for (let row = next.get(now, ...heldKinds); row; row = next.get(now, ...heldKinds)) {
    const entry = toQueued(row)
    if (entry) return entry
    markFailed(db, row.id, { error: UNREADABLE, code: 'INVALID_INPUT' })
  }
  return null
}

/** When the earliest entry waiting out a backoff is due; null when none waits. */
export function earliestRetryAt(db: Database): string | null {
  return (
    prepared<[], { at: string | null }>(
      db,
      "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND next_attempt_at IS NOT NULL",
    ).get()?.at ?? null
  )
}

// ---- state changes ----

export function markSending(db: Database, id: number): void {
  prepared<[number]>(db, "UPDATE outbox SET state = 'sending' WHERE id = ?").run(id)
}

/** A retryable failure: pending again, due at `at`. */
export function retryAt(
  db: Database,
  id: number,
  retry: { attempts: number; at: string; error: string; code: string | null },
): void {
  prepared<[number, string, string, string | null, number]>(
    db,
    "UPDATE outbox SET state = 'pending', attempts = ?, next_attempt_at = ?, error = ?, error_code = ? WHERE id = ?",
  ).run(retry.attempts, retry.at, retry.error, retry.code, id)
}

/** A permanent failure, kept with its reason until the person retries, edits or discards it. */
export function markFailed(
  db: Database,
  id: number,
  failure: { error: string; code: string | null },
): void {
  prepared<[string, string | null, number]>(
    db,
    "UPDATE outbox SET state = 'failed', attempts = attempts + 1, error = ?, error_code = ? WHERE id = ?",
  ).run(failure.error, failure.code, id)
}

/** A reply held until the person has seen the customer messages that came after it. */
export function markHeld(db: Database, id: number, reason: string): void {
  prepared<[string, number]>(
    db,
    "UPDATE outbox SET state = 'held', error = ?, error_code = 'HELD_FOR_NEW_MESSAGES' WHERE id = ?",
  ).run(reason, id)
}

/** Pending from scratch: no attempts, no wait, no error. */
export function resetEntry(db: Database, id: number): void {
  prepared<[number]>(
    db,
    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = NULL, error = NULL, error_code = NULL WHERE id = ?",
  ).run(id)
}

/**
 * An entry that was being sent when the app stopped may or may not have arrived; sending it
 * again is safe because of its client id.
 */
export function resetInterrupted(db: Database): void {
  prepared<[]>(db, "UPDATE outbox SET state = 'pending' WHERE state = 'sending'").run()
}

/** Every pending entry is due now (the connection came back, or the person asked). */
export function forgetBackoff(db: Database): void {
  prepared<[]>(db, "UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'").run()
}

// ---- payload and identity ----

export function setPayload(db: Database, id: number, payload: QueuedWrite['payload']): void {
  prepared<[string, number]>(db, 'UPDATE outbox SET payload = ? WHERE id = ?').run(
    json(payload),
    id,
  )
}

/** An edited message is a new message to the server: new client id, and what was seen by now. */
export function setClientId(
  db: Database,
  id: number,
  clientId: string,
  seenLastCustomerAt: string | null,
): void {
  prepared<[string, string | null, number]>(
    db,
    'UPDATE outbox SET client_id = ?, seen_last_customer_at = ? WHERE id = ?',
  ).run(clientId, seenLastCustomerAt, id)
}

export function deleteOutboxEntry(db: Database, id: number): void {
  prepared<[number]>(db, 'DELETE FROM outbox WHERE id = ?').run(id)
}

/** The other entries of a thread that will never exist (its new-thread entry was discarded). */
export function deleteOtherEntriesOfThread(db: Database, threadId: string, keepId: number): void {
  prepared<[string, number]>(db, 'DELETE FROM outbox WHERE thread_id = ? AND id != ?').run(
    threadId,
    keepId,
  )
}

const NamesThread = z.looseObject({ threadId: z.string().optional() })

/** Entries of a thread created offline follow it to its server id, payloads included. */
export function moveEntriesToThread(db: Database, localId: string, serverId: string): void {
  prepared<[string, string]>(db, 'UPDATE outbox SET thread_id = ? WHERE thread_id = ?').run(
    serverId,
    localId,
  )
  for (const row of prepared<[string], { id: number; payload: string }>(
    db,
    "SELECT id, payload FROM outbox WHERE thread_id = ? AND kind != 'new-thread'",
  ).all(serverId)) {
    // Only the thread named changes: the rest of the payload stays as it was written.
    const payload = NamesThread.parse(JSON.parse(row.payload))
    if (payload.threadId === localId)
      prepared<[string, number]>(db, 'UPDATE outbox SET payload = ? WHERE id = ?').run(
        json({ ...payload, threadId: serverId }),
        row.id,
      )
  }
}
