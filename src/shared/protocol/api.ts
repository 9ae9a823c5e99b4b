import { z } from 'zod'
import {
  Attachment,
  Company,
  CompanySettings,
  Id,
  Message,
  Person,
  Preferences,
  Project,
  ProjectStage,
  PublicSettings,
  ReadReceipt,
  Role,
  Thread,
  ThreadStatus,
  ThreadSummary,
  Timestamp,
} from './domain'

/** Request bodies are strict: an unknown field is a client bug worth a 400, not silence. */

const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
const Password = z.string().min(10, 'Use at least 10 characters').max(200)
const Subject = z.string().trim().min(1, 'Enter a subject line').max(200)
/**
 * A person's name is one line: it is said in mail to them (an invitation goes to any address),
 * where a line break would let a name write paragraphs of its own.
 */
const PersonName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine(
    (name) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(name),
    'Write the name on one line, without control characters',
  )

export const SignInBody = z.strictObject({ email: Email, password: z.string().min(1).max(200) })
export const Session = z.object({ token: z.string(), expiresAt: Timestamp, user: Person })
export type Session = z.infer<typeof Session>

export const SetPasswordBody = z.strictObject({
  token: z.string().min(20).max(200),
  password: Password,
})
/** A signed-in person changes their password; their other sessions end. */
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
})
export const SessionsEnded = z.object({ ok: z.literal(true), sessionsEnded: z.number().int() })

/** Asks for a reset link by email; the answer is the same whether or not the address has an account. */
export const ForgotPasswordBody = z.strictObject({ email: Email })
export const ForgotPasswordResult = z.object({ ok: z.literal(true), message: z.string() })
export type ForgotPasswordResult = z.infer<typeof ForgotPasswordResult>

export const Me = z.object({
  user: Person,
  company: Company,
  preferences: Preferences,
  settings: z.union([CompanySettings, PublicSettings]),
})
export type Me = z.infer<typeof Me>

export const PreferencesPatch = Preferences.partial().strict()

export const ThreadView = z.enum([
  'all',
  'unread',
  'urgent',
  'assigned',
  'waiting',
  'snoozed',
  'closed',
])
export type ThreadView = z.infer<typeof ThreadView>

export const ThreadListQuery = z.strictObject({
  view: ThreadView.default('all'),
  projectId: Id.optional(),
  /** Opaque cursor from the previous page's nextCursor. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export const ThreadList = z.object({
  threads: z.array(ThreadSummary),
  nextCursor: z.string().nullable(),
})

export const MessageDraft = z.strictObject({
  /** Client-generated id (UUIDv7 recommended): the same id again returns the original message. */
  clientId: Id,
  body: z.string().max(100_000),
  internal: z.boolean().default(false),
  urgent: z.boolean().default(false),
  attachmentIds: z.array(Id).max(50).default([]),
})
export type MessageDraft = z.input<typeof MessageDraft>

export const NewThreadBody = MessageDraft.extend({
  projectId: Id,
  subject: Subject,
  /** Extra participants beyond the project's customer contacts and assigned team. */
  participantIds: z.array(Id).max(100).default([]),
}).strict()
export type NewThreadBody = z.input<typeof NewThreadBody>

export const ThreadWithMessage = z.object({
  thread: Thread,
  message: Message,
  /** The auto-reply's text when this message got one (sent by email too); absent on a replay. */
  autoReply: z.string().nullable().optional(),
})

export const ThreadPatch = z
  .strictObject({
    status: ThreadStatus.optional(),
    assigneeId: Id.nullable().optional(),
    snoozedUntil: Timestamp.nullable().optional(),
    subject: Subject.optional(),
  })
  .refine(
    (p) => Object.keys(p).length > 0,
    'Send at least one of status, assigneeId, snoozedUntil, subject',
  )

export const MessagePageQuery = z.strictObject({
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export const MessagePage = z.object({
  messages: z.array(Message),
  reads: z.array(ReadReceipt),
  /** Pass as `before` to load older messages; null at the start of the thread. */
  nextBefore: z.number().int().nullable(),
})

export const ParticipantBody = z.strictObject({ userId: Id })

/**
 * Staff invite someone by email into one thread: an architect or a designer as a guest (a
 * customer who is no contact on the project, so they see the threads they are in and start
 * none), a new trade as a subcontractor. An email that already has an account in the company
 * adds that person as they are: `kind` and `name` only shape a new account.
 */
export const InvitationBody = z.strictObject({
  name: PersonName,
  email: Email,
  kind: z.enum(['guest', 'trade']),
})
export type InvitationBody = z.input<typeof InvitationBody>
export const InvitationResult = z.object({
  thread: Thread,
  person: Person,
  /** The person had an account in the company already: it was used as it is (name and role). */
  existing: z.boolean(),
  /**
   * What went to their inbox: a set-password link that opens the thread (no password yet), the
   * thread's link (they sign in already), or nothing (staff, or their portal access is off).
   */
  mailed: z.enum(['set-password-link', 'thread-link', 'nothing']),
})
export type InvitationResult = z.infer<typeof InvitationResult>

export const ReadBody = z.strictObject({ messageIds: z.array(Id).min(1).max(1000) })
export const ReadResult = z.object({ reads: z.array(ReadReceipt) })

export const AttachmentUpload = z.object({ attachment: Attachment })

export const ChangesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
})

/** One batch of changes: the shape of a change-feed page and of every live event alike. */
export const ChangeSet = z.object({
  people: z.array(Person).default([]),
  projects: z.array(Project).default([]),
  threads: z.array(Thread).default([]),
  messages: z.array(Message).default([]),
  reads: z.array(ReadReceipt).default([]),
  settings: z.union([CompanySettings, PublicSettings]).nullable().default(null),
  /** Threads the caller may no longer see: drop them and their messages. */
  removedThreadIds: z.array(Id).default([]),
})
export type ChangeSet = z.infer<typeof ChangeSet>

export const ChangesPage = z.object({
  changes: ChangeSet,
  /** Pass as `after` next time. Equal to the request's `after` when nothing changed. */
  cursor: z.number().int(),
  hasMore: z.boolean(),
  /** The company's newest seq when the page was read: with the cursor, how far a sync has come. */
  head: z.number().int(),
})
export type ChangesPage = z.infer<typeof ChangesPage>

export const SearchQuery = z.strictObject({
  q: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export const SnippetPart = z.object({ text: z.string(), hit: z.boolean() })
export const SearchHit = z.object({
  messageId: Id,
  threadId: Id,
  projectId: Id,
  subject: z.string(),
  authorId: Id,
  authorName: z.string(),
  createdAt: Timestamp,
  /** The matching text, split into plain and highlighted parts so nothing is ever parsed as markup. */
  snippet: z.array(SnippetPart),
})
export const SearchResult = z.object({ hits: z.array(SearchHit) })
export type SearchHit = z.infer<typeof SearchHit>

// ---- admin ----

export const SettingsPatch = CompanySettings.partial().strict()

export const NewPersonBody = z.strictObject({
  role: Role,
  name: PersonName,
  email: Email,
  portalAccess: z.boolean().default(true),
  projectIds: z.array(Id).max(500).default([]),
  /** Send the invitation email with a set-password link. */
  invite: z.boolean().default(true),
})
export const PersonPatch = z
  .strictObject({
    name: PersonName.optional(),
    role: Role.optional(),
    portalAccess: z.boolean().optional(),
    /** Correcting an address ends the person's sessions: they sign in with the new one. */
    email: Email.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'Send at least one of name, role, portalAccess, email')
export const PersonResult = z.object({ person: Person })
export const PeopleList = z.object({ people: z.array(Person) })

export const NewProjectBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  stage: ProjectStage,
  customerIds: z.array(Id).max(200).default([]),
  teamIds: z.array(Id).max(200).default([]),
})
export const ProjectPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    stage: ProjectStage.optional(),
    customerIds: z.array(Id).max(200).optional(),
    teamIds: z.array(Id).max(200).optional(),
  })
  .refine(
    (p) => Object.keys(p).length > 0,
    'Send at least one of name, stage, customerIds, teamIds',
  )
export const ProjectResult = z.object({ project: Project })
export const ProjectList = z.object({ projects: z.array(Project) })

export const DigestBody = z.strictObject({ since: Timestamp.optional() })
export const DigestResult = z.object({
  queued: z.number().int(),
  periodStart: Timestamp,
  periodEnd: Timestamp,
})

export const Health = z.object({
  ok: z.literal(true),
  version: z.string(),
  uptimeSeconds: z.number(),
})

/**
 * What became of a mail a provider's inbound webhook handed over (POST /inbound/mail): posted
 * as a message, refused (the sender was mailed why), ignored (an automatic reply, a bounce, or
 * not sent to a reply address), held for staff review (sender checks failed), or a duplicate of
 * a mail received before.
 */
export const InboundMailResult = z.object({
  outcome: z.enum(['posted', 'refused', 'ignored', 'held', 'discarded', 'duplicate']),
  reason: z.string().nullable(),
  threadId: Id.nullable(),
  messageId: Id.nullable(),
})
export type InboundMailResult = z.infer<typeof InboundMailResult>

/**
 * What became of a mail: waiting to go, being retried after a failure, handed to the
 * receiving server, given up on after the last retry, or sent back by the receiving server.
 */
export const MailStatus = z.enum(['queued', 'retrying', 'sent', 'failed', 'bounced'])
export type MailStatus = z.infer<typeof MailStatus>
export const MailLogEntry = z.object({
  id: Id,
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  threadId: Id.nullable(),
  createdAt: Timestamp,
  status: MailStatus,
  sentAt: Timestamp.nullable(),
  /** The next try, while it waits or is retried. */
  nextAttemptAt: Timestamp.nullable(),
  attempts: z.number().int(),
  /** Why it failed or came back, in the mail servers' own words. */
  problem: z.string().nullable(),
})
export type MailLogEntry = z.infer<typeof MailLogEntry>
export const MailLog = z.object({ mail: z.array(MailLogEntry) })
export type MailLog = z.infer<typeof MailLog>
export const MailLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Admins: only the mail to this person. */
  personId: Id.optional(),
})
export const TestMailResult = z.object({ mail: MailLogEntry })

/** A reply by email held for staff review (its sender failed DMARC): what it says and why held. */
export const HeldReply = z.object({
  id: Id,
  receivedAt: Timestamp,
  from: z.string(),
  subject: z.string(),
  threadId: Id,
  personId: Id.nullable(),
  reason: z.string(),
  /** What the person wrote (quoted history cut), as it would be posted. */
  text: z.string(),
  files: z.array(z.string()),
})
export type HeldReply = z.infer<typeof HeldReply>
export const HeldReplies = z.object({ held: z.array(HeldReply) })

// issue 14: who is notified
/** One way a person hears of a new message in a thread, and why not when they do not. */
export const NotifiedChannel = z.object({
  channel: z.enum(['desktop', 'email', 'portal']),
  on: z.boolean(),
  /** In plain words: why not when off; a note when on needs one ("desktop alerts on (default)"). */
  reason: z.string().nullable(),
})
export type NotifiedChannel = z.infer<typeof NotifiedChannel>
/** The person (their id, name and role, as in the directory) and how a new message reaches them. */
export const NotifiedPerson = Person.pick({ id: true, name: true, role: true }).extend({
  /** Why a new message reaches them: in the thread, on the project's team, its assignee. */
  as: z.array(z.enum(['participant', 'team', 'assignee'])),
  /** The message this row is about: staff hear of a customer's, customers of a staff member's. */
  when: z.enum(['customer-message', 'staff-message']),
  channels: z.array(NotifiedChannel),
})
export type NotifiedPerson = z.infer<typeof NotifiedPerson>
export const WhoIsNotified = z.object({
  threadId: Id,
  people: z.array(NotifiedPerson),
  /** What an internal note does, which differs: it reaches no customer. */
  internalNote: z.string(),
})
export type WhoIsNotified = z.infer<typeof WhoIsNotified>
// issue 14: people (Admin → People: the digest's schedule and a preview to the admin)
/** When the company's digest next goes out, on the server's clock, and to how many staff. */
export const DigestSchedule = z.object({
  // The schedule as the company's settings hold it, and what it comes to on the server's clock.
  ...CompanySettings.shape.digest.shape,
  /** The company's time zone, the one the hour and weekday are in. */
  timezone: z.string(),
  /** The server's clock when it answered. */
  now: Timestamp,
  /** Null when the digest is off. */
  nextRunAt: Timestamp.nullable(),
  /** The last scheduled run: the next digest covers from here. Null when off. */
  lastRunAt: Timestamp.nullable(),
  /** Staff who get the digest (their own setting is on). */
  recipients: z.number().int(),
})
export type DigestSchedule = z.infer<typeof DigestSchedule>
/** A digest sent to the admin who asked, only: what the next one says so far, over that period. */
export const DigestPreviewResult = DigestResult.omit({ queued: true }).extend({
  mail: MailLogEntry,
})
export type DigestPreviewResult = z.infer<typeof DigestPreviewResult>
// issue 14: portal links
/**
 * Asks for a one-time sign-in link by email (customers and subcontractors); the answer is the same
 * whether or not the address has an account. The link opens this conversation (and file) once used.
 */
export const SignInLinkBody = z.strictObject({
  email: Email,
  threadId: Id.optional(),
  fileId: Id.optional(),
})
export const UseSignInLinkBody = z.strictObject({ token: z.string().min(20).max(200) })
/** A one-click unsubscribe was done: message alerts to this address are off. */
export const UnsubscribeResult = z.object({ ok: z.literal(true), email: z.string() })
export type UnsubscribeResult = z.infer<typeof UnsubscribeResult>

// issue 14: settings (the person's own email alerts: every preference but the desktop app's own,
// so an email alert added to Preferences later is one here too)
export const EmailAlerts = Preferences.omit({ desktop: true })
export type EmailAlerts = z.infer<typeof EmailAlerts>
