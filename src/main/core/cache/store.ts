import type { Database, Statement } from 'better-sqlite3'
import { messagePreview } from '../../../shared/preview'
import type {
  ChangeSet,
  CompanySettings,
  Message,
  Person,
  Project,
  PublicSettings,
  ReadReceipt,
  Thread,
} from '../../../shared/protocol'
import { InboxView, type Draft, type InboxThread, type LocalMessage } from '../../../shared/ipc'
import { nowIso, type Clock } from '../../../shared/clock'

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

export interface Applied {
  threadIds: Set<string>
  /** Messages that were new to the cache (not updates, not optimistic rows being confirmed). */
  newMessages: Message[]
  projects: boolean
  people: boolean
  settings: boolean
}

const json = (value: unknown) => JSON.stringify(value)
const parseIds = (text: string): string[] => JSON.parse(text) as string[]

interface ThreadRow {
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
  last_at: string
  last_preview: string
  last_sender_id: string
  participant_ids: string
  unread: number
  marked_unread: number
  seq: number
  local: number
}

interface AttachmentRow {
  id: string
  message_id: string
  name: string
  size: number
  content_type: string
  sha256: string
  created_at: string
}

interface MessageRow {
  pk: number
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
  outbox_id: number | null
}

/**
 * The local cache's reads and writes. Everything is synchronous better-sqlite3: the engine owns
 * its database, a transaction never waits on the network, and a batch from the server is applied
 * in one transaction before anyone is told about it.
 */
export class CacheStore {
  private readonly stmt: Record<string, Statement>
  /**
   * Lookups remembered for the duration of one apply(): a 5000-message page of the initial sync
   * names a few hundred threads and a handful of authors, and asking SQLite for the same subject
   * and name again for every message cost about 5 µs a message (scripts/bench.ts, `sync.*`).
   */
  private batch: { subjects: Map<string, string>; names: Map<string, string> } | null = null

  constructor(
    readonly db: Database,
    /** "Now" for what depends on it here: snoozes, drafts' times. */
    readonly clock: Clock,
  ) {
    const s = (sql: string) => db.prepare(sql)
    this.stmt = {
      getMeta: s('SELECT value FROM meta WHERE key = ?'),
      setMeta: s(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      upsertPerson:
        s(`INSERT INTO people (id, role, name, email, portal_access, password_set, seq) VALUES (@id, @role, @name, @email, @portal_access, @password_set, @seq)
        ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, email = excluded.email, portal_access = excluded.portal_access, password_set = excluded.password_set, seq = excluded.seq
        WHERE excluded.seq >= people.seq`),
      upsertProject:
        s(`INSERT INTO projects (id, name, stage, portal_open, customer_ids, team_ids, storage_used, seq)
        VALUES (@id, @name, @stage, @portal_open, @customer_ids, @team_ids, @storage_used, @seq)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, stage = excluded.stage, portal_open = excluded.portal_open,
          customer_ids = excluded.customer_ids, team_ids = excluded.team_ids, storage_used = excluded.storage_used, seq = excluded.seq
        WHERE excluded.seq >= projects.seq`),
      threadSeq: s('SELECT seq, local, subject FROM threads WHERE id = ?'),
      markFtsPending: s('UPDATE messages SET fts_pending = 1 WHERE pk = ?'),
      ftsPending: s(
        'SELECT pk, id, body, author_id FROM messages WHERE thread_id = ? AND fts_pending = 1',
      ),
      clearFtsPending: s(
        'UPDATE messages SET fts_pending = 0 WHERE thread_id = ? AND fts_pending = 1',
      ),
      attachmentNames: s(
        'SELECT name FROM attachments WHERE message_id = ? ORDER BY created_at, id',
      ),
      renameFts: s(
        'UPDATE messages_fts SET subject = ? WHERE rowid IN (SELECT pk FROM messages WHERE thread_id = ? AND fts_pending = 0)',
      ),
      upsertThread:
        s(`INSERT INTO threads (id, client_id, project_id, subject, status, assignee_id, snoozed_until, waiting_since, urgent, created_by, created_at,
          last_at, last_preview, last_sender_id, participant_ids, seq, local)
        VALUES (@id, @client_id, @project_id, @subject, @status, @assignee_id, @snoozed_until, @waiting_since, @urgent, @created_by, @created_at,
          @last_at, @last_preview, @last_sender_id, @participant_ids, @seq, @local)
        ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, subject = excluded.subject, status = excluded.status,
          assignee_id = excluded.assignee_id, snoozed_until = excluded.snoozed_until, waiting_since = excluded.waiting_since,
          urgent = excluded.urgent, created_by = excluded.created_by, created_at = excluded.created_at, last_at = excluded.last_at,
          last_preview = excluded.last_preview, last_sender_id = excluded.last_sender_id, participant_ids = excluded.participant_ids,
          seq = excluded.seq, local = excluded.local`),
      messageById: s('SELECT pk, seq, thread_id FROM messages WHERE id = ?'),
      messageByClient: s('SELECT pk, id, seq FROM messages WHERE author_id = ? AND client_id = ?'),
      deleteMessagePk: s('DELETE FROM messages WHERE pk = ?'),
      deleteFts: s('DELETE FROM messages_fts WHERE rowid = ?'),
      // Positional parameters, and ON CONFLICT DO NOTHING: the hot statement of the initial sync
      // binds no object per row, and a row already there (same id, same author and client id,
      // or a taken pk) shows as 0 changes instead of costing lookups before every insert.
      insertMessage:
        s(`INSERT INTO messages (pk, id, thread_id, project_id, author_id, client_id, body, internal, urgent, created_at, seq, outbox_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      pkTaken: s('SELECT 1 FROM messages WHERE pk = ?'),
      insertFts: s(
        'INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteAttachments: s('DELETE FROM attachments WHERE message_id = ?'),
      insertAttachment:
        s(`INSERT INTO attachments (id, message_id, name, size, content_type, sha256, created_at)
        VALUES (@id, @message_id, @name, @size, @content_type, @sha256, @created_at)
        ON CONFLICT (id) DO UPDATE SET message_id = excluded.message_id, name = excluded.name`),
      upsertRead:
        s(`INSERT INTO reads (message_id, thread_id, user_id, read_at, seq) VALUES (@message_id, @thread_id, @user_id, @read_at, @seq)
        ON CONFLICT (message_id, user_id) DO UPDATE SET read_at = excluded.read_at, seq = excluded.seq WHERE excluded.seq >= reads.seq`),
      personName: s('SELECT name FROM people WHERE id = ?'),
      threadSubject: s('SELECT subject FROM threads WHERE id = ?'),
      // A thread marked unread on this desktop counts at least 1 (migration 004).
      recountUnread:
        s(`UPDATE threads SET unread = max(marked_unread, (SELECT count(*) FROM messages m WHERE m.thread_id = threads.id AND m.author_id != @me
        AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.message_id = m.id AND r.user_id = @me))) WHERE id = @thread`),
      markUnread: s('UPDATE threads SET marked_unread = 1, unread = max(unread, 1) WHERE id = ?'),
      clearUnreadMark: s('UPDATE threads SET marked_unread = 0 WHERE id = ? AND marked_unread = 1'),
      messageThread: s('SELECT thread_id FROM messages WHERE id = ?'),
      getDraft: s('SELECT * FROM drafts WHERE key = ?'),
      saveDraft:
        s(`INSERT INTO drafts (key, body, internal, subject, project_id, updated_at) VALUES (@key, @body, @internal, @subject, @project_id, @updated_at)
        ON CONFLICT (key) DO UPDATE SET body = excluded.body, internal = excluded.internal, subject = excluded.subject,
          project_id = excluded.project_id, updated_at = excluded.updated_at`),
      deleteDraft: s('DELETE FROM drafts WHERE key = ?'),
    }
  }

  // ---- meta ----

  getMeta(key: string): string | null {
    const row = this.stmt.getMeta!.get(key) as { value: string } | undefined
    return row?.value ?? null
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta!.run(key, value)
  }

  get cursor(): number {
    return Number(this.getMeta('cursor') ?? 0)
  }

  get me(): string {
    return this.getMeta('userId') ?? ''
  }

  settings(): CompanySettings | PublicSettings | null {
    const value = this.getMeta('settings')
    return value ? (JSON.parse(value) as CompanySettings) : null
  }

  /** The signed-in person's company (its name heads an exported thread); null until the server said. */
  company(): { id: string; name: string } | null {
    const value = this.getMeta('company')
    return value ? (JSON.parse(value) as { id: string; name: string }) : null
  }

  setCompany(company: { id: string; name: string }): void {
    this.setMeta('company', json({ id: company.id, name: company.name }))
  }

  /** Drops everything: signing out must leave nothing of the company on this machine. */
  wipe(): void {
    this.db.transaction(() => {
      for (const table of [
        'meta',
        'people',
        'projects',
        'threads',
        'messages',
        'attachments',
        'reads',
        'outbox',
        'staged_files',
        'file_cache',
        'messages_fts',
        'drafts',
      ]) {
        this.db.prepare(`DELETE FROM ${table}`).run()
      }
    })()
  }

  // ---- applying the server's changes ----

  /**
   * Applies one batch idempotently: rows are upserted by id and only replaced by an equal or
   * newer seq, so a change seen twice is harmless. A cursor, when given, is stored in the same
   * transaction: after a crash the next pull starts exactly where the cache is.
   */
  apply(changes: ChangeSet, cursor?: number): Applied {
    const applied: Applied = {
      threadIds: new Set(),
      newMessages: [],
      projects: false,
      people: false,
      settings: false,
    }
    const transaction = this.db.transaction(() => {
      for (const threadId of changes.removedThreadIds) {
        this.removeThread(threadId)
        applied.threadIds.add(threadId)
      }
      for (const p of changes.people) {
        this.upsertPerson(p)
        applied.people = true
      }
      for (const p of changes.projects) {
        this.upsertProject(p)
        applied.projects = true
      }
      for (const t of changes.threads) if (this.upsertThread(t)) applied.threadIds.add(t.id)
      for (const m of changes.messages) {
        const outcome = this.upsertMessage(m)
        if (outcome !== 'unchanged') applied.threadIds.add(m.threadId)
        if (outcome === 'new') applied.newMessages.push(m)
      }
      for (const r of changes.reads) {
        this.upsertRead(r)
        applied.threadIds.add(r.threadId)
      }
      if (changes.settings) {
        this.setMeta('settings', json(changes.settings))
        applied.settings = true
      }
      this.recountUnread(applied.threadIds)
      if (cursor !== undefined && cursor > this.cursor) this.setMeta('cursor', String(cursor))
    })
    this.batch = { subjects: new Map(), names: new Map() }
    try {
      transaction()
    } finally {
      this.batch = null
    }
    return applied
  }

  recountUnread(threadIds: Iterable<string>): void {
    const me = this.me
    for (const thread of threadIds) this.stmt.recountUnread!.run({ me, thread })
  }

  private upsertPerson(p: Person): void {
    this.stmt.upsertPerson!.run({
      id: p.id,
      role: p.role,
      name: p.name,
      email: p.email,
      portal_access: p.portalAccess ? 1 : 0,
      password_set: p.passwordSet === null ? null : p.passwordSet ? 1 : 0,
      seq: p.seq,
    })
  }

  private upsertProject(p: Project): void {
    this.stmt.upsertProject!.run({
      id: p.id,
      name: p.name,
      stage: p.stage,
      portal_open: p.portalOpen ? 1 : 0,
      customer_ids: json(p.customerIds),
      team_ids: json(p.teamIds),
      storage_used: p.storageUsedBytes,
      seq: p.seq,
    })
  }

  /** Returns whether the row changed. A server thread that confirms one created offline takes its place. */
  private upsertThread(t: Thread): boolean {
    const existing = this.stmt.threadSeq!.get(t.id) as
      { seq: number; local: number; subject: string } | undefined
    if (existing && existing.seq > t.seq) return false
    const adopted =
      !existing && t.createdById === this.me && this.adoptLocalThread(t.clientId, t.id)
    this.stmt.upsertThread!.run(this.threadParams(t, 0))
    if (adopted && adopted.markedUnread) this.stmt.markUnread!.run(t.id)
    if (!existing || existing.subject !== t.subject)
      this.indexThreadMessages(t.id, t.subject, Boolean(existing))
    return true
  }

  private threadParams(t: Thread, local: number) {
    return {
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
    }
  }

  /**
   * Moves everything that pointed at a thread created offline (id = its client id) to the server's
   * id, its draft and unread mark included; null when there is no such local thread.
   */
  private adoptLocalThread(localId: string, serverId: string): { markedUnread: boolean } | null {
    const local = this.db
      .prepare('SELECT local, marked_unread FROM threads WHERE id = ?')
      .get(localId) as { local: number; marked_unread: number } | undefined
    if (!local?.local) return null
    this.db.prepare('UPDATE messages SET thread_id = ? WHERE thread_id = ?').run(serverId, localId)
    this.db.prepare('UPDATE OR REPLACE drafts SET key = ? WHERE key = ?').run(serverId, localId)
    this.db.prepare('UPDATE reads SET thread_id = ? WHERE thread_id = ?').run(serverId, localId)
    this.db.prepare('UPDATE outbox SET thread_id = ? WHERE thread_id = ?').run(serverId, localId)
    // Payloads of queued replies name the thread too.
    for (const row of this.db
      .prepare("SELECT id, payload FROM outbox WHERE thread_id = ? AND kind != 'new-thread'")
      .all(serverId) as { id: number; payload: string }[]) {
      const payload = JSON.parse(row.payload) as Record<string, unknown>
      if (payload.threadId === localId)
        this.db
          .prepare('UPDATE outbox SET payload = ? WHERE id = ?')
          .run(json({ ...payload, threadId: serverId }), row.id)
    }
    this.db.prepare('DELETE FROM threads WHERE id = ?').run(localId)
    return { markedUnread: local.marked_unread === 1 }
  }

  /** 'new' for a message the cache did not have, 'updated' for a newer version or a confirmed optimistic row. */
  private upsertMessage(
    m: Message,
    outboxId: number | null = null,
  ): 'new' | 'updated' | 'unchanged' {
    // The pk orders by creation time (messageKey). A message new to the cache, which is every
    // message of an initial sync, goes straight in: the unique indexes the insert probes anyway
    // tell whether the cache had it, so it needs no lookups first.
    let pk = messageKey(m.createdAt, m.id)
    let outcome: 'new' | 'updated' = 'new'
    if (!this.insertMessageRow(m, pk, outboxId)) {
      const existing = this.stmt.messageById!.get(m.id) as { pk: number; seq: number } | undefined
      if (existing) {
        if (existing.seq > m.seq) return 'unchanged'
        this.deleteMessageRow(existing.pk)
        outcome = 'updated'
      } else {
        // An optimistic row of the same author and client id: the server's copy replaces it.
        const optimistic = this.stmt.messageByClient!.get(m.authorId, m.clientId) as
          { pk: number; id: string } | undefined
        if (optimistic) {
          this.deleteMessageRow(optimistic.pk)
          outcome = 'updated'
        }
      }
      // Otherwise the pk was taken (two messages in the same millisecond whose ids hash alike):
      // take the next free one.
      while (!this.insertMessageRow(m, pk, outboxId)) {
        if (!this.stmt.pkTaken!.get(pk))
          throw new Error(`Message ${m.id} conflicts with another message of the same client id.`)
        pk++
      }
    }
    // A message id new to the cache has no attachment rows yet.
    if (outcome !== 'new') this.stmt.deleteAttachments!.run(m.id)
    for (const a of m.attachments) {
      this.stmt.insertAttachment!.run({
        id: a.id,
        message_id: m.id,
        name: a.name,
        size: a.size,
        content_type: a.contentType,
        sha256: a.sha256,
        created_at: a.createdAt,
      })
    }
    let subject = this.batch?.subjects.get(m.threadId)
    if (subject === undefined) {
      subject = (this.stmt.threadSubject!.get(m.threadId) as { subject: string } | undefined)
        ?.subject
      if (subject !== undefined) this.batch?.subjects.set(m.threadId, subject)
    }
    // Its thread has not arrived yet: index it when the thread does (see upsertThread).
    if (subject === undefined) this.stmt.markFtsPending!.run(pk)
    else
      this.indexMessage(pk, subject, m.body, m.authorId, m.attachments.map((a) => a.name).join(' '))
    return outcome
  }

  private indexMessage(
    pk: number,
    subject: string,
    body: string,
    authorId: string,
    attachmentNames: string,
  ): void {
    const sender = this.remember(this.batch?.names, authorId, () => {
      const row = this.stmt.personName!.get(authorId) as { name: string } | undefined
      return row?.name ?? ''
    })
    this.stmt.insertFts!.run(pk, subject, body, sender, attachmentNames)
  }

  /** Indexes the messages that arrived before this thread, and re-indexes subjects after a rename. */
  private indexThreadMessages(threadId: string, subject: string, renamed: boolean): void {
    const pending = this.stmt.ftsPending!.all(threadId) as {
      pk: number
      id: string
      body: string
      author_id: string
    }[]
    for (const row of pending) {
      const names = (this.stmt.attachmentNames!.all(row.id) as { name: string }[])
        .map((a) => a.name)
        .join(' ')
      this.indexMessage(row.pk, subject, row.body, row.author_id, names)
    }
    if (pending.length) this.stmt.clearFtsPending!.run(threadId)
    if (renamed) this.stmt.renameFts!.run(subject, threadId)
    this.batch?.subjects.set(threadId, subject)
  }

  private remember(memo: Map<string, string> | undefined, key: string, read: () => string): string {
    let value = memo?.get(key)
    if (value === undefined) {
      value = read()
      memo?.set(key, value)
    }
    return value
  }

  /** Inserts a message row; false when a row with its pk, id or author and client id exists. */
  private insertMessageRow(m: Message, pk: number, outboxId: number | null): boolean {
    return (
      this.stmt.insertMessage!.run(
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

  private deleteMessageRow(pk: number): void {
    this.stmt.deleteMessagePk!.run(pk)
    this.stmt.deleteFts!.run(pk)
  }

  private upsertRead(r: ReadReceipt): void {
    this.stmt.upsertRead!.run({
      message_id: r.messageId,
      thread_id: r.threadId,
      user_id: r.userId,
      read_at: r.readAt,
      seq: r.seq,
    })
  }

  private removeThread(threadId: string): void {
    const pks = this.db
      .prepare('SELECT pk, id FROM messages WHERE thread_id = ?')
      .all(threadId) as { pk: number; id: string }[]
    for (const { pk, id } of pks) {
      this.deleteMessageRow(pk)
      this.stmt.deleteAttachments!.run(id)
    }
    this.db.prepare('DELETE FROM reads WHERE thread_id = ?').run(threadId)
    this.db.prepare('DELETE FROM threads WHERE id = ?').run(threadId)
    // Access to the thread is gone, and with it anything written for it here.
    this.stmt.deleteDraft!.run(threadId)
  }

  // ---- optimistic writes (called by the outbox inside its own transaction) ----

  insertLocalThread(t: Thread): void {
    this.stmt.upsertThread!.run(this.threadParams(t, 1))
  }

  insertLocalMessage(m: Message, outboxId: number): void {
    this.upsertMessage(m, outboxId)
    this.db
      .prepare(
        'UPDATE threads SET last_at = ?, last_preview = ?, last_sender_id = ? WHERE id = ? AND last_at <= ?',
      )
      .run(m.createdAt, preview(m), m.authorId, m.threadId, m.createdAt)
  }

  /**
   * Takes back what insertLocalMessage wrote for an outbox entry the person discarded: its
   * optimistic messages with their search entries and file rows, and the thread's preview, time
   * and sender, which pointed at them. Left there, a discarded reply would go on looking sent in
   * the inbox list. Returns the threads touched.
   */
  removeLocalMessages(outboxId: number): string[] {
    const rows = this.db
      .prepare('SELECT pk, id, thread_id FROM messages WHERE outbox_id = ?')
      .all(outboxId) as { pk: number; id: string; thread_id: string }[]
    const threads = new Set<string>()
    for (const row of rows) {
      this.deleteMessageRow(row.pk)
      this.stmt.deleteAttachments!.run(row.id)
      threads.add(row.thread_id)
    }
    for (const threadId of threads) this.refreshLastMessage(threadId)
    return [...threads]
  }

  /**
   * Points a thread's last time, preview and sender at the newest message the cache holds for it,
   * as the server computes them for staff (internal notes included, labelled). Called when an
   * optimistic message goes away or its text changes; a thread with no message left keeps what
   * it had.
   */
  refreshLastMessage(threadId: string): void {
    const newest = this.db
      .prepare('SELECT * FROM messages WHERE thread_id = ? ORDER BY pk DESC LIMIT 1')
      .get(threadId) as MessageRow | undefined
    const message = newest && this.toMessages([newest])[0]
    if (!message) return
    this.db
      .prepare('UPDATE threads SET last_at = ?, last_preview = ?, last_sender_id = ? WHERE id = ?')
      .run(message.createdAt, preview(message), message.authorId, threadId)
  }

  markReadLocally(messageIds: string[], at: string): string[] {
    const me = this.me
    const threads = new Set<string>()
    for (const id of messageIds) {
      const row = this.db
        .prepare('SELECT thread_id, author_id FROM messages WHERE id = ?')
        .get(id) as { thread_id: string; author_id: string } | undefined
      if (!row || row.author_id === me) continue
      this.db
        .prepare(
          'INSERT INTO reads (message_id, thread_id, user_id, read_at, seq) VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING',
        )
        .run(id, row.thread_id, me, at)
      threads.add(row.thread_id)
    }
    this.recountUnread(threads)
    return [...threads]
  }

  /**
   * Marks threads unread on this desktop only: each counts at least 1 unread (in its unreadCount,
   * the 'unread' view and the badge) until clearUnreadMarks. Returns the ids of the threads found.
   */
  markUnread(threadIds: string[]): string[] {
    return this.db.transaction(() =>
      threadIds.filter((id) => this.stmt.markUnread!.run(id).changes > 0),
    )()
  }

  /** Clears the marks of markUnread (the thread was opened); returns the threads that had one. */
  clearUnreadMarks(threadIds: Iterable<string>): string[] {
    return this.db.transaction(() => {
      const cleared = [...new Set(threadIds)].filter(
        (id) => this.stmt.clearUnreadMark!.run(id).changes > 0,
      )
      this.recountUnread(cleared)
      return cleared
    })()
  }

  /** Clears the marks of the threads these messages belong to (some of their messages were read). */
  clearUnreadMarksOfMessages(messageIds: string[]): string[] {
    const threads = new Set<string>()
    for (const id of messageIds) {
      const row = this.stmt.messageThread!.get(id) as { thread_id: string } | undefined
      if (row) threads.add(row.thread_id)
    }
    return this.clearUnreadMarks(threads)
  }

  // ---- drafts ----

  getDraft(key: string): Draft | null {
    const row = this.stmt.getDraft!.get(key) as
      | {
          key: string
          body: string
          internal: number
          subject: string | null
          project_id: string | null
          updated_at: string
        }
      | undefined
    if (!row) return null
    return {
      key: row.key,
      body: row.body,
      internal: row.internal === 1,
      ...(row.subject !== null && { subject: row.subject }),
      ...(row.project_id !== null && { projectId: row.project_id }),
      updatedAt: row.updated_at,
    }
  }

  /** Keeps a draft; one with nothing written in it (no body, no subject) is deleted instead. */
  saveDraft(draft: Omit<Draft, 'updatedAt'>, now = nowIso(this.clock)): Draft {
    const saved: Draft = {
      key: draft.key,
      body: draft.body,
      internal: draft.internal,
      ...(draft.subject !== undefined && { subject: draft.subject }),
      ...(draft.projectId !== undefined && { projectId: draft.projectId }),
      updatedAt: now,
    }
    if (!draft.body.trim() && !draft.subject?.trim()) {
      this.deleteDraft(draft.key)
      return saved
    }
    this.stmt.saveDraft!.run({
      key: saved.key,
      body: saved.body,
      internal: saved.internal ? 1 : 0,
      subject: saved.subject ?? null,
      project_id: saved.projectId ?? null,
      updated_at: now,
    })
    return saved
  }

  deleteDraft(key: string): void {
    this.stmt.deleteDraft!.run(key)
  }

  patchThreadLocally(
    threadId: string,
    patch: { status?: string; assigneeId?: string | null; snoozedUntil?: string | null },
  ): void {
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
    if (sets.length)
      this.db.prepare(`UPDATE threads SET ${sets.join(', ')} WHERE id = @id`).run(params)
  }

  setParticipantsLocally(threadId: string, update: (ids: string[]) => string[]): void {
    const row = this.db
      .prepare('SELECT participant_ids FROM threads WHERE id = ?')
      .get(threadId) as { participant_ids: string } | undefined
    if (row)
      this.db
        .prepare('UPDATE threads SET participant_ids = ? WHERE id = ?')
        .run(json(update(parseIds(row.participant_ids))), threadId)
  }

  // ---- reading ----

  people(): Person[] {
    return (
      this.db.prepare('SELECT * FROM people ORDER BY name').all() as {
        id: string
        role: Person['role']
        name: string
        email: string | null
        portal_access: number
        password_set: number | null
        seq: number
      }[]
    ).map((r) => ({
      id: r.id,
      role: r.role,
      name: r.name,
      email: r.email,
      portalAccess: r.portal_access === 1,
      passwordSet: r.password_set === null ? null : r.password_set === 1,
      seq: r.seq,
    }))
  }

  projects(): Project[] {
    return (
      this.db.prepare('SELECT * FROM projects ORDER BY name').all() as {
        id: string
        name: string
        stage: Project['stage']
        portal_open: number
        customer_ids: string
        team_ids: string
        storage_used: number
        seq: number
      }[]
    ).map((r) => ({
      id: r.id,
      name: r.name,
      stage: r.stage,
      portalOpen: r.portal_open === 1,
      customerIds: parseIds(r.customer_ids),
      teamIds: parseIds(r.team_ids),
      storageUsedBytes: r.storage_used,
      seq: r.seq,
    }))
  }

  /**
   * The WHERE clause of each inbox view. Closed and snoozed threads leave the working views, except
   * "Assigned to me": it is the person's own list of what they hold, and a snoozed thread is still
   * theirs (the row says it is snoozed), as on the server (ThreadRepository.list).
   */
  viewFilter(view: InboxView, now: string): { sql: string; params: Record<string, unknown> } {
    const awake = '(t.snoozed_until IS NULL OR t.snoozed_until <= @now)'
    const params = { now, me: this.me }
    switch (view) {
      case 'all':
        return { sql: `t.status != 'closed' AND ${awake}`, params }
      case 'unread':
        // Includes threads marked unread here: unread >= marked_unread (see recountUnread).
        return { sql: `t.unread > 0 AND ${awake}`, params }
      case 'urgent':
        return { sql: `t.urgent = 1 AND t.status != 'closed' AND ${awake}`, params }
      case 'assigned':
        return { sql: `t.assignee_id = @me AND t.status != 'closed'`, params }
      case 'waiting':
        // Waiting on us: a customer waits and the thread is open. One the team set waiting on
        // the customer (or closed) is not waiting on the team, whatever a customer wrote before;
        // reopened, it waits again since that message. The unary plus keeps SQLite on the
        // partial index of waiting threads instead of walking every open one (threads_status_last).
        return { sql: `t.waiting_since IS NOT NULL AND +t.status = 'open' AND ${awake}`, params }
      case 'snoozed':
        return { sql: 't.snoozed_until > @now', params }
      case 'closed':
        return { sql: "t.status = 'closed'", params }
    }
  }

  listThreads(
    view: InboxView,
    projectId: string | undefined,
    offset: number,
    limit: number,
    now = nowIso(this.clock),
  ): { threads: InboxThread[]; total: number } {
    const filter = this.viewFilter(view, now)
    const where = `${filter.sql}${projectId ? ' AND t.project_id = @project' : ''}`
    const params = { ...filter.params, project: projectId, limit, offset }
    const rows = this.db
      .prepare(
        `SELECT t.*, p.name AS project_name, EXISTS (SELECT 1 FROM outbox o WHERE o.thread_id = t.id) AS pending
        FROM threads t LEFT JOIN projects p ON p.id = t.project_id WHERE ${where} ORDER BY t.last_at DESC, t.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params) as (ThreadRow & { project_name: string | null; pending: number })[]
    return { threads: this.toInboxThreads(rows), total: this.countView(view, projectId, now) }
  }

  /**
   * How many threads a view holds. The page itself walks an index and stops after `limit` rows,
   * but a count visits every row its filter leaves, and the 'all' view leaves nearly all of
   * them: 30–40 ms at 100k threads, for every page. So 'all' is counted as its complement, all
   * threads less the closed ones less the open ones snoozed past `now`, each of which an index
   * answers (threads_status_last, threads_snoozed): under 1 ms (scripts/bench.ts,
   * `inbox.page_p95_ms`).
   */
  countView(view: InboxView, projectId: string | undefined, now: string): number {
    const filter = this.viewFilter(view, now)
    if (view === 'all' && !projectId) {
      return (
        this.db
          .prepare(
            `SELECT (SELECT count(*) FROM threads) - (SELECT count(*) FROM threads WHERE status = 'closed')
            - (SELECT count(*) FROM threads WHERE snoozed_until > @now AND status != 'closed') AS n`,
          )
          .get({ now }) as { n: number }
      ).n
    }
    const where = `${filter.sql}${projectId ? ' AND t.project_id = @project' : ''}`
    return (
      this.db
        .prepare(`SELECT count(*) AS n FROM threads t WHERE ${where}`)
        .get({ ...filter.params, project: projectId }) as { n: number }
    ).n
  }

  /**
   * A thread written here offline had its client id as its id until the server's copy arrived;
   * a screen still holding the old id finds the thread by it. Only asked after a miss, so the
   * scan (client_id has no index) never runs on the common path.
   */
  threadIdForClientId(clientId: string): string | null {
    const row = this.db
      .prepare('SELECT id FROM threads WHERE client_id = ? AND created_by = ?')
      .get(clientId, this.me) as { id: string } | undefined
    return row?.id ?? null
  }

  thread(threadId: string): InboxThread | null {
    const row = this.db
      .prepare(
        `SELECT t.*, p.name AS project_name, EXISTS (SELECT 1 FROM outbox o WHERE o.thread_id = t.id) AS pending
        FROM threads t LEFT JOIN projects p ON p.id = t.project_id WHERE t.id = ?`,
      )
      .get(threadId) as (ThreadRow & { project_name: string | null; pending: number }) | undefined
    return row ? (this.toInboxThreads([row])[0] ?? null) : null
  }

  private toInboxThreads(
    rows: (ThreadRow & { project_name: string | null; pending: number })[],
  ): InboxThread[] {
    const ids = new Set(rows.flatMap((r) => parseIds(r.participant_ids)))
    const people = new Map<string, { name: string; role: string }>()
    if (ids.size) {
      const found = this.db
        .prepare(
          `SELECT id, name, role FROM people WHERE id IN (${[...ids].map(() => '?').join(',')})`,
        )
        .all(...ids) as { id: string; name: string; role: string }[]
      for (const p of found) people.set(p.id, p)
    }
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      projectId: r.project_id,
      subject: r.subject,
      status: r.status,
      assigneeId: r.assignee_id,
      snoozedUntil: r.snoozed_until,
      waitingSince: r.waiting_since,
      urgent: r.urgent === 1,
      createdById: r.created_by,
      createdAt: r.created_at,
      lastMessageAt: r.last_at,
      lastMessagePreview: r.last_preview,
      lastMessageSenderId: r.last_sender_id,
      participantIds: parseIds(r.participant_ids),
      seq: r.seq,
      unreadCount: r.unread,
      projectName: r.project_name ?? '',
      customerNames: parseIds(r.participant_ids)
        .map((id) => people.get(id))
        .filter((p): p is { name: string; role: string } => p?.role === 'customer')
        .map((p) => p.name),
      pending: r.pending === 1,
    }))
  }

  viewCounts(now = nowIso(this.clock)): {
    views: Record<InboxView, number>
    projects: Record<string, number>
  } {
    const views = {} as Record<InboxView, number>
    for (const view of InboxView.options) {
      views[view] = this.countView(view, undefined, now)
    }
    const all = this.viewFilter('all', now)
    const projects: Record<string, number> = {}
    for (const row of this.db
      .prepare(
        `SELECT t.project_id, count(*) AS n FROM threads t WHERE ${all.sql} GROUP BY t.project_id`,
      )
      .all(all.params) as { project_id: string; n: number }[]) {
      projects[row.project_id] = row.n
    }
    return { views, projects }
  }

  messages(
    threadId: string,
    before: number | undefined,
    limit: number,
  ): { messages: LocalMessage[]; reads: ReadReceipt[]; nextBefore: number | null } {
    const rows = this.db
      .prepare(
        `SELECT * FROM messages WHERE thread_id = ? ${before !== undefined ? 'AND pk < ?' : ''} ORDER BY pk DESC LIMIT ?`,
      )
      .all(
        ...(before !== undefined ? [threadId, before, limit + 1] : [threadId, limit + 1]),
      ) as MessageRow[]
    const page = rows.slice(0, limit).reverse()
    const messages = this.toMessages(page)
    const reads = page.length
      ? (
          this.db
            .prepare(`SELECT * FROM reads WHERE message_id IN (${page.map(() => '?').join(',')})`)
            .all(...page.map((m) => m.id)) as {
            message_id: string
            thread_id: string
            user_id: string
            read_at: string
            seq: number
          }[]
        ).map((r) => ({
          messageId: r.message_id,
          threadId: r.thread_id,
          userId: r.user_id,
          readAt: r.read_at,
          seq: r.seq,
        }))
      : []
    return { messages, reads, nextBefore: rows.length > limit ? (page[0]?.pk ?? null) : null }
  }

  /**
   * Every message of a thread the cache holds, oldest first, with its files: the whole
   * conversation for an export, where the screen reads it a page at a time (messages()).
   */
  threadMessages(threadId: string): LocalMessage[] {
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE thread_id = ? ORDER BY pk')
      .all(threadId) as MessageRow[]
    return this.toMessages(rows)
  }

  message(id: string): LocalMessage | null {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as
      MessageRow | undefined
    return row ? (this.toMessages([row])[0] ?? null) : null
  }

  private toMessages(rows: MessageRow[]): LocalMessage[] {
    if (!rows.length) return []
    // Grouped by message once, and asked for in chunks: a whole thread (threadMessages) can hold
    // more messages than SQLite takes parameters in one statement (32,766).
    const byMessage = new Map<string, AttachmentRow[]>()
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500)
      const found = this.db
        .prepare(
          `SELECT * FROM attachments WHERE message_id IN (${chunk.map(() => '?').join(',')}) ORDER BY created_at, id`,
        )
        .all(...chunk.map((r) => r.id)) as AttachmentRow[]
      for (const a of found) {
        const list = byMessage.get(a.message_id)
        if (list) list.push(a)
        else byMessage.set(a.message_id, [a])
      }
    }
    return rows.map((r) => ({
      id: r.id,
      threadId: r.thread_id,
      projectId: r.project_id,
      authorId: r.author_id,
      clientId: r.client_id,
      body: r.body,
      internal: r.internal === 1,
      urgent: r.urgent === 1,
      createdAt: r.created_at,
      seq: r.seq,
      pending: r.outbox_id !== null,
      outboxId: r.outbox_id,
      attachments: (byMessage.get(r.id) ?? []).map((a) => ({
        id: a.id,
        messageId: a.message_id,
        projectId: r.project_id,
        name: a.name,
        size: a.size,
        contentType: a.content_type,
        sha256: a.sha256,
        createdAt: a.created_at,
      })),
    }))
  }

  /** The newest message from a customer or subcontractor in a thread: what the collision check compares. */
  lastCustomerMessageAt(threadId: string): string | null {
    const row = this.db
      .prepare(
        `SELECT max(m.created_at) AS at FROM messages m JOIN people p ON p.id = m.author_id WHERE m.thread_id = ? AND p.role IN ('customer', 'subcontractor') AND m.outbox_id IS NULL`,
      )
      .get(threadId) as { at: string | null }
    return row.at
  }

  /**
   * The badge count, after every applied batch. `unread > 0` adds nothing to the sum but lets the
   * partial index threads_unread_last list just the unread threads: a scan of every thread was
   * 30 ms at 100k threads, for each live message. Threads marked unread on this desktop are in it
   * too: their mark is folded into `unread` (migration 004), not tested by a second condition.
   */
  unreadTotal(): number {
    return (
      this.db
        .prepare(
          "SELECT coalesce(sum(unread), 0) AS n FROM threads WHERE unread > 0 AND status != 'closed'",
        )
        .get() as { n: number }
    ).n
  }
}

export function preview(m: Pick<Message, 'body' | 'internal' | 'attachments'>): string {
  return messagePreview(
    m.body,
    m.attachments.map((a) => a.name),
    { internal: m.internal },
  )
}
