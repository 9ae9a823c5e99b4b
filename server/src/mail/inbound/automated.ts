/**
 * Mail no person wrote: auto-replies, bounces and list mail. It never posts and is never
 * answered, so two auto-responders (ours and an out-of-office) cannot keep mailing each other.
 * The signs are the ones RFC 3834 (Auto-Submitted), RFC 3464 (delivery reports) and the common
 * mailers (Precedence, X-Autoreply, X-Autorespond, list headers) put on such mail.
 */
export interface MailSigns {
  /** MAIL FROM of the SMTP conversation; `''` is the null sender of bounces. */
  envelopeFrom?: string | null | undefined
  fromAddress: string
  /** Header names lower-case, values as text. */
  header(name: string): string | undefined
  contentType: string | undefined
}

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster)@/i

export function whyAutomated(mail: MailSigns): string | null {
  if (mail.envelopeFrom === '') return 'a bounce (null sender)'
  if (BOUNCE_SENDERS.test(mail.fromAddress)) return 'a bounce (from a mail system)'
  const auto = mail.header('auto-submitted')?.trim().toLowerCase()
  if (auto && auto !== 'no') return `an automatic reply (Auto-Submitted: ${auto})`
  const precedence = mail.header('precedence')?.trim().toLowerCase()
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `bulk or list mail (Precedence: ${precedence})`
  for (const name of ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress-reply']) {
    if (mail.header(name) !== undefined) return `an automatic reply (${name})`
  }
  if (mail.header('list-id') !== undefined || mail.header('list-unsubscribe') !== undefined)
    return 'mailing-list mail'
  const type = mail.contentType?.toLowerCase() ?? ''
  if (type.startsWith('multipart/report')) return 'a delivery report'
  return null
}
