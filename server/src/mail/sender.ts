import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer, { type Transporter } from 'nodemailer'
import addressparser from 'nodemailer/lib/addressparser'
import type { PortalDb } from '../db/handle'
import { backoffMs } from '../../../src/shared/backoff'
import { CoalescedRun } from '../../../src/shared/coalesce'
import { companyName, markMailFailed, markMailSent, nextDueMail } from '../repositories/mail-outbox'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import { bounceAddress } from './inbound/reply-address'
import { MailLayout } from './mail-layout'
import { renderMailHtml } from './templates/thread-mail'

export interface SenderOptions {
  smtpUrl: string | undefined
  from: string
  /** Where .eml files go when there is no SMTP server. */
  mailDir: string
  log: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void }
  clock: Clock
  /** The right-hand side of each mail's Message-ID (see MailAddressing). */
  threadDomain: string
  /**
   * With replies by email on, the inbound domain: each mail's envelope sender is
   * bounces+<mail id>@ it, so a delivery report that comes back names the mail it is about.
   */
  bounceDomain: string | null
}

export const MAX_ATTEMPTS = 8
/** 2 s, 4 s, 8 s, … up to an hour. */
const mailBackoff = { firstMs: 2000, maxMs: 3600_000 }

/**
 * Delivers the mail outbox. With an SMTP URL it talks SMTP (nodemailer); without one each mail is
 * written as an .eml file in the data directory, so a fresh install shows what it would send.
 * A failed delivery is retried with exponential backoff; after MAX_ATTEMPTS it stays in the table
 * with its last error for an admin to look at.
 */
export class MailSender {
  private readonly transport: Transporter
  /** The address mail goes out from; the name shown beside it is the builder's (see deliverDue). */
  private readonly fromAddress: string
  private readonly delivery = new CoalescedRun(
    () => this.deliverDue(),
    () => this.stopped,
  )
  private stopped = false

  constructor(
    private readonly db: PortalDb,
    private readonly options: SenderOptions,
  ) {
    this.fromAddress =
      addressparser(options.from, { flatten: true })[0]?.address ?? 'no-reply@portal-inbox.local'
    this.transport = options.smtpUrl
      ? nodemailer.createTransport(options.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  }

  /** Deliver what is due now; concurrent calls coalesce into one more pass. */
  kick(): Promise<void> {
    return this.delivery.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.delivery.idle
    this.transport.close()
  }

  /**
   * One mail at a time, each time the most important one due (then the oldest): an invitation
   * queued while a hundred alerts wait goes next, not after them. Asking again per mail is one
   * indexed query (mail_outbox_queue) against an SMTP conversation.
   */
  private nextDue() {
    return nextDueMail(this.db, nowIso(this.options.clock), MAX_ATTEMPTS)
  }

  private async deliverDue(): Promise<void> {
    for (let mail = await this.nextDue(); mail; mail = await this.nextDue()) {
      if (this.stopped) return
      try {
        const builder = await companyName(this.db, mail.company_id)
        const layout = mail.layout ? MailLayout.parse(JSON.parse(mail.layout)) : null
        const { bounceDomain } = this.options
        const info = await this.transport.sendMail({
          // Mail speaks in the builder's name: "Harbor & Pine Builders <no-reply@…>", so a
          // customer sees who wrote, not the software.
          from: builder ? { name: builder, address: this.fromAddress } : this.options.from,
          to: mail.to_address,
          subject: mail.subject,
          text: mail.text,
          ...(layout && { html: await renderMailHtml(builder ?? '', layout) }),
          ...(bounceDomain && {
            envelope: { from: bounceAddress(mail.id, bounceDomain), to: mail.to_address },
          }),
          messageId: `<${mail.id}@${this.options.threadDomain}>`,
          ...(mail.reply_to && { replyTo: { name: builder ?? '', address: mail.reply_to } }),
          ...(mail.headers && { headers: JSON.parse(mail.headers) as Record<string, string> }),
        })
        if (!this.options.smtpUrl) {
          await fs.mkdir(this.options.mailDir, { recursive: true })
          const file = path.join(
            this.options.mailDir,
            `${mail.created_at.replace(/[:.]/g, '-')}-${mail.kind}-${mail.id}.eml`,
          )
          await fs.writeFile(file, info.message as Buffer)
        }
        await markMailSent(this.db, mail, nowIso(this.options.clock))
        this.options.log.debug(
          { mailId: mail.id, kind: mail.kind, to: mail.to_address },
          'mail sent',
        )
      } catch (err) {
        const attempts = mail.attempts + 1
        const next = isoIn(this.options.clock, backoffMs(attempts, mailBackoff))
        await markMailFailed(this.db, mail.id, {
          attempts,
          nextAttemptAt: next,
          error: String(err),
        })
        this.options.log.warn(
          { mailId: mail.id, attempts, err: String(err) },
          'mail delivery failed; will retry',
        )
      }
    }
  }
}
