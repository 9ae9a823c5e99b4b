import type { Database } from 'better-sqlite3'
import { messagePreview } from '../../../shared/preview'
import type { LocalMessage } from '../../../shared/ipc'
import type { Attachment, Message, ReadReceipt } from '../../../shared/protocol'
import { messageFromRow, type StoredMessage } from '../../../shared/stored-rows'
import { marks, prepared } from './statements'

/** messages, their attachments and read receipts: the rows and the reads of a conversation. */

/**
 * messages.pk is the creation time in milliseconds shifted left by 10 bits plus a small
 * disambiguator, so rowid order is creation order. FTS5 can then return the newest matches by
 * walking its rowids backwards and stopping at the page size, whatever the word's frequency.
 */
export function messageKey(createdAt: string, id: string): number {
  const ms = Date.parse(createdAt)
  let low = 0
  for (let i = 0; i < id.length; i++) low = (low * 31 + id.charCodeAt(i)) & 1023
  return ms * 1024 + low
}

export function preview(m: Pick<Message, 'body' | 'internal' | 'attachments'>): string {
  return messagePreview(
    m.body,
    m.attachments.map((a) => a.name),
    { internal: m.internal },
  )
}

interface MessageRow extends StoredMessage {
  pk: number
  outbox_id: number | null
}

export interface AttachmentRow {
  id: string
  message_id: string
  name: string
  size: number
  content_type: string
  sha256: string
  created_at: string
}

interface ReadRow {
  message_id: string
  thread_id: string
  user_id: string
  read_at: string
  seq: number
}

export const toAttachment = (a: AttachmentRow, projectId: string): Attachment => ({
  id: a.id,
  messageId: a.message_id,
  projectId,
  name: a.name,
  size: a.size,
  contentType: a.content_type,
  sha256: a.sha256,
  createdAt: a.created_at,
})

const toRead = (r: ReadRow): ReadReceipt => ({
  messageId: r.message_id,
  threadId: r.thread_id,
  userId: r.user_id,
  readAt: r.read_at,
  seq: r.seq,
})

/** Rows with their files, in the order given. */
export function toMessages(db: Database, rows: MessageRow[]): LocalMessage[] {
  if (!rows.length) return []
  // Grouped by message once, and asked for in chunks: a whole thread (threadMessages) can hold
  // more messages than SQLite takes parameters in one statement (32,766).
  const byMessage = new Map<string, AttachmentRow[]>()
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500)
    const found = db
      .prepare<string[], AttachmentRow>(
        `SELECT * FROM attachments WHERE message_id IN (${marks(chunk)}) ORDER BY created_at, id`,
      )
      .all(...chunk.map((r) => r.id))
    for (const a of found) {
      const list = byMessage.get(a.message_id)
      if (list) list.push(a)
      else byMessage.set(a.message_id, [a])
    }
  }
  return rows.map((r) => ({
    ...messageFromRow(
      r,
      (byMessage.get(r.id) ?? []).map((a) => toAttachment(a, r.project_id)),
    ),
    pending: r.outbox_id !== null,
    outboxId: r.outbox_id,
  }))
}

/** A page of a thread, newest `limit` before the pk `before`, oldest first, with its read receipts. */
export function messagePage(
  db: Database,
  threadId: string,
  before: number | undefined,
  limit: number,
): { messages: LocalMessage[]; reads: ReadReceipt[]; nextBefore: number | null } {
  const rows =
    before !== undefined
      ? prepared<[string, number, number], MessageRow>(
          db,
          'SELECT * FROM messages WHERE thread_id = ? AND pk < ? ORDER BY pk DESC LIMIT ?',
        ).all(threadId, before, limit + 1)
      : prepared<[string, number], MessageRow>(
          db,
          'SELECT * FROM messages WHERE thread_id = ? ORDER BY pk DESC LIMIT ?',
        ).all(threadId, limit + 1)
  const page = rows.slice(0, limit).reverse()
  const reads = page.length
    ? db
        .prepare<string[], ReadRow>(`SELECT * FROM reads WHERE message_id IN (${marks(page)})`)
        .all(...page.map((m) => m.id))
        .map(toRead)
    : []
  return {
    messages: toMessages(db, page),
    reads,
    nextBefore: rows.length > limit ? (page[0]?.pk ?? null) : null,
  }
}

/** Every message of a thread, oldest first. */
export function threadMessages(db: Database, threadId: string): LocalMessage[] {
  return toMessages(
    db,
    prepared<[string], MessageRow>(
      db,
      'SELECT * FROM messages WHERE thread_id = ? ORDER BY pk',
    ).all(threadId),
  )
}

export function messageById(db: Database, id: string): LocalMessage | null {
  const row = prepared<[string], MessageRow>(db, 'SELECT * FROM messages WHERE id = ?').get(id)
  return row ? (toMessages(db, [row])[0] ?? null) : null
}

export function newestMessage(db: Database, threadId: string): LocalMessage | null {
  const row = prepared<[string], MessageRow>(
    db,
    'SELECT * FROM messages WHERE thread_id = ? ORDER BY pk DESC LIMIT 1',
  ).get(threadId)
  return row ? (toMessages(db, [row])[0] ?? null) : null
}

/** The thread and author of a message, or undefined when the cache does not have it. */
export function messageOrigin(
  db: Database,
  id: string,
): { thread_id: string; author_id: string } | undefined {
  return prepared<[string], { thread_id: string; author_id: string }>(
    db,
    'SELECT thread_id, author_id FROM messages WHERE id = ?',
  ).get(id)
}

/** The newest message from a customer or subcontractor in a thread: what the collision check compares. */
export function lastCustomerMessageAt(db: Database, threadId: string): string | null {
  return (
    prepared<[string], { at: string | null }>(
      db,
      `SELECT max(m.created_at) AS at FROM messages m JOIN people p ON p.id = m.author_id WHERE m.thread_id = ? AND p.role IN ('customer', 'subcontractor') AND m.outbox_id IS NULL`,
    ).get(threadId)?.at ?? null
  )
}

/** How many customer or subcontractor messages a thread got after a time (a held reply says it). */
export function customerMessagesSince(db: Database, threadId: string, after: string): number {
  return (
    prepared<[string, string], { n: number }>(
      db,
      `SELECT count(*) AS n FROM messages m JOIN people p ON p.id = m.author_id WHERE m.thread_id = ? AND p.role IN ('customer','subcontractor') AND m.created_at > ?`,
    ).get(threadId, after)?.n ?? 0
  )
}

// ---- rows, for apply and the local writes ----

/**
 * Inserts a message row; false when a row with its pk, id or author and client id exists.
 * Positional parameters, and ON CONFLICT DO NOTHING: the hot statement of the initial sync
 * binds no object per row, and a row already there (same id, same author and client id, or a
 * taken pk) shows as 0 changes instead of costing lookups before every insert.
 */
export function insertMessageRow(
  db: Database,
  m: Message,
  pk: number,
  outboxId: number | null,
): boolean {
  return (
    prepared<
      [
        number,
        string,
        string,
        string,
        string,
        string,
        string,
        number,
        number,
        string,
        number,
        number | null,
      ]
    >(
      db,
      `INSERT INTO messages (pk, id, thread_id, project_id, author_id, client_id, body, internal, urgent, created_at, seq, outbox_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(
      pk,
      m.id,
      m.threadId,
      m.projectId,
      m.authorId,
      m.clientId,
      m.body,
      m.internal ? 1 : 0,
      m.urgent ? 1 : 0,
      m.createdAt,
      m.seq,
      outboxId,
    ).changes > 0
  )
}

export function messageVersion(db: Database, id: string): { pk: number; seq: number } | undefined {
  return prepared<[string], { pk: number; seq: number }>(
    db,
    'SELECT pk, seq FROM messages WHERE id = ?',
  ).get(id)
}

export function messageOfClient(
  db: Database,
  authorId: string,
  clientId: string,
): { pk: number } | undefined {
  return prepared<[string, string], { pk: number }>(
    db,
    'SELECT pk FROM messages WHERE author_id = ? AND client_id = ?',
  ).get(authorId, clientId)
}

export function pkTaken(db: Database, pk: number): boolean {
  return prepared<[number]>(db, 'SELECT 1 FROM messages WHERE pk = ?').get(pk) !== undefined
}

/** A message row goes with its search entry and its file rows. */
export function deleteMessage(db: Database, row: { pk: number; id: string }): void {
  deleteMessageRow(db, row.pk)
  deleteAttachments(db, row.id)
}

/** A message row goes with its search entry. */
export function deleteMessageRow(db: Database, pk: number): void {
  prepared<[number]>(db, 'DELETE FROM messages WHERE pk = ?').run(pk)
  prepared<[number]>(db, 'DELETE FROM messages_fts WHERE rowid = ?').run(pk)
}

export function messagesOfThread(db: Database, threadId: string): { pk: number; id: string }[] {
  return prepared<[string], { pk: number; id: string }>(
    db,
    'SELECT pk, id FROM messages WHERE thread_id = ?',
  ).all(threadId)
}

export function messagesOfOutboxEntry(
  db: Database,
  outboxId: number,
): { pk: number; id: string; thread_id: string }[] {
  return prepared<[number], { pk: number; id: string; thread_id: string }>(
    db,
    'SELECT pk, id, thread_id FROM messages WHERE outbox_id = ?',
  ).all(outboxId)
}

export function deleteAttachments(db: Database, messageId: string): void {
  prepared<[string]>(db, 'DELETE FROM attachments WHERE message_id = ?').run(messageId)
}

export function insertAttachment(
  db: Database,
  messageId: string,
  a: Message['attachments'][number],
): void {
  prepared<AttachmentRow>(
    db,
    `INSERT INTO attachments (id, message_id, name, size, content_type, sha256, created_at)
    VALUES (@id, @message_id, @name, @size, @content_type, @sha256, @created_at)
    ON CONFLICT (id) DO UPDATE SET message_id = excluded.message_id, name = excluded.name`,
  ).run({
    id: a.id,
    message_id: messageId,
    name: a.name,
    size: a.size,
    content_type: a.contentType,
    sha256: a.sha256,
    created_at: a.createdAt,
  })
}

export function upsertRead(db: Database, r: ReadReceipt): void {
  prepared<ReadRow>(
    db,
    `INSERT INTO reads (message_id, thread_id, user_id, read_at, seq) VALUES (@message_id, @thread_id, @user_id, @read_at, @seq)
    ON CONFLICT (message_id, user_id) DO UPDATE SET read_at = excluded.read_at, seq = excluded.seq WHERE excluded.seq >= reads.seq`,
  ).run({
    message_id: r.messageId,
    thread_id: r.threadId,
    user_id: r.userId,
    read_at: r.readAt,
    seq: r.seq,
  })
}
