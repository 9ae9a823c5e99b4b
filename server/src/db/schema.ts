import type { Generated } from 'kysely'
import type { StoredMessage, StoredThread } from '../../../src/shared/stored-rows'

/** Row types of the portal server's database. Booleans are 0/1 integers, times ISO-8601 text. */
export interface Database {
  companies: CompanyRow
  users: UserRow
  sessions: SessionRow
  invitations: InvitationRow
  projects: ProjectRow
  project_members: ProjectMemberRow
  threads: ThreadRow
  thread_participants: ThreadParticipantRow
  messages: MessageRow
  attachments: AttachmentRow
  reads: ReadRow
  revocations: RevocationRow
  mail_outbox: MailRow
  digest_runs: DigestRunRow
  rate_limits: RateLimitRow
  reply_tokens: ReplyTokenRow
  inbound_mail: InboundMailRow
  // issue 14: portal links
  unsubscribe_tokens: UnsubscribeTokenRow
  sign_in_links: SignInLinkRow
}

export interface CompanyRow {
  id: string
  name: string
  settings: string
  /** The company-wide change counter: every changed row takes the next value as its seq. */
  last_seq: number
  settings_seq: number
  created_at: string
}

export interface UserRow {
  id: string
  company_id: string
  role: 'admin' | 'staff' | 'customer' | 'subcontractor'
  name: string
  email: string
  password_hash: string | null
  portal_access: number
  preferences: string
  seq: number
  created_at: string
}

export interface SessionRow {
  token_hash: string
  user_id: string
  created_at: string
  expires_at: string
  revoked_at: string | null
}

export interface InvitationRow {
  token_hash: string
  user_id: string
  expires_at: string
  used_at: string | null
  kind: Generated<'invitation' | 'password-reset'>
}

export interface ProjectRow {
  id: string
  company_id: string
  name: string
  stage: 'lead' | 'pre-construction' | 'construction' | 'warranty' | 'closed'
  seq: number
  created_at: string
}

export interface ProjectMemberRow {
  project_id: string
  user_id: string
}

export interface ThreadRow extends StoredThread {
  company_id: string
  /** Latest message that is not an internal note: what customers see. */
  public_last_at: string
  public_preview: string
  public_sender_id: string
}

export interface ThreadParticipantRow {
  thread_id: string
  user_id: string
  added_by: string
  added_at: string
}

export interface MessageRow extends StoredMessage {
  pk: Generated<number>
  company_id: string
  content_hash: string
}

export interface AttachmentRow {
  id: string
  company_id: string
  project_id: string
  message_id: string | null
  uploader_id: string
  client_id: string | null
  name: string
  size: number
  content_type: string
  sha256: string
  storage_name: string
  created_at: string
}

export interface ReadRow {
  message_id: string
  thread_id: string
  user_id: string
  read_at: string
  seq: number
}

export interface RevocationRow {
  user_id: string
  thread_id: string
  seq: number
}

export interface MailRow {
  id: string
  company_id: string
  kind: string
  thread_id: string | null
  to_address: string
  subject: string
  text: string
  created_at: string
  attempts: number
  next_attempt_at: string
  sent_at: string | null
  last_error: string | null
  /** 0 account mail, 1 urgent alerts, 2 other alerts, 3 digests: delivered in that order, then by age. */
  priority: number
  /** How many messages the mail tells about (an urgent summary grows while it waits). */
  message_count: number
  /** Where a reply goes (reply+<token>@<inbound domain>); null when replies by email are off. */
  reply_to: string | null
  /** JSON of the extra headers (threading, Auto-Submitted, List-Unsubscribe), or null. */
  headers: string | null
  /** JSON of what the HTML part shows (mail/mail-layout.ts); null for a plain-text mail. */
  layout: string | null
  bounced_at: string | null
  bounce_reason: string | null
}

export interface DigestRunRow {
  company_id: string
  period_end: string
}

/** rate-limiter-flexible's counters (server/src/limits/stores/sqlite.ts); expire is in ms since 1970. */
export interface RateLimitRow {
  key: string
  points: number
  expire: number | null
}

/** The secret of a reply address: who a reply by email comes from, and which thread it answers. */
export interface ReplyTokenRow {
  token: string
  company_id: string
  user_id: string
  thread_id: string
  created_at: string
  revoked_at: string | null
}

export type InboundOutcome = 'posted' | 'refused' | 'ignored' | 'held' | 'discarded'

/** A mail received (by SMTP or the provider's webhook), once per Message-ID and company. */
export interface InboundMailRow {
  id: string
  company_id: string | null
  /** sha256 of the Message-ID (or of the raw mail when it has none). */
  message_key: string
  received_at: string
  from_address: string
  subject: string
  user_id: string | null
  thread_id: string | null
  outcome: InboundOutcome
  /** Why it was refused, ignored or held, in the words the sender was told. */
  reason: string | null
  message_id: string | null
  /** JSON: the sender checks' verdict (spf, dkim, dmarc). */
  auth: string
  /** The mail as received, kept only while it is held for review. */
  raw: Buffer | null
}

// issue 14: portal links
/** A one-click unsubscribe link's token (hashed): whose message alerts it turns off. */
export interface UnsubscribeTokenRow {
  token_hash: string
  user_id: string
  created_at: string
}

/** A one-time sign-in link (hashed), valid until `expires_at`. */
export interface SignInLinkRow {
  token_hash: string
  user_id: string
  /** The address it was mailed to. */
  email: string
  created_at: string
  expires_at: string
  used_at: string | null
}
