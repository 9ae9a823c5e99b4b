import type { Database } from 'better-sqlite3'
import { personName } from './directory'
import { prepared } from './statements'

/**
 * Lookups remembered for the duration of one apply: a 5000-message page of the initial sync
 * names a few hundred threads and a handful of authors, and asking SQLite for the same subject
 * and name again for every message cost about 5 µs a message (scripts/bench.ts, `sync.*`).
 */
export interface BatchMemo {
  subjects: Map<string, string>
  names: Map<string, string>
}

export const newBatchMemo = (): BatchMemo => ({ subjects: new Map(), names: new Map() })

function remember(memo: Map<string, string> | undefined, key: string, read: () => string): string {
  let value = memo?.get(key)
  if (value === undefined) {
    value = read()
    memo?.set(key, value)
  }
  return value
}

/** The subject a message is indexed under; undefined while its thread has not arrived. */
export function subjectOf(db: Database, threadId: string, memo?: BatchMemo): string | undefined {
  let subject = memo?.subjects.get(threadId)
  if (subject === undefined) {
    subject = prepared<[string], { subject: string }>(
      db,
      'SELECT subject FROM threads WHERE id = ?',
    ).get(threadId)?.subject
    if (subject !== undefined) memo?.subjects.set(threadId, subject)
  }
  return subject
}

export function indexMessage(
  db: Database,
  entry: { pk: number; subject: string; body: string; authorId: string; attachmentNames: string },
  memo?: BatchMemo,
): void {
  const sender = remember(memo?.names, entry.authorId, () => personName(db, entry.authorId) ?? '')
  prepared<[number, string, string, string, string]>(
    db,
    'INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (?, ?, ?, ?, ?)',
  ).run(entry.pk, entry.subject, entry.body, sender, entry.attachmentNames)
}

/** Its thread has not arrived yet: the message is indexed when the thread does. */
export function markFtsPending(db: Database, pk: number): void {
  prepared<[number]>(db, 'UPDATE messages SET fts_pending = 1 WHERE pk = ?').run(pk)
}

/** Indexes the messages that arrived before this thread, and re-indexes subjects after a rename. */
export function indexThreadMessages(
  db: Database,
  threadId: string,
  subject: string,
  renamed: boolean,
  memo?: BatchMemo,
): void {
  const pending = prepared<[string], { pk: number; id: string; body: string; author_id: string }>(
    db,
    'SELECT pk, id, body, author_id FROM messages WHERE thread_id = ? AND fts_pending = 1',
  ).all(threadId)
  for (const row of pending) {
    const names = prepared<[string], { name: string }>(
      db,
      'SELECT name FROM attachments WHERE message_id = ? ORDER BY created_at, id',
    )
      .all(row.id)
      .map((a) => a.name)
      .join(' ')
    indexMessage(
      db,
      { pk: row.pk, subject, body: row.body, authorId: row.author_id, attachmentNames: names },
      memo,
    )
  }
  if (pending.length)
    prepared<[string]>(
      db,
      'UPDATE messages SET fts_pending = 0 WHERE thread_id = ? AND fts_pending = 1',
    ).run(threadId)
  if (renamed)
    prepared<[string, string]>(
      db,
      'UPDATE messages_fts SET subject = ? WHERE rowid IN (SELECT pk FROM messages WHERE thread_id = ? AND fts_pending = 0)',
    ).run(subject, threadId)
  memo?.subjects.set(threadId, subject)
}

/** The search entry of an edited outbox message follows its new words. */
export function reindexOutboxBody(db: Database, outboxId: number, body: string): void {
  prepared<[string, number]>(
    db,
    'UPDATE messages_fts SET body = ? WHERE rowid = (SELECT pk FROM messages WHERE outbox_id = ?)',
  ).run(body, outboxId)
}
