import type { Database } from 'better-sqlite3'
import type { Thread } from '../../../shared/protocol'
import type { StoredThread } from '../../../shared/stored-rows'
import { json, parseIds, prepared } from './statements'

/** The threads table: rows, their unread counts and marks, and the changes made to them here. */

export interface ThreadRow extends StoredThread {
  participant_ids: string
  unread: number
  marked_unread: number
  local: number
}

type ThreadParams = Omit<ThreadRow, 'unread' | 'marked_unread'>

const toParams = (t: Thread, local: number): ThreadParams => ({
  id: t.id,
  client_id: t.clientId,
  project_id: t.projectId,
  subject: t.subject,
  status: t.status,
  assignee_id: t.assigneeId,
  snoozed_until: t.snoozedUntil,
  waiting_since: t.waitingSince,
  urgent: t.urgent ? 1 : 0,
  created_by: t.createdById,
  created_at: t.createdAt,
  last_at: t.lastMessageAt,
  last_preview: t.lastMessagePreview,
  last_sender_id: t.lastMessageSenderId,
  participant_ids: json(t.participantIds),
  seq: t.seq,
  local,
})

/** Writes a thread as the server sent it (local 0) or as written here offline (local 1). */
export function writeThread(db: Database, t: Thread, local: 0 | 1): void {
  prepared<ThreadParams>(
    db,
    `INSERT INTO threads (id, client_id, project_id, subject, status, assignee_id, snoozed_until, waiting_since, urgent, created_by, created_at,
      last_at, last_preview, last_sender_id, participant_ids, seq, local)
    VALUES (@id, @client_id, @project_id, @subject, @status, @assignee_id, @snoozed_until, @waiting_since, @urgent, @created_by, @created_at,
      @last_at, @last_preview, @last_sender_id, @participant_ids, @seq, @local)
    ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, subject = excluded.subject, status = excluded.status,
      assignee_id = excluded.assignee_id, snoozed_until = excluded.snoozed_until, waiting_since = excluded.waiting_since,
      urgent = excluded.urgent, created_by = excluded.created_by, created_at = excluded.created_at, last_at = excluded.last_at,
      last_preview = excluded.last_preview, last_sender_id = excluded.last_sender_id, participant_ids = excluded.participant_ids,
      seq = excluded.seq, local = excluded.local`,
  ).run(toParams(t, local))
}

export function threadVersion(
  db: Database,
  id: string,
): { seq: number; local: number; subject: string } | undefined {
  return prepared<[string], { seq: number; local: number; subject: string }>(
    db,
    'SELECT seq, local, subject FROM threads WHERE id = ?',
  ).get(id)
}

export function deleteThreadRow(db: Database, id: string): void {
  prepared<[string]>(db, 'DELETE FROM threads WHERE id = ?').run(id)
}

/** A thread written here offline that will now never exist on the server. */
export function deleteLocalThread(db: Database, id: string): void {
  prepared<[string]>(db, 'DELETE FROM threads WHERE id = ? AND local = 1').run(id)
}

/** A thread marked unread on this desktop counts at least 1 (migration 004). */
export function recountUnread(db: Database, me: string, threadIds: Iterable<string>): void {
  const recount = prepared<{ me: string; thread: string }>(
    db,
    `UPDATE threads SET unread = max(marked_unread, (SELECT count(*) FROM messages m WHERE m.thread_id = threads.id AND m.author_id != @me
    AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.message_id = m.id AND r.user_id = @me))) WHERE id = @thread`,
  )
  for (const thread of threadIds) recount.run({ me, thread })
}

const changesRow = (db: Database, sql: string, id: string): boolean =>
  prepared<[string]>(db, sql).run(id).changes > 0

/** Returns whether the thread was there to mark. */
export const markThreadUnread = (db: Database, id: string): boolean =>
  changesRow(db, 'UPDATE threads SET marked_unread = 1, unread = max(unread, 1) WHERE id = ?', id)

/** Returns whether the thread had a mark. */
export const clearUnreadMark = (db: Database, id: string): boolean =>
  changesRow(db, 'UPDATE threads SET marked_unread = 0 WHERE id = ? AND marked_unread = 1', id)

/** Whether a thread was written here offline, and whether it is marked unread here; null when absent. */
export function localThreadState(
  db: Database,
  id: string,
): { local: boolean; markedUnread: boolean } | null {
  const row = prepared<[string], { local: number; marked_unread: number }>(
    db,
    'SELECT local, marked_unread FROM threads WHERE id = ?',
  ).get(id)
  return row ? { local: row.local === 1, markedUnread: row.marked_unread === 1 } : null
}

export interface ThreadPatchLocal {
  status?: string
  assigneeId?: string | null
  snoozedUntil?: string | null
}

export function patchThread(db: Database, threadId: string, patch: ThreadPatchLocal): void {
  const columns = {
    status: 'status',
    assigneeId: 'assignee_id',
    snoozedUntil: 'snoozed_until',
  } as const
  const sets: string[] = []
  const params: Record<string, unknown> = { id: threadId }
  for (const [key, column] of Object.entries(columns)) {
    const value = patch[key as keyof typeof columns]
    if (value === undefined) continue
    sets.push(`${column} = @${key}`)
    params[key] = value
  }
  if (sets.length) db.prepare(`UPDATE threads SET ${sets.join(', ')} WHERE id = @id`).run(params)
}

export function updateParticipants(
  db: Database,
  threadId: string,
  update: (ids: string[]) => string[],
): void {
  const row = prepared<[string], { participant_ids: string }>(
    db,
    'SELECT participant_ids FROM threads WHERE id = ?',
  ).get(threadId)
  if (row)
    prepared<[string, string]>(db, 'UPDATE threads SET participant_ids = ? WHERE id = ?').run(
      json(update(parseIds(row.participant_ids))),
      threadId,
    )
}

interface LastMessage {
  at: string
  preview: string
  senderId: string
}

/** Points the thread's time, preview and sender at a message; `ifNewer` leaves a newer one be. */
export function setLastMessage(
  db: Database,
  threadId: string,
  last: LastMessage,
  ifNewer: boolean,
): void {
  if (ifNewer)
    prepared<[string, string, string, string, string]>(
      db,
      'UPDATE threads SET last_at = ?, last_preview = ?, last_sender_id = ? WHERE id = ? AND last_at <= ?',
    ).run(last.at, last.preview, last.senderId, threadId, last.at)
  else
    prepared<[string, string, string, string]>(
      db,
      'UPDATE threads SET last_at = ?, last_preview = ?, last_sender_id = ? WHERE id = ?',
    ).run(last.at, last.preview, last.senderId, threadId)
}
