import type { MailLayout } from './mail-layout'

/** One mail waiting in the outbox table: what the queue writes and the sender reads. */
export interface MailItem {
  companyId: string
  kind: MailKind
  to: string
  subject: string
  text: string
  threadId?: string | null
  /**
   * The person the mail is for, when it is about a thread they are in: with replies by email on,
   * the mail carries their reply address for that thread.
   */
  recipientId?: string
  /** What its HTML part shows; without one the mail is plain text only. */
  layout?: MailLayout
  /** Not before this instant (an urgent summary waits for the end of its window); now by default. */
  dueAt?: string
}

export type MailKind =
  | 'new-message'
  | 'customer-message'
  | 'urgent'
  | 'urgent-summary'
  | 'auto-reply'
  | 'invitation'
  | 'password-reset'
  | 'digest'
  | 'reply-refused'
  | 'test'
  | 'digest-preview'
  // issue 14: portal links
  | 'sign-in-link'

/**
 * The sender delivers by priority, then age: mail that lets a person in (an invitation, a reset
 * link) never waits behind alerts, urgent alerts go before ordinary ones, digests last.
 * Migration 003 gave the rows queued before it the same numbers.
 */
export function mailPriority(kind: MailKind): number {
  if (kind === 'invitation' || kind === 'password-reset' || kind === 'sign-in-link') return 0
  if (kind === 'urgent' || kind === 'urgent-summary') return 1
  if (kind === 'digest') return 3
  // Telling someone their reply did not arrive is account mail: it should not wait behind alerts.
  // A test or a preview is awaited by the person who asked for it.
  if (kind === 'reply-refused' || kind === 'test' || kind === 'digest-preview') return 0
  return 2
}
