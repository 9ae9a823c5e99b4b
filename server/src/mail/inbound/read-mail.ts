import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import { sha256 } from '../../util'
import { whyAutomated } from './automated'

/** A received mail, as the inbound service reads it. */
export interface ReceivedMail {
  /** sha256 of the Message-ID, or of the whole mail when it has none: the same mail twice is one. */
  key: string
  fromAddress: string
  subject: string
  /** Every address the mail was sent to: envelope recipients, To, Cc and the forwarding headers. */
  recipients: string[]
  /** The plain text (mailparser writes it from the HTML part when there is no text part). */
  text: string
  attachments: { filename: string; content: Buffer }[]
  /** Why no person wrote this (an auto-reply, a bounce, list mail), or null. */
  automated: string | null
  /** A delivery report's machine-readable part (RFC 3464), when the mail is one. */
  deliveryStatus: string | null
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((a) => a.value)
    .map((a) => a.address ?? '')
    .filter(Boolean)

function headerText(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name)
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(String).join(', ')
  if (typeof value === 'object' && value && 'value' in value) return String(value.value)
  return String(value)
}

export async function readMail(
  raw: Buffer,
  envelope: { mailFrom?: string | undefined; recipients?: readonly string[] | undefined },
): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true })
  const fromAddress = parsed.from?.value[0]?.address ?? envelope.mailFrom ?? ''
  const forwardedTo = ['delivered-to', 'x-original-to', 'envelope-to']
    .map((h) => headerText(parsed, h))
    .filter((v): v is string => Boolean(v))
  return {
    key: sha256(parsed.messageId ? parsed.messageId.trim().toLowerCase() : raw),
    fromAddress,
    subject: parsed.subject ?? '',
    recipients: [
      ...(envelope.recipients ?? []),
      ...addresses(parsed.to),
      ...addresses(parsed.cc),
      ...forwardedTo,
    ],
    text: parsed.text ?? '',
    // Images a signature or an HTML layout shows inline (cid: links) are not files the person
    // sent; everything else with a name is.
    attachments: parsed.attachments
      .filter((a) => !a.related && a.filename)
      .map((a) => ({ filename: a.filename!, content: a.content })),
    deliveryStatus:
      parsed.attachments
        .find((a) => a.contentType === 'message/delivery-status')
        ?.content.toString('utf8') ?? null,
    automated: whyAutomated({
      envelopeFrom: envelope.mailFrom,
      fromAddress,
      header: (name) => headerText(parsed, name),
      contentType: headerText(parsed, 'content-type'),
    }),
  }
}
