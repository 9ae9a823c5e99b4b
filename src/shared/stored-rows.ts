import type { Attachment, Message, Thread } from './protocol'

/**
 * The server's database and the desktop cache store messages and threads in the same columns
 * (SQLite, flags as 0/1), so one mapping to the wire shape serves both; each side adds only
 * what is its own (the server's audience, the cache's outbox and unread counts).
 */

export interface StoredMessage {
  id: string
  thread_id: string
  project_id: string
  author_id: string
  client_id: string
  body: string
  internal: number
  urgent: number
  created_at: string
  seq: number
}

export function messageFromRow(r: StoredMessage, attachments: Attachment[]): Message {
  return {
    id: r.id,
    threadId: r.thread_id,
    projectId: r.project_id,
    authorId: r.author_id,
    clientId: r.client_id,
    body: r.body,
    internal: r.internal !== 0,
    urgent: r.urgent !== 0,
    createdAt: r.created_at,
    attachments,
    seq: r.seq,
  }
}

export interface StoredThread {
  id: string
  client_id: string
  project_id: string
  subject: string
  status: Thread['status']
  assignee_id: string | null
  snoozed_until: string | null
  waiting_since: string | null
  urgent: number
  created_by: string
  created_at: string
  /** Latest message of any kind: what staff see. */
  last_at: string
  last_preview: string
  last_sender_id: string
  seq: number
}

/** The thread as staff see it: every field, the last message counting internal notes. */
export function staffThreadFromRow(r: StoredThread, participantIds: string[]): Thread {
  return {
    id: r.id,
    clientId: r.client_id,
    projectId: r.project_id,
    subject: r.subject,
    status: r.status,
    assigneeId: r.assignee_id,
    snoozedUntil: r.snoozed_until,
    waitingSince: r.waiting_since,
    urgent: r.urgent !== 0,
    createdById: r.created_by,
    createdAt: r.created_at,
    lastMessageAt: r.last_at,
    lastMessagePreview: r.last_preview,
    lastMessageSenderId: r.last_sender_id,
    participantIds,
    seq: r.seq,
  }
}
