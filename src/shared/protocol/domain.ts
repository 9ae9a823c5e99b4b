import { z } from 'zod'
import { knownFileTypeKeys } from '../files'

/** Timestamps travel as ISO-8601 UTC strings; they sort as text, which both SQLite and clients rely on. */
export const Timestamp = z.iso.datetime({ offset: false })
export const Id = z.uuid()

export const Role = z.enum(['admin', 'staff', 'customer', 'subcontractor'])
export type Role = z.infer<typeof Role>
export const isStaffRole = (role: Role): boolean => role === 'admin' || role === 'staff'

export const ProjectStage = z.enum([
  'lead',
  'pre-construction',
  'construction',
  'warranty',
  'closed',
])
export type ProjectStage = z.infer<typeof ProjectStage>

export const ThreadStatus = z.enum(['open', 'waiting-on-customer', 'closed'])
export type ThreadStatus = z.infer<typeof ThreadStatus>

/**
 * A staff member's desktop alert settings, kept on the server as well as in the engine so that a
 * colleague's "Who is notified" can say "muted this project" or "quiet hours". The sound is the
 * desktop's own business and stays there.
 */
export const DesktopAlerts = z.strictObject({
  mutedProjectIds: z.array(Id).max(500),
  onlyAssignedToMe: z.boolean(),
  quietHours: z.strictObject({
    enabled: z.boolean(),
    start: z.string().regex(/^\d{2}:\d{2}$/),
    end: z.string().regex(/^\d{2}:\d{2}$/),
  }),
  urgentAlways: z.boolean(),
})
export type DesktopAlerts = z.infer<typeof DesktopAlerts>

export const Preferences = z.strictObject({
  /** Customers: a staff message arrived. Staff: a customer message arrived in a thread they follow. */
  emailOnNewMessage: z.boolean(),
  /** Staff: an urgent customer message arrived. */
  emailUrgent: z.boolean(),
  /** Staff: the digest of portal activity on the company's schedule. */
  emailDigest: z.boolean(),
  /** Staff: the desktop alerts, as the desktop app last wrote them; absent until they change one. */
  desktop: DesktopAlerts.optional(),
})
export type Preferences = z.infer<typeof Preferences>

export const Person = z.object({
  id: Id,
  role: Role,
  name: z.string(),
  /** Present for staff callers and for the caller's own record only. */
  email: z.string().nullable(),
  portalAccess: z.boolean(),
  /**
   * Whether they have set a password, so have signed in at least once (an invitation's link is
   * the way in). Like email: for staff callers and the caller's own record, null otherwise.
   */
  passwordSet: z.boolean().nullable(),
  seq: z.number().int(),
})
export type Person = z.infer<typeof Person>

export const Project = z.object({
  id: Id,
  name: z.string(),
  stage: ProjectStage,
  /** Whether the company's settings open the portal to customers in this project's stage. */
  portalOpen: z.boolean(),
  customerIds: z.array(Id),
  teamIds: z.array(Id),
  storageUsedBytes: z.number().int(),
  seq: z.number().int(),
})
export type Project = z.infer<typeof Project>

export const Attachment = z.object({
  id: Id,
  messageId: Id.nullable(),
  projectId: Id,
  name: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  sha256: z.string(),
  createdAt: Timestamp,
})
export type Attachment = z.infer<typeof Attachment>

export const Thread = z.object({
  id: Id,
  /** The id its author's client generated: how an offline-created thread finds its server copy. */
  clientId: Id,
  projectId: Id,
  subject: z.string(),
  status: ThreadStatus,
  /** Staff-only triage fields: null for customers and subcontractors. */
  assigneeId: Id.nullable(),
  snoozedUntil: Timestamp.nullable(),
  /** When a customer message has been waiting for a staff answer since; null when answered. */
  waitingSince: Timestamp.nullable(),
  /** An urgent customer message arrived after the last staff answer. */
  urgent: z.boolean(),
  createdById: Id,
  createdAt: Timestamp,
  lastMessageAt: Timestamp,
  lastMessagePreview: z.string(),
  lastMessageSenderId: Id,
  participantIds: z.array(Id),
  seq: z.number().int(),
})
export type Thread = z.infer<typeof Thread>

export const ThreadSummary = Thread.extend({ unreadCount: z.number().int() })
export type ThreadSummary = z.infer<typeof ThreadSummary>

export const Message = z.object({
  id: Id,
  threadId: Id,
  projectId: Id,
  authorId: Id,
  clientId: Id,
  body: z.string(),
  /** Internal notes are only ever sent to staff. */
  internal: z.boolean(),
  urgent: z.boolean(),
  createdAt: Timestamp,
  attachments: z.array(Attachment),
  seq: z.number().int(),
})
export type Message = z.infer<typeof Message>

export const ReadReceipt = z.object({
  messageId: Id,
  threadId: Id,
  userId: Id,
  readAt: Timestamp,
  seq: z.number().int(),
})
export type ReadReceipt = z.infer<typeof ReadReceipt>

// Remembered per zone: building an Intl.DateTimeFormat costs about 0.2 ms, and the server parses
// the company settings (this schema) on every write; it was 5% of a message write's time
// (scripts/bench.ts, `server.msgs_per_s`). The answer for a zone name does not change.
const knownZones = new Map<string, boolean>()

function isTimeZone(zone: string): boolean {
  let known = knownZones.get(zone)
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      known = true
    } catch {
      known = false
    }
    if (knownZones.size < 1000) knownZones.set(zone, known)
  }
  return known
}

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use 24-hour HH:MM, for example 08:30')

export const AutoReplyWhen = z.enum(['always', 'outside-business-hours', 'first-message'])

/** Admin -> Company Settings -> Client Portal, as the help page names it. */
export const CompanySettings = z.object({
  messagesEnabled: z.boolean(),
  portalOpenStages: z.array(ProjectStage),
  maxFileBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024),
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024 * 1024),
  maxFilesPerMessage: z.number().int().min(1).max(50),
  projectQuotaBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 ** 4),
  maxBodyChars: z.number().int().min(100).max(100_000),
  allowedFileTypes: z.array(z.enum(knownFileTypeKeys)).max(100),
  urgentKeywords: z.array(z.string().trim().min(2).max(60)).max(100),
  autoReply: z.strictObject({
    enabled: z.boolean(),
    text: z.string().max(2000),
    when: AutoReplyWhen,
  }),
  businessHours: z.strictObject({
    timezone: z
      .string()
      .min(1)
      .max(64)
      .refine(isTimeZone, 'Use an IANA time zone such as America/Denver or Europe/Berlin'),
    days: z.array(z.number().int().min(0).max(6)).max(7),
    start: HHMM,
    end: HHMM,
  }),
  expectedResponseTime: z.string().max(200),
  /** How customers reach the office by phone: said wherever the portal and its mail say to call. */
  contactPhone: z.string().trim().max(40),
  /** The office's hours in the builder's own words ("Mon–Fri 8am–5pm"), said beside the phone. */
  officeHours: z.string().trim().max(120),
  subcontractorsAllowed: z.boolean(),
  digest: z.strictObject({
    frequency: z.enum(['off', 'daily', 'weekly']),
    hour: z.number().int().min(0).max(23),
    weekday: z.number().int().min(0).max(6),
  }),
})
export type CompanySettings = z.infer<typeof CompanySettings>

/** What customers and subcontractors may know of the settings: enough to explain limits and replies. */
export const PublicSettings = CompanySettings.pick({
  messagesEnabled: true,
  portalOpenStages: true,
  maxFileBytes: true,
  maxMessageBytes: true,
  maxFilesPerMessage: true,
  projectQuotaBytes: true,
  maxBodyChars: true,
  allowedFileTypes: true,
  autoReply: true,
  businessHours: true,
  expectedResponseTime: true,
  contactPhone: true,
  officeHours: true,
})
export type PublicSettings = z.infer<typeof PublicSettings>

export const Company = z.object({ id: Id, name: z.string() })
