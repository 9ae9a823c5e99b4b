// What the delivery log and "Send me a test" say about a mail, in words a person acts on. Pure,
// so the words are tested beside it (mail-words.test.ts).
import type { MailLogEntry, MailStatus } from '../../../../shared/protocol'

export const statusLook: Record<MailStatus, { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  retrying: { label: 'Retrying', color: 'yellow' },
  sent: { label: 'Sent', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  bounced: { label: 'Bounced', color: 'red' },
}

/** Still on its way: the log is asked again until it is sent, failed or bounced. */
export const pending = (mail: Pick<MailLogEntry, 'status'>) =>
  mail.status === 'queued' || mail.status === 'retrying'

/** How often the log is asked again while a mail in it is on its way; false: not at all. */
export const refetchWhilePending = (mail: readonly Pick<MailLogEntry, 'status'>[] | undefined) =>
  mail?.some(pending) ? 2000 : false

const kindWords: Record<string, string> = {
  'new-message': 'New message',
  'customer-message': 'Customer message',
  urgent: 'Urgent message',
  'urgent-summary': 'Urgent summary',
  'auto-reply': 'Auto-reply',
  invitation: 'Invitation',
  'password-reset': 'Password reset',
  digest: 'Digest',
  'reply-refused': 'Reply not posted',
  test: 'Test',
  'digest-preview': 'Digest preview',
}

/** The mail's kind for the log's column: known kinds in words, others as the server names them. */
export const kindLabel = (kind: string) => kindWords[kind] ?? kind.replace(/[-_]/g, ' ')

/** What became of the test mail, in a sentence: what happened and what to do next. */
export function testOutcome(mail: MailLogEntry): string {
  switch (mail.status) {
    case 'queued':
      return `Queued at the portal server for ${mail.to}; waiting for it to go out.`
    case 'retrying':
      return `The mail server did not take it yet${mail.problem ? ` (${mail.problem})` : ''}; the portal server tries again.`
    case 'sent':
      return `Sent to ${mail.to}. If it is not in your inbox in a few minutes, look in spam or junk, and mark it as not spam.`
    case 'failed':
      return `Not delivered to ${mail.to}: ${mail.problem ?? 'the mail server gave no reason'}. Check the address with your admin.`
    case 'bounced':
      return `Sent back by the receiving mail server: ${mail.problem ?? 'no reason given'}. Check the address ${mail.to} with your admin.`
  }
}
