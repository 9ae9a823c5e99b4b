import type { Database } from 'better-sqlite3'
import type { ChangeSet, Message, Thread } from '../../../shared/protocol'
import { upsertPerson, upsertProject } from './directory'
import { deleteDraft } from './drafts'
import {
  indexMessage,
  indexThreadMessages,
  markFtsPending,
  newBatchMemo,
  subjectOf,
  type BatchMemo,
} from './fts-index'
import { getMeta, setMeta } from './meta'
import {
  deleteAttachments,
  deleteMessage,
  deleteMessageRow,
  insertAttachment,
  insertMessageRow,
  messageKey,
  messageOfClient,
  messagesOfThread,
  messageVersion,
  pkTaken,
  upsertRead,
} from './messages'
import { adoptLocalThread } from './offline-threads'
import { json, prepared } from './statements'
import {
  deleteThreadRow,
  markThreadUnread,
  recountUnread,
  threadVersion,
  writeThread,
} from './threads'

export interface Applied {
  threadIds: Set<string>
  /** Messages that were new to the cache (not updates, not optimistic rows being confirmed). */
  newMessages: Message[]
  projects: boolean
  people: boolean
  settings: boolean
}

/**
 * Applies one batch idempotently: rows are upserted by id and only replaced by an equal or
 * newer seq, so a change seen twice is harmless. A cursor, when given, is stored in the same
 * transaction: after a crash the next pull starts exactly where the cache is.
 */
export function applyChanges(db: Database, changes: ChangeSet, cursor?: number): Applied {
  const applied: Applied = {
    threadIds: new Set(),
    newMessages: [],
    projects: false,
    people: false,
    settings: false,
  }
  const me = getMeta(db, 'userId') ?? ''
  const memo = newBatchMemo()
  db.transaction(() => {
    for (const threadId of changes.removedThreadIds) {
      removeThread(db, threadId)
      applied.threadIds.add(threadId)
    }
    for (const p of changes.people) {
      upsertPerson(db, p)
      applied.people = true
    }
    for (const p of changes.projects) {
      upsertProject(db, p)
      applied.projects = true
    }
    for (const t of changes.threads) if (upsertThread(db, t, me, memo)) applied.threadIds.add(t.id)
    for (const m of changes.messages) {
      const outcome = upsertMessage(db, m, null, memo)
      if (outcome !== 'unchanged') applied.threadIds.add(m.threadId)
      if (outcome === 'new') applied.newMessages.push(m)
    }
    for (const r of changes.reads) {
      upsertRead(db, r)
      applied.threadIds.add(r.threadId)
    }
    if (changes.settings) {
      setMeta(db, 'settings', json(changes.settings))
      applied.settings = true
    }
    recountUnread(db, me, applied.threadIds)
    if (cursor !== undefined && cursor > Number(getMeta(db, 'cursor') ?? 0))
      setMeta(db, 'cursor', String(cursor))
  })()
  return applied
}

/** Returns whether the row changed. A server thread that confirms one created offline takes its place. */
function upsertThread(db: Database, t: Thread, me: string, memo: BatchMemo): boolean {
  const existing = threadVersion(db, t.id)
  if (existing && existing.seq > t.seq) return false
  const adopted = !existing && t.createdById === me && adoptLocalThread(db, t.clientId, t.id)
  writeThread(db, t, 0)
  if (adopted && adopted.markedUnread) markThreadUnread(db, t.id)
  if (!existing || existing.subject !== t.subject)
    indexThreadMessages(db, t.id, t.subject, Boolean(existing), memo)
  return true
}

/**
 * 'new' for a message the cache did not have, 'updated' for a newer version or a confirmed
 * optimistic row. `outboxId` marks an optimistic row written here (see local-writes.ts).
 */
export function upsertMessage(
  db: Database,
  m: Message,
  outboxId: number | null,
  memo?: BatchMemo,
): 'new' | 'updated' | 'unchanged' {
  // The pk orders by creation time (messageKey). A message new to the cache, which is every
  // message of an initial sync, goes straight in: the unique indexes the insert probes anyway
  // tell whether the cache had it, so it needs no lookups first.
  let pk = messageKey(m.createdAt, m.id)
  let outcome: 'new' | 'updated' = 'new'
  if (!insertMessageRow(db, m, pk, outboxId)) {
    const existing = messageVersion(db, m.id)
    if (existing) {
      if (existing.seq > m.seq) return 'unchanged'
      deleteMessageRow(db, existing.pk)
      outcome = 'updated'
    } else {
      // An optimistic row of the same author and client id: the server's copy replaces it.
      const optimistic = messageOfClient(db, m.authorId, m.clientId)
      if (optimistic) {
        deleteMessageRow(db, optimistic.pk)
        outcome = 'updated'
      }
    }
    // Otherwise the pk was taken (two messages in the same millisecond whose ids hash alike):
    // take the next free one.
    while (!insertMessageRow(db, m, pk, outboxId)) {
      if (!pkTaken(db, pk))
        throw new Error(`Message ${m.id} conflicts with another message of the same client id.`)
      pk++
    }
  }
  // A message id new to the cache has no attachment rows yet.
  if (outcome !== 'new') deleteAttachments(db, m.id)
  for (const a of m.attachments) insertAttachment(db, m.id, a)
  const subject = subjectOf(db, m.threadId, memo)
  // Its thread has not arrived yet: index it when the thread does (see upsertThread).
  if (subject === undefined) markFtsPending(db, pk)
  else
    indexMessage(
      db,
      {
        pk,
        subject,
        body: m.body,
        authorId: m.authorId,
        attachmentNames: m.attachments.map((a) => a.name).join(' '),
      },
      memo,
    )
  return outcome
}

function removeThread(db: Database, threadId: string): void {
  for (const row of messagesOfThread(db, threadId)) deleteMessage(db, row)
  prepared<[string]>(db, 'DELETE FROM reads WHERE thread_id = ?').run(threadId)
  deleteThreadRow(db, threadId)
  // Access to the thread is gone, and with it anything written for it here.
  deleteDraft(db, threadId)
}
