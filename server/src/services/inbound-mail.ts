import { Readable } from 'node:stream'
import type { z } from 'zod'
import type { HeldReply, MessageDraft } from '../../../src/shared/protocol'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import type { PortalDb } from '../db/handle'
import type { InboundMailRow, ReplyTokenRow, ThreadRow, UserRow } from '../db/schema'
import { isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { AppError, forbidden, notFound } from '../errors'
import type { WriteKind } from '../limits/writes'
import { readMail, type ReceivedMail } from '../mail/inbound/read-mail'
import { bouncedMailIn, replyTokenIn } from '../mail/inbound/reply-address'
import { replyText } from '../mail/inbound/reply-text'
import {
  checkSender,
  heldForReview,
  type DnsResolver,
  type Envelope,
  SenderVerdict,
} from '../mail/inbound/sender-checks'
import type { MailLinks, MailQueue } from '../mail/queue'
import { heldMail, inboundSeen, recordInbound, settleHeld } from '../repositories/inbound-mail'
import { mailedSince, mailExists, markMailBounced } from '../repositories/mail-outbox'
import { replyTokenRow } from '../repositories/reply-tokens'
import { personByEmail } from '../repositories/people'
import { lookUpForCaller } from '../repositories/find'
import { firstWhere } from '../repositories/rows'
import { assertPortalAccess, callerFromRow } from '../repositories/sessions'
import { newId, sha256 } from '../util'
import type { AttachmentService } from './attachments'
import type { MessagingService } from './messaging'

type Draft = z.output<typeof MessageDraft>
/** Writes what became of a mail; false when it was written already (the same mail at once). */
type RecordFn = (
  outcome: InboundMailRow['outcome'],
  fields?: Partial<InboundMailRow>,
) => Promise<boolean>

/** What became of a mail; `changed` is for the commit (live push, waking the mail sender). */
export interface InboundResult {
  outcome: InboundMailRow['outcome'] | 'duplicate'
  reason: string | null
  threadId: string | null
  messageId: string | null
  changed: Changed | null
}

export interface InboundPorts {
  db: PortalDb
  clock: Clock
  mail: MailQueue
  links: MailLinks
  messaging: MessagingService
  attachments: AttachmentService
  /** The write limits a reply by email counts against, as a reply in the portal does. */
  takeWrite: (caller: Caller, kind: WriteKind) => Promise<void>
  inboundDomain: string
  /** DNS for the sender checks; the system's resolver when not given. */
  resolver?: DnsResolver | undefined
}

/** One refusal mail per thread and address an hour: a sender who keeps trying is told once. */
const REFUSAL_GAP_MS = 3600_000

/**
 * A reply by email becomes a message in its thread, from the person its reply address was
 * mailed to, through the portal's own rules (messaging.reply): what the portal would refuse is
 * refused here, and the person is told why by mail, with their words given back so nothing they
 * wrote is lost. Mail no person wrote is never posted and never answered; a mail seen twice is
 * posted once (its Message-ID is the message's client id); a mail whose sender fails DMARC is
 * held for staff to look at, even with a valid reply address.
 */
export class InboundMailService {
  constructor(private readonly ports: InboundPorts) {}

  async receive(raw: Buffer, mail: ReceivedMail, envelope: Envelope): Promise<InboundResult> {
    const { db } = this.ports
    const bounced = bouncedMailIn(mail.recipients, this.ports.inboundDomain)
    if (bounced) return this.bounce(bounced, mail)
    const token = replyTokenIn(mail.recipients, this.ports.inboundDomain)
    const tokenRow = token ? await replyTokenRow(db, token) : undefined
    const companyId = tokenRow?.company_id ?? null
    if (await inboundSeen(db, companyId, mail.key)) return settled('duplicate', null)

    const verdict = await checkSender(raw, envelope, {
      resolver: this.ports.resolver,
      mta: this.ports.inboundDomain,
    })
    const record: RecordFn = (outcome, fields = {}) =>
      recordInbound(db, {
        id: newId(),
        company_id: companyId,
        message_key: mail.key,
        received_at: nowIso(this.ports.clock),
        from_address: mail.fromAddress.slice(0, 320),
        subject: mail.subject.slice(0, 1000),
        user_id: tokenRow?.user_id ?? null,
        thread_id: tokenRow?.thread_id ?? null,
        outcome,
        reason: null,
        message_id: null,
        auth: JSON.stringify(verdict),
        raw: null,
        ...fields,
      })
    return this.decide(raw, mail, { tokenRow, verdict, record, release: false })
  }

  /**
   * Staff looked at a held reply and post it after all: it goes through every rule a reply
   * goes through (the person may have lost access since), all but the sender checks.
   */
  async release(caller: Caller, heldId: string): Promise<InboundResult> {
    const held = await this.heldFor(caller, heldId)
    const mail = await readMail(held.raw!, {})
    const tokenRow = await firstWhere(this.ports.db, 'reply_tokens', {
      user_id: held.user_id!,
      thread_id: held.thread_id!,
    })
    const record: RecordFn = async (outcome, fields = {}) => {
      // A release never holds again: the sender checks are what staff just overruled.
      if (outcome === 'held') throw new Error('a released reply cannot be held again')
      await settleHeld(this.ports.db, held.id, outcome, {
        messageId: fields.message_id ?? null,
        reason: fields.reason ?? null,
      })
      return true
    }
    return this.decide(held.raw!, mail, {
      tokenRow,
      verdict: SenderVerdict.parse(JSON.parse(held.auth)),
      record,
      release: true,
    })
  }

  /** Staff decided a held reply is not from who it says: it is dropped, and its text with it. */
  async discard(caller: Caller, heldId: string): Promise<void> {
    const held = await this.heldFor(caller, heldId)
    await settleHeld(this.ports.db, held.id, 'discarded', {})
  }

  /** The replies held for review in threads the caller may see, oldest first. */
  async held(caller: Caller): Promise<HeldReply[]> {
    if (!isStaff(caller)) throw forbidden('Only staff review held replies.')
    const out: HeldReply[] = []
    for (const row of await heldMail(this.ports.db, caller.companyId)) {
      if (
        !row.thread_id ||
        !(await lookUpForCaller(this.ports.db, caller, {
          kind: 'conversation',
          id: row.thread_id,
          in: 'sight',
        }))
      )
        continue
      const mail = await readMail(row.raw!, {})
      out.push({
        id: row.id,
        receivedAt: row.received_at,
        from: row.from_address,
        subject: row.subject,
        threadId: row.thread_id,
        personId: row.user_id,
        reason: row.reason ?? '',
        text: replyText(mail.text),
        files: mail.attachments.map((a) => a.filename),
      })
    }
    return out
  }

  private async heldFor(caller: Caller, heldId: string): Promise<InboundMailRow> {
    if (!isStaff(caller)) throw forbidden('Only staff review held replies.')
    const row = await firstWhere(this.ports.db, 'inbound_mail', { id: heldId })
    const visible =
      row?.company_id === caller.companyId &&
      row.outcome === 'held' &&
      row.thread_id !== null &&
      row.raw !== null &&
      (await lookUpForCaller(this.ports.db, caller, {
        kind: 'conversation',
        id: row.thread_id,
        in: 'sight',
      }))
    if (!row || !visible) throw notFound('The held reply')
    return row
  }

  /** What becomes of a mail to one of our reply addresses: every rule, in the order a person meets them. */
  private async decide(
    raw: Buffer,
    mail: ReceivedMail,
    d: {
      tokenRow: ReplyTokenRow | undefined
      verdict: SenderVerdict
      record: RecordFn
      release: boolean
    },
  ): Promise<InboundResult> {
    const { db } = this.ports
    const { tokenRow, verdict, record } = d
    const ignored = async (reason: string) => {
      if (!(await record('ignored', { reason }))) return settled('duplicate', null)
      return settled('ignored', reason)
    }

    // No answer to a robot, and none to an address that is not one of ours: either could be a
    // loop or a forged sender, and a reply would be mail to someone who never wrote.
    if (mail.automated) return ignored(`Not posted: ${mail.automated}.`)
    if (!tokenRow) return ignored('Not posted: sent to no reply address of this portal.')

    const owner = await firstWhere(db, 'users', { id: tokenRow.user_id })
    const thread = await firstWhere(db, 'threads', { id: tokenRow.thread_id })
    if (!owner || !thread) return ignored('Not posted: the conversation no longer exists.')
    const text = replyText(mail.text)

    const refuse = (reason: string, to: UserRow = owner) =>
      this.refuse({ record, to, thread, reason, text, mail })

    if (tokenRow.revoked_at !== null)
      return refuse(
        'This reply address no longer takes replies, because your portal access was turned off after it was sent. Ask your builder to turn it on again; new notification mails will then carry an address that works.',
      )
    const sender = mail.fromAddress.trim().toLowerCase()
    if (sender !== owner.email.toLowerCase()) {
      const someone = await personByEmail(db, sender)
      const other = someone?.company_id === owner.company_id ? someone : undefined
      // Someone of the company used another person's reply address (a forwarded mail): they are
      // told at their own address. A stranger is not answered at all; the owner hears of it.
      if (other)
        return refuse(
          `You replied to a notification that was sent to ${owner.name}, so it was not posted as yours. Reply to your own notification mail, or write in the portal.`,
          other,
        )
      return refuse(
        `A reply to this conversation came from ${mail.fromAddress || 'an unknown address'}, which is not the email address we have for you (${owner.email}), so it was not posted. If it was you, reply from ${owner.email}, or ask your builder to change the address on file.`,
      )
    }
    if (!d.release && heldForReview(verdict)) {
      const reason = `Held for review: the sender checks of ${sender.split('@')[1] ?? 'the sender'} failed (DMARC ${verdict.dmarc}), so this may not be from ${owner.name}.`
      if (!(await record('held', { reason, raw }))) return settled('duplicate', null)
      return settled('held', reason, thread.id)
    }
    if (thread.status === 'closed')
      return refuse(
        isStaff(owner)
          ? `"${thread.subject}" is closed, so replies by email are not posted to it. Reopen it in Portal Inbox to carry on.`
          : `"${thread.subject}" is closed, so replies by email are not posted to it. To carry on, start a new conversation in your portal: ${this.ports.links.portalThread(thread.id)}`,
      )

    const caller = callerFromRow(owner)
    try {
      assertPortalAccess(owner)
      const draft: Draft = {
        clientId: clientIdFor(mail.key),
        body: text,
        internal: false,
        urgent: false,
        attachmentIds: await this.upload(caller, thread, mail),
      }
      await this.ports.takeWrite(caller, 'message')
      const sent = await this.ports.messaging.reply(caller, thread.id, draft)
      const messageId = sent.result.message.id
      if (!(await record('posted', { message_id: messageId }))) return settled('duplicate', null)
      return { ...settled('posted', null, thread.id, messageId), changed: sent.changed }
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return refuse(refusalWords(err, thread))
    }
  }

  /**
   * A delivery report for a mail we sent: the delivery log says the address did not take it,
   * with the receiving server's words. Never answered, never posted.
   */
  private async bounce(mailId: string, mail: ReceivedMail): Promise<InboundResult> {
    const { db, clock } = this.ports
    if (!(await mailExists(db, mailId))) return settled('ignored', 'Not a mail this portal sent.')
    const reason = bounceReason(mail)
    await markMailBounced(db, mailId, nowIso(clock), reason)
    return settled('ignored', `A delivery report: ${reason}`)
  }

  /** The mail's files, through the same type, size and storage checks as an upload in the portal. */
  private async upload(caller: Caller, thread: ThreadRow, mail: ReceivedMail): Promise<string[]> {
    const ids: string[] = []
    for (const [i, file] of mail.attachments.entries()) {
      await this.ports.takeWrite(caller, 'upload')
      const { attachment } = await this.ports.attachments.upload(
        caller,
        thread.project_id,
        clientIdFor(`${mail.key}:${i}`),
        {
          filename: file.filename,
          stream: Readable.from([file.content]),
          declaredBytes: file.content.length,
        },
      )
      ids.push(attachment.id)
    }
    return ids
  }

  /**
   * Not posted: recorded, and the person told at their own address, with what they wrote, once
   * an hour per thread at most (a sender retrying, or a loop we did not see, is told once).
   */
  private async refuse(r: {
    record: RecordFn
    to: UserRow
    thread: ThreadRow
    reason: string
    text: string
    mail: ReceivedMail
  }): Promise<InboundResult> {
    const { db, clock, mail: queue, links } = this.ports
    const { to, thread, reason, text } = r
    if (!(await r.record('refused', { reason }))) return settled('duplicate', null)
    const since = isoIn(clock, -REFUSAL_GAP_MS)
    const kind = 'reply-refused'
    if (await mailedSince(db, { threadId: thread.id, kind, to: to.email, since }))
      return settled('refused', reason, thread.id)
    await db.transaction().execute((trx) =>
      queue.enqueue(trx, {
        companyId: to.company_id,
        kind,
        threadId: thread.id,
        to: to.email,
        subject: `Your reply was not posted: ${thread.subject}`,
        text: [
          `Hello ${to.name},`,
          '',
          `Your email reply to "${thread.subject}" was not posted.`,
          '',
          reason,
          '',
          ...(text.trim()
            ? [
                'What you wrote, so nothing is lost:',
                '',
                ...text.split('\n').map((l) => `    ${l}`),
                '',
              ]
            : []),
          isStaff(to)
            ? `The conversation in Portal Inbox: ${links.staffThread(thread.id)}`
            : `The conversation in your portal: ${links.portalThread(thread.id)}`,
        ].join('\n'),
      }),
    )
    const changed = new Changed(to.company_id)
    changed.mail = true
    return { ...settled('refused', reason, thread.id), changed }
  }
}

function settled(
  outcome: InboundResult['outcome'],
  reason: string | null,
  threadId: string | null = null,
  messageId: string | null = null,
): InboundResult {
  return { outcome, reason, threadId, messageId, changed: null }
}

/**
 * The client id of the message a mail becomes: the same mail delivered twice (a provider's
 * retry, the SMTP listener and the webhook both) is the same write, which messaging answers
 * once. A UUID (version 8, "custom") made from the mail's key.
 */
export function clientIdFor(key: string): string {
  const hex = sha256(key)
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The portal's words where they fit a mail; where they speak of a form, words for a mail. */
function refusalWords(err: AppError, thread: ThreadRow): string {
  if (err.code === 'NOT_FOUND')
    return `You are no longer part of "${thread.subject}", so your reply was not posted. Ask your builder to add you to the conversation again.`
  if (err.message === 'Type a message or attach a file before sending.')
    return 'Your reply had no words of its own above the quoted mail, and no files, so there was nothing to post. Write your answer at the top of the reply.'
  return err.message
}

/** The receiving server's own words from a delivery report (RFC 3464), or a plain fallback. */
function bounceReason(mail: ReceivedMail): string {
  const report = mail.deliveryStatus ?? mail.text
  const field = (name: string) =>
    new RegExp(`^${name}:\\s*(?:smtp;\\s*)?(.+)$`, 'im').exec(report)?.[1]?.trim()
  return (
    field('Diagnostic-Code') ??
    (field('Status') ? `status ${field('Status')}` : null) ??
    'The receiving mail server sent the mail back.'
  ).slice(0, 500)
}
