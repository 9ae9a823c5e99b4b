import { z } from 'zod'
import type { IpcEventName, IpcMethodName } from './ipc-names'
import type {
  HeldReply,
  InboundMailResult,
  Attachment,
  CompanySettings,
  InvitationResult,
  Preferences,
  Project,
  PublicSettings,
  Message,
  Person,
  ReadReceipt,
} from './protocol'
// issue 14: who is notified
import type { WhoIsNotified } from './protocol'
import {
  ChangePasswordBody,
  Id,
  InvitationBody,
  NewPersonBody,
  NewProjectBody,
  PersonPatch,
  ProjectPatch,
  SettingsPatch,
  ThreadStatus,
  Timestamp,
  type ErrorCode,
} from './protocol'
// issue 14: people
import type { DigestPreviewResult, DigestSchedule } from './protocol'
// issue 14: settings
import { EmailAlerts, type MailLogEntry } from './protocol'

/**
 * The one contract between the staff inbox UI and the desktop engine. Electron's main process
 * serves it over ipcMain, the headless host over a WebSocket; both register exactly one handler
 * per method from the engine's handler map, so the renderer cannot tell them apart.
 *
 * Every method takes one argument validated with its schema here (the renderer is untrusted
 * input like any other) and returns a promise of its result type.
 */

// The values the engine hands the UI are in ipc-values.ts; the contract re-exports them.
export * from './ipc-values'
import type {
  Connection,
  DesktopAlertState,
  Draft,
  InboxThread,
  Insights,
  NotificationEvent,
  OutboxEntry,
  SearchHitLocal,
  StagedFile,
  ThreadDetail,
} from './ipc-values'
import { InboxView, NotificationPreferences } from './ipc-values'

// ---- method inputs ----

const Empty = z.strictObject({})
const Body = z.string().max(100_000)

export const ipcInputs = {
  signIn: z.strictObject({
    serverUrl: z.url(),
    email: z.string().max(254),
    password: z.string().max(200),
  }),
  /** Mails a reset link from the server at serverUrl; for the sign-in screen, so no session. */
  requestPasswordReset: z.strictObject({
    serverUrl: z.url(),
    email: z.string().max(254),
  }),
  signOut: Empty,
  getConnection: Empty,
  syncNow: Empty,

  listProjects: Empty,
  listPeople: Empty,
  getSettings: Empty,
  listThreads: z.strictObject({
    view: InboxView,
    projectId: Id.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50),
  }),
  viewCounts: Empty,
  openThread: z.strictObject({
    threadId: Id,
    before: z.number().int().optional(),
    limit: z.number().int().min(1).max(2000).default(200),
  }),
  /**
   * The whole thread as a PDF for the project file, read from the cache (so it works offline).
   * Internal notes are in it only when asked for: the default copy is one a customer may see.
   */
  exportThread: z.strictObject({
    threadId: Id,
    includeInternalNotes: z.boolean().default(false),
  }),

  createThread: z.strictObject({
    projectId: Id,
    subject: z.string().trim().min(1).max(200),
    body: Body,
    internal: z.boolean().default(false),
    urgent: z.boolean().default(false),
    participantIds: z.array(Id).max(100).default([]),
    stagedFileIds: z.array(Id).max(50).default([]),
  }),
  reply: z.strictObject({
    threadId: Id,
    body: Body,
    internal: z.boolean().default(false),
    stagedFileIds: z.array(Id).max(50).default([]),
  }),
  markRead: z.strictObject({ messageIds: z.array(Id).min(1).max(1000) }),
  updateThread: z.strictObject({
    threadIds: z.array(Id).min(1).max(500),
    status: ThreadStatus.optional(),
    assigneeId: Id.nullable().optional(),
    snoozedUntil: Timestamp.nullable().optional(),
  }),
  /** Local to this desktop: the thread counts as unread until it is opened again. */
  markUnread: z.strictObject({ threadIds: z.array(Id).min(1).max(500) }),
  addParticipant: z.strictObject({ threadId: Id, userId: Id }),
  removeParticipant: z.strictObject({ threadId: Id, userId: Id }),
  /** Someone new by email (a guest or a trade), or someone of the company: online only. */
  inviteToThread: InvitationBody.extend({ threadId: Id }).strict(),

  listOutbox: Empty,
  retryOutbox: z.strictObject({ id: z.number().int() }),
  discardOutbox: z.strictObject({ id: z.number().int() }),
  editOutbox: z.strictObject({ id: z.number().int(), body: Body }),
  sendHeldAnyway: z.strictObject({ id: z.number().int() }),
  /** Replies by email held for review (their sender failed DMARC): online only. */
  heldReplies: Empty,
  postHeldReply: z.strictObject({ heldId: Id }),
  discardHeldReply: z.strictObject({ heldId: Id }),

  stageBytes: z.strictObject({ name: z.string().max(1000), bytes: z.instanceof(Uint8Array) }),
  stagePath: z.strictObject({ path: z.string().max(4096) }),
  unstage: z.strictObject({ id: Id }),
  downloadAttachment: z.strictObject({ attachmentId: Id }),
  /** The file's bytes (downloaded first when not cached): thumbnails and "Save as" in the page. */
  readAttachment: z.strictObject({ attachmentId: Id }),
  /** Opens the file with the system's app; `opened: false` where the shell cannot (the headless host). */
  openAttachment: z.strictObject({ attachmentId: Id }),

  getDraft: z.strictObject({ key: z.string().min(1).max(64) }),
  saveDraft: z.strictObject({
    key: z.string().min(1).max(64),
    // Longer than any message may be sent: a pasted text over the limit is kept while the
    // person shortens it, not lost with the draft. The subject likewise: the form shows its count
    // and refuses to send over 200, but a refused save here would drop the whole draft meanwhile.
    body: z.string().max(1_000_000),
    internal: z.boolean().default(false),
    subject: z.string().max(10_000).optional(),
    projectId: Id.optional(),
  }),
  deleteDraft: z.strictObject({ key: z.string().min(1).max(64) }),

  search: z.strictObject({
    query: z.string().max(500),
    limit: z.number().int().min(1).max(200).default(50),
  }),

  insights: z.strictObject({
    days: z.number().int().min(1).max(366).default(30),
    projectId: Id.optional(),
  }),

  // Admin → Company Settings → Client Portal and project setup: online only, admins only.
  getCompanySettings: Empty,
  updateCompanySettings: SettingsPatch,
  createProject: NewProjectBody,
  updateProject: z.strictObject({ projectId: Id, patch: ProjectPatch }),
  createPerson: NewPersonBody,
  updatePerson: z.strictObject({ personId: Id, patch: PersonPatch }),
  /** The signed-in person's own password (online only); their other sessions end. */
  changePassword: ChangePasswordBody,

  getNotificationPreferences: Empty,
  setNotificationPreferences: NotificationPreferences.partial().strict(),
  setFocus: z.strictObject({ threadId: Id.nullable(), windowFocused: z.boolean() }),
  // issue 14: who is notified
  /** Who a new message in the thread reaches, and why not: online only, from the server. */
  whoIsNotified: z.strictObject({ threadId: Id }),
  // issue 14: people (Admin → People: online only, admins only)
  signOutPerson: z.strictObject({ personId: Id }),
  resendInvitation: z.strictObject({ personId: Id }),
  getDigestSchedule: Empty,
  previewDigest: Empty,
  // issue 14: settings (Settings → Email alerts, desktop alert state, test mail, delivery log)
  /** The person's own email alerts, as the server keeps them: online only. */
  getEmailAlerts: Empty,
  setEmailAlerts: EmailAlerts.partial().strict(),
  /** Whether this computer can show the alerts at all, and whether the tray paused them. */
  desktopAlertState: Empty,
  /** The mail sent to me, newest first, and what became of each: online only. */
  myMail: Empty,
  sendTestMail: Empty,
  /** Admins: the mail sent to one person. */
  personMail: z.strictObject({ personId: Id }),
} as const

export type IpcInputs = { [K in keyof typeof ipcInputs]: z.input<(typeof ipcInputs)[K]> }

/** What each method resolves to. */
export interface IpcResults {
  signIn: Connection
  requestPasswordReset: { message: string }
  signOut: Connection
  getConnection: Connection
  syncNow: Connection
  listProjects: Project[]
  listPeople: Person[]
  getSettings: CompanySettings | PublicSettings | null
  listThreads: { threads: InboxThread[]; total: number }
  viewCounts: { views: Record<InboxView, number>; projects: Record<string, number> }
  openThread: ThreadDetail
  /** `name` is a file name safe on every system: "Maple Street Remodel - Tile selection - 2026-12-07.pdf". */
  exportThread: { name: string; bytes: Uint8Array }
  createThread: { threadId: string; outboxId: number }
  reply: { messageId: string; outboxId: number }
  markRead: { marked: number }
  updateThread: { outboxIds: number[] }
  markUnread: { marked: number }
  addParticipant: { outboxId: number }
  removeParticipant: { outboxId: number }
  inviteToThread: InvitationResult
  listOutbox: OutboxEntry[]
  retryOutbox: OutboxEntry[]
  discardOutbox: OutboxEntry[]
  editOutbox: OutboxEntry[]
  sendHeldAnyway: OutboxEntry[]
  heldReplies: HeldReply[]
  postHeldReply: InboundMailResult
  discardHeldReply: { ok: true }
  stageBytes: StagedFile
  stagePath: StagedFile
  unstage: { ok: true }
  downloadAttachment: { path: string; attachment: Attachment }
  readAttachment: { bytes: Uint8Array; attachment: Attachment }
  openAttachment: { opened: boolean; path: string }
  getDraft: Draft | null
  saveDraft: Draft
  deleteDraft: { ok: true }
  insights: Insights
  getCompanySettings: CompanySettings
  updateCompanySettings: CompanySettings
  createProject: Project
  updateProject: Project
  createPerson: Person
  updatePerson: Person
  changePassword: { sessionsEnded: number }
  search: SearchHitLocal[]
  getNotificationPreferences: NotificationPreferences
  setNotificationPreferences: NotificationPreferences
  setFocus: { badge: number }
  // issue 14: who is notified
  whoIsNotified: WhoIsNotified
  // issue 14: people
  signOutPerson: { sessionsEnded: number }
  resendInvitation: Person
  getDigestSchedule: DigestSchedule
  previewDigest: DigestPreviewResult
  // issue 14: settings
  getEmailAlerts: EmailAlerts
  setEmailAlerts: EmailAlerts
  desktopAlertState: DesktopAlertState
  myMail: MailLogEntry[]
  sendTestMail: MailLogEntry
  personMail: MailLogEntry[]
}

export type IpcMethod = keyof typeof ipcInputs
export {
  ipcMethodNames,
  ipcEventNames,
  methodChannel,
  eventChannel,
  COMMAND_CHANNEL,
  DOWNLOAD_CHANNEL,
} from './ipc-names'

/**
 * How a file the page saved ended, in Electron: its Save dialog was answered and the file
 * written (`completed`, with where), closed (`cancelled`), or the writing failed (`interrupted`).
 * The browser keeps that to itself; there the page only knows the download started.
 */
export interface DownloadReport {
  name: string
  state: 'completed' | 'cancelled' | 'interrupted'
  path: string | null
}

/** What ipcMain sends back: Electron keeps only an Error's message, so failures travel as values. */
export type IpcEnvelope<T> = { ok: true; result: T } | { ok: false; error: EngineErrorBody }
// Every method has a result type and every result type a method: a missing or extra name fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const contractIsComplete: Same<IpcMethod, keyof IpcResults> = true
// The dependency-free name lists the preload uses must match the contract too.
export const methodNamesMatch: Same<IpcMethod, IpcMethodName> = true
export const eventNamesMatch: Same<keyof IpcEvents, IpcEventName> = true

/** The API the renderer sees: one async function per method. */
export type EngineApi = { [K in IpcMethod]: (input: IpcInputs[K]) => Promise<IpcResults[K]> }

/** Events the engine emits after it has committed what they describe. */
export interface IpcEvents {
  connection: Connection
  syncProgress: { done: number; total: number; phase: 'initial' | 'catch-up' }
  /** Something in the cache changed: ids let a view refresh only what it shows. */
  changed: {
    threadIds: string[]
    projects: boolean
    people: boolean
    settings: boolean
    outbox: boolean
  }
  notification: NotificationEvent
  badge: { unread: number }
  transfer: { id: string; direction: 'upload' | 'download'; done: number; total: number }
  /** Open a thread: a notification was clicked or a portal-inbox:// link was followed. */
  navigate: { threadId: string }
}
export type IpcEvent = keyof IpcEvents

export type { Attachment, Message, ReadReceipt, Preferences }

/**
 * How a method fails: the server's codes (a refusal passed through) plus the engine's own. The
 * message is for a person and says what to do next.
 */
export const localErrorCodes = [
  'NOT_SIGNED_IN',
  'INVALID_INPUT',
  'FILE_NOT_FOUND',
  'OFFLINE',
  'SERVER_UNREACHABLE',
] as const
export type EngineErrorCode = ErrorCode | (typeof localErrorCodes)[number]
export interface EngineErrorBody {
  code: EngineErrorCode
  message: string
}
