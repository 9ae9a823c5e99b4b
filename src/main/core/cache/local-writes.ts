import type { Database } from 'better-sqlite3'
import type { Message, Thread } from '../../../shared/protocol'
import { upsertMessage } from './apply'
import { reindexOutboxBody } from './fts-index'
import {
  deleteMessage,
  messageOrigin,
  messagesOfOutboxEntry,
  newestMessage,
  preview,
} from './messages'
import { prepared } from './statements'
import {
  clearUnreadMark,
  deleteLocalThread,
  markThreadUnread,
  recountUnread,
  setLastMessage,
  writeThread,
} from './threads'

/**
 * What this desktop writes before the server confirms it: the optimistic rows of the outbox
 * (written in the outbox's own transaction), read marks, and the unread marks of this desktop.
 */

export function insertLocalThread(db: Database, t: Thread): void {
  writeThread(db, t, 1)
}

export function insertLocalMessage(db: Database, m: Message, outboxId: number): void {
  upsertMessage(db, m, outboxId)
  setLastMessage(
    db,
    m.threadId,
    { at: m.createdAt, preview: preview(m), senderId: m.authorId },
    true,
  )
}

/**
 * Takes back what insertLocalMessage wrote for an outbox entry the person discarded: its
 * optimistic messages with their search entries and file rows, and the thread's preview, time
 * and sender, which pointed at them. Left there, a discarded reply would go on looking sent in
 * the inbox list. Returns the threads touched.
 */
export function removeLocalMessages(db: Database, outboxId: number): string[] {
  const threads = new Set<string>()
  for (const row of messagesOfOutboxEntry(db, outboxId)) {
    deleteMessage(db, row)
    threads.add(row.thread_id)
  }
  for (const threadId of threads) refreshLastMessage(db, threadId)
  return [...threads]
}

/** A thread created offline and discarded: its messages and its row go (the outbox entries apart). */
export function removeLocalThread(db: Database, threadId: string): void {
  prepared<[string]>(db, 'DELETE FROM messages WHERE thread_id = ?').run(threadId)
  deleteLocalThread(db, threadId)
}

/** The optimistic message of an edited outbox entry takes the new words and client id. */
export function editLocalMessage(
  db: Database,
  outboxId: number,
  edit: { body: string; clientId: string },
): void {
  prepared<[string, string, number]>(
    db,
    'UPDATE messages SET body = ?, client_id = ? WHERE outbox_id = ?',
  ).run(edit.body, edit.clientId, outboxId)
  reindexOutboxBody(db, outboxId, edit.body)
}

/**
 * Points a thread's last time, preview and sender at the newest message the cache holds for it,
 * as the server computes them for staff (internal notes included, labelled). Called when an
 * optimistic message goes away or its text changes; a thread with no message left keeps what
 * it had.
 */
export function refreshLastMessage(db: Database, threadId: string): void {
  const message = newestMessage(db, threadId)
  if (!message) return
  setLastMessage(
    db,
    threadId,
    { at: message.createdAt, preview: preview(message), senderId: message.authorId },
    false,
  )
}

/** Read marks of the person's own, before the server has them; returns the threads touched. */
export function markReadLocally(
  db: Database,
  me: string,
  messageIds: string[],
  at: string,
): string[] {
  const threads = new Set<string>()
  for (const id of messageIds) {
    const row = messageOrigin(db, id)
    if (!row || row.author_id === me) continue
    prepared<[string, string, string, string]>(
      db,
      'INSERT INTO reads (message_id, thread_id, user_id, read_at, seq) VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING',
    ).run(id, row.thread_id, me, at)
    threads.add(row.thread_id)
  }
  recountUnread(db, me, threads)
  return [...threads]
}

/**
 * Marks threads unread on this desktop only: each counts at least 1 unread (in its unreadCount,
 * the 'unread' view and the badge) until clearUnreadMarks. Returns the ids of the threads found.
 */
export function markUnread(db: Database, threadIds: string[]): string[] {
  return db.transaction(() => threadIds.filter((id) => markThreadUnread(db, id)))()
}

/** Clears the marks of markUnread (the thread was opened); returns the threads that had one. */
export function clearUnreadMarks(db: Database, me: string, threadIds: Iterable<string>): string[] {
  return db.transaction(() => {
    const cleared = [...new Set(threadIds)].filter((id) => clearUnreadMark(db, id))
    recountUnread(db, me, cleared)
    return cleared
  })()
}

/** Clears the marks of the threads these messages belong to (some of their messages were read). */
export function clearUnreadMarksOfMessages(
  db: Database,
  me: string,
  messageIds: string[],
): string[] {
  const threads = new Set<string>()
  for (const id of messageIds) {
    const row = messageOrigin(db, id)
    if (row) threads.add(row.thread_id)
  }
  return clearUnreadMarks(db, me, threads)
}
