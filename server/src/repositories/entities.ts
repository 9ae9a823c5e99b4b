import type { Kysely, Selectable } from 'kysely'
import type {
  Attachment,
  CompanySettings,
  Message,
  Person,
  Project,
  ReadReceipt,
  Thread,
} from '../../../src/shared/protocol'
import type {
  AttachmentRow,
  Database,
  MessageRow,
  ProjectRow,
  ReadRow,
  ThreadRow,
  UserRow,
} from '../db/schema'
import { messageFromRow, staffThreadFromRow } from '../../../src/shared/stored-rows'
import { isStaff, type Caller } from '../domain/caller'
import { portalOpen } from '../domain/settings'
import { bool } from '../util'

/**
 * Rows to wire entities, per audience. Staff get every field; customers and subcontractors get
 * threads without triage fields and with the preview of the last message that is not an internal
 * note, so nothing internal can reach them through a list or a preview.
 */
export type Audience = 'staff' | 'customer'
export const audienceOf = (caller: Caller): Audience => (isStaff(caller) ? 'staff' : 'customer')

type Db = Kysely<Database>

export function toPerson(row: UserRow, caller: Caller | null): Person {
  const staffView = caller === null || isStaff(caller) || caller.id === row.id
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    email: staffView ? row.email : null,
    portalAccess: bool(row.portal_access),
    passwordSet: staffView ? row.password_hash !== null : null,
    seq: row.seq,
  }
}

export function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    messageId: row.message_id,
    projectId: row.project_id,
    name: row.name,
    size: row.size,
    contentType: row.content_type,
    sha256: row.sha256,
    createdAt: row.created_at,
  }
}

export function toRead(row: ReadRow): ReadReceipt {
  return {
    messageId: row.message_id,
    threadId: row.thread_id,
    userId: row.user_id,
    readAt: row.read_at,
    seq: row.seq,
  }
}

export async function loadProjects(
  db: Db,
  rows: ProjectRow[],
  settings: CompanySettings,
): Promise<Project[]> {
  if (!rows.length) return []
  const ids = rows.map((r) => r.id)
  const members = await db
    .selectFrom('project_members as pm')
    .innerJoin('users as u', 'u.id', 'pm.user_id')
    .select(['pm.project_id', 'pm.user_id', 'u.role'])
    .where('pm.project_id', 'in', ids)
    .orderBy('u.name')
    .execute()
  const storage = await db
    .selectFrom('attachments')
    .select(['project_id', (eb) => eb.fn.sum<number>('size').as('used')])
    .where('project_id', 'in', ids)
    .groupBy('project_id')
    .execute()
  const used = new Map(storage.map((s) => [s.project_id, Number(s.used)]))
  return rows.map((r) => {
    const mine = members.filter((m) => m.project_id === r.id)
    return {
      id: r.id,
      name: r.name,
      stage: r.stage,
      portalOpen: portalOpen(settings, r.stage),
      customerIds: mine.filter((m) => m.role === 'customer').map((m) => m.user_id),
      teamIds: mine.filter((m) => m.role === 'admin' || m.role === 'staff').map((m) => m.user_id),
      storageUsedBytes: used.get(r.id) ?? 0,
      seq: r.seq,
    }
  })
}

export async function loadThreads(
  db: Db,
  rows: ThreadRow[],
  audience: Audience,
): Promise<Thread[]> {
  if (!rows.length) return []
  const ids = rows.map((r) => r.id)
  const participants = await db
    .selectFrom('thread_participants')
    .select(['thread_id', 'user_id'])
    .where('thread_id', 'in', ids)
    .orderBy('added_at')
    .execute()
  const byThread = groupBy(
    participants,
    (p) => p.thread_id,
    (p) => p.user_id,
  )
  return rows.map((r) => toThread(r, byThread.get(r.id) ?? [], audience))
}

export function toThread(r: ThreadRow, participantIds: string[], audience: Audience): Thread {
  const thread = staffThreadFromRow(r, participantIds)
  if (audience === 'staff') return thread
  // Triage fields are staff-only, and customers' last message is the last one that is not a note.
  return {
    ...thread,
    assigneeId: null,
    snoozedUntil: null,
    waitingSince: null,
    urgent: false,
    lastMessageAt: r.public_last_at,
    lastMessagePreview: r.public_preview,
    lastMessageSenderId: r.public_sender_id,
  }
}

export async function loadMessages(db: Db, rows: Selectable<MessageRow>[]): Promise<Message[]> {
  if (!rows.length) return []
  const ids = rows.map((r) => r.id)
  const attachments = await db
    .selectFrom('attachments')
    .selectAll()
    .where('message_id', 'in', ids)
    .orderBy('created_at')
    .execute()
  const byMessage = groupBy(attachments, (a) => a.message_id, toAttachment)
  return rows.map((r) => messageFromRow(r, byMessage.get(r.id) ?? []))
}

/** Items by key, in their order; items without a key are left out. */
function groupBy<T, V>(items: T[], key: (item: T) => string | null, value: (item: T) => V) {
  const groups = new Map<string, V[]>()
  for (const item of items) {
    const k = key(item)
    if (k !== null) groups.set(k, [...(groups.get(k) ?? []), value(item)])
  }
  return groups
}
