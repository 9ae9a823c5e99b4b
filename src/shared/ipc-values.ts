import { z } from 'zod'
import {
  DesktopAlerts,
  Id,
  Message,
  Person,
  ReadReceipt,
  Thread,
  ThreadView,
  Timestamp,
} from './protocol'

/**
 * The values the desktop engine hands the staff inbox UI (src/shared/ipc.ts is the contract
 * of methods and events that carry them): the connection, inbox rows, outbox entries, a
 * thread's messages, staged files, search hits, notification settings and events, drafts and
 * insights.
 */

export const ConnectionState = z.enum([
  'signed-out',
  'connecting',
  'online',
  'offline',
  'server-error',
])
export type ConnectionState = z.infer<typeof ConnectionState>

export const Connection = z.object({
  state: ConnectionState,
  /** Why the state is what it is, in words for a person ("No connection to the portal server; reconnecting."). */
  reason: z.string().nullable(),
  serverUrl: z.string().nullable(),
  user: Person.nullable(),
  lastSyncedAt: Timestamp.nullable(),
})
export type Connection = z.infer<typeof Connection>

/** The same views the server lists threads by; the desktop computes them from its cache. */
export const InboxView = ThreadView
export type InboxView = z.infer<typeof InboxView>

export const InboxThread = Thread.extend({
  unreadCount: z.number().int(),
  projectName: z.string(),
  /** Customer contacts in the thread, for the list line. */
  customerNames: z.array(z.string()),
  /** Some of this thread's writes are still in the outbox. */
  pending: z.boolean(),
})
export type InboxThread = z.infer<typeof InboxThread>

export const OutboxState = z.enum(['pending', 'sending', 'failed', 'held'])
export const OutboxKind = z.enum([
  'new-thread',
  'reply',
  'read',
  'triage',
  'add-participant',
  'remove-participant',
])
export const OutboxEntry = z.object({
  id: z.number().int(),
  kind: OutboxKind,
  threadId: Id.nullable(),
  clientId: Id.nullable(),
  state: OutboxState,
  attempts: z.number().int(),
  /** For failed entries: what the server said, for a person. */
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  /** A short description: "Reply in “Tile selection”". */
  summary: z.string(),
  createdAt: Timestamp,
  nextAttemptAt: Timestamp.nullable(),
})
export type OutboxEntry = z.infer<typeof OutboxEntry>

export const LocalMessage = Message.extend({
  /** Written here and not yet acknowledged by the server. */
  pending: z.boolean(),
  outboxId: z.number().int().nullable(),
})
export type LocalMessage = z.infer<typeof LocalMessage>

export const ThreadDetail = z.object({
  thread: InboxThread,
  messages: z.array(LocalMessage),
  reads: z.array(ReadReceipt),
  /** Pass as `before` for older messages; null when the start of the thread is loaded. */
  nextBefore: z.number().int().nullable(),
})
export type ThreadDetail = z.infer<typeof ThreadDetail>

export const StagedFile = z.object({
  id: Id,
  name: z.string(),
  size: z.number().int(),
  contentType: z.string(),
})
export type StagedFile = z.infer<typeof StagedFile>

export const SearchHitLocal = z.object({
  messageId: Id,
  threadId: Id,
  subject: z.string(),
  projectName: z.string(),
  authorName: z.string(),
  createdAt: Timestamp,
  snippet: z.array(z.object({ text: z.string(), hit: z.boolean() })),
})
export type SearchHitLocal = z.infer<typeof SearchHitLocal>

export const NotificationPreferences = z.strictObject({
  ...DesktopAlerts.shape,
  sound: z.boolean(),
})
export type NotificationPreferences = z.infer<typeof NotificationPreferences>

export const NotificationKind = z.enum(['urgent', 'normal', 'badge', 'none'])
export const NotificationEvent = z.object({
  kind: z.enum(['urgent', 'normal']),
  threadId: Id,
  messageId: Id,
  title: z.string(),
  body: z.string(),
  sound: z.boolean(),
  /** How many new messages the alert stands for when it gathers several (src/shared/alerts.ts). */
  count: z.number().int().min(2).optional(),
})
export type NotificationEvent = z.infer<typeof NotificationEvent>

/** A reply or new conversation being written, kept in the cache so it survives a restart. */
export const Draft = z.object({
  /** A thread id, or "new" for the new-conversation form. */
  key: z.string(),
  body: z.string(),
  internal: z.boolean(),
  /** New conversations only. */
  subject: z.string().optional(),
  projectId: Id.optional(),
  updatedAt: Timestamp,
})
export type Draft = z.infer<typeof Draft>

/**
 * Insights, computed from the local cache so they work offline. A first response is the time from
 * a customer message that starts a wait (no staff answer since) to the next staff message that is
 * not an internal note; it counts for the staff member who answered.
 */
export const Insights = z.object({
  from: Timestamp,
  to: Timestamp,
  messagesPerDay: z.array(
    z.object({ day: z.string(), customer: z.number().int(), staff: z.number().int() }),
  ),
  medianFirstResponseMinutes: z.number().nullable(),
  waiting: z.number().int(),
  byProject: z.array(
    z.object({
      projectId: Id,
      name: z.string(),
      messages: z.number().int(),
      medianFirstResponseMinutes: z.number().nullable(),
      waiting: z.number().int(),
    }),
  ),
  byStaff: z.array(
    z.object({
      userId: Id,
      name: z.string(),
      replies: z.number().int(),
      medianFirstResponseMinutes: z.number().nullable(),
      /** Threads assigned to this person that wait for a staff answer now. */
      waiting: z.number().int(),
    }),
  ),
})
export type Insights = z.infer<typeof Insights>

// issue 14: settings
/**
 * Whether desktop alerts can show on this computer. `os`: the system has a notification service
 * the app can use (`supported`), has none (`unsupported`), or was not asked (`unknown`: the
 * headless host, which has no system to ask). Whether the person allowed Portal Inbox in the
 * system's own settings is not something Electron can read, so it is never claimed. `pausedUntil`:
 * the tray's "Pause notifications for an hour", while it lasts.
 */
export const DesktopAlertState = z.object({
  os: z.enum(['supported', 'unsupported', 'unknown']),
  pausedUntil: Timestamp.nullable(),
})
export type DesktopAlertState = z.infer<typeof DesktopAlertState>
