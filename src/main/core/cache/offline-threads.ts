import type { Database } from 'better-sqlite3'
import { moveDraft } from './drafts'
import { moveEntriesToThread } from './outbox-table'
import { prepared } from './statements'
import { deleteThreadRow, localThreadState } from './threads'

/**
 * Moves everything that pointed at a thread created offline (id = its client id) to the server's
 * id, its draft and unread mark included; null when there is no such local thread.
 */
export function adoptLocalThread(
  db: Database,
  localId: string,
  serverId: string,
): { markedUnread: boolean } | null {
  const local = localThreadState(db, localId)
  if (!local?.local) return null
  prepared<[string, string]>(db, 'UPDATE messages SET thread_id = ? WHERE thread_id = ?').run(
    serverId,
    localId,
  )
  moveDraft(db, localId, serverId)
  prepared<[string, string]>(db, 'UPDATE reads SET thread_id = ? WHERE thread_id = ?').run(
    serverId,
    localId,
  )
  // Queued replies name the thread too, in their payloads.
  moveEntriesToThread(db, localId, serverId)
  deleteThreadRow(db, localId)
  return { markedUnread: local.markedUnread }
}
