import { messagePreview } from '../../../src/shared/preview'
import type { PortalDb } from '../db/handle'
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc.js'
import timezone from 'dayjs/plugin/timezone.js'
import type { CompanySettings } from '../../../src/shared/protocol'
import type { ProjectRow, ThreadRow, UserRow } from '../db/schema'
import type { CompanyContext } from '../repositories/companies'
import { insertMail, mailedSince } from '../repositories/mail-outbox'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import { newId } from '../util'
import { callUs } from '../../../src/shared/contact'
import { replyTokenFor } from '../repositories/reply-tokens'
import { issueUnsubscribeToken } from '../repositories/portal-links'
import { queueUrgentAlert } from './urgent'
import { mailPriority, type MailItem, type MailKind } from './mail-item'
import { replyAddress } from './inbound/reply-address'
import { laidOut } from './mail-layout'
import { newMessageAudience, newMessageMail } from './recipients'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Mail is queued inside the transaction of the change that causes it. */
type Trx = PortalDb

/**
 * Where links in emails point. The customer portal serves /portal/…; a staff member's link goes to
 * /portal/open/<id>, an https page that opens the thread in the desktop app where it is installed
 * and offers it in the browser otherwise (a bare portal-inbox:// link does nothing in a mail app
 * on a phone or a computer without the app).
 */
export interface MailLinks {
  portalThread(threadId: string): string
  setPassword(token: string): string
  /** The same page as setPassword; once the password is set, it opens the thread. */
  threadInvitation(token: string, threadId: string): string
  /** The same page as setPassword, in the words of a reset. */
  resetPassword(token: string): string
  portalSettings(): string
  staffThread(threadId: string): string
  /** A file of a thread: the portal opens the conversation and downloads it once signed in. */
  portalFile(threadId: string, attachmentId: string): string
  /** The same for staff, through the page that opens the desktop app. */
  staffFile(threadId: string, attachmentId: string): string
  // issue 14: portal links
  /** The one-click unsubscribe a mail client POSTs to (RFC 8058), under /api/v1. */
  unsubscribe(token: string): string
  /** A one-time sign-in link: the portal signs the person in, then opens where it was asked from. */
  signIn(token: string, where: SignInDestination): string
}

/** Where a sign-in link goes once it has signed the person in: a conversation and its file, or home. */
export interface SignInDestination {
  threadId?: string
  fileId?: string
}

export interface NewMessageMail {
  company: CompanyContext
  project: ProjectRow
  thread: ThreadRow
  message: {
    id: string
    body: string
    internal: boolean
    urgent: boolean
    createdAt: string
    attachmentNames: string[]
    attachments: { id: string; name: string }[]
  }
  author: UserRow
  isNewThread: boolean
}

/** The domains mail is written with. */
export interface MailAddressing {
  /** The right-hand side of Message-IDs and of the thread references that group a thread's mails. */
  threadDomain: string
  /** Where replies by email are received (PORTAL_INBOUND_DOMAIN); null when they are off. */
  inboundDomain: string | null
}

/** Mail the software writes by itself: what an out-of-office or another robot must not answer. */
const autoSubmitted = (kind: MailKind) =>
  kind === 'auto-reply' ? 'auto-replied' : 'auto-generated'

/** How long after one auto-reply in a thread the next one waits, so a chatty customer gets one, not ten. */
const AUTO_REPLY_GAP_MS = 12 * 3600_000

/**
 * Mail is written to an outbox table in the same transaction as the change that causes it, so a
 * crash can neither send mail about a message that was rolled back nor lose mail about one that
 * was committed. The MailSender delivers the rows.
 */
export class MailQueue {
  constructor(
    private readonly links: MailLinks,
    private readonly clock: Clock,
    private readonly addressing: MailAddressing = {
      threadDomain: 'portal-inbox',
      inboundDomain: null,
    },
  ) {}

  /** Whether notification mail invites a reply by email. */
  get repliesByEmail(): boolean {
    return this.addressing.inboundDomain !== null
  }

  async enqueue(trx: Trx, item: MailItem): Promise<void> {
    const now = nowIso(this.clock)
    const { threadDomain, inboundDomain } = this.addressing
    const thread = item.threadId ? `<thread.${item.threadId}@${threadDomain}>` : null
    const replyTo =
      inboundDomain && item.threadId && item.recipientId
        ? replyAddress(
            await replyTokenFor(
              trx,
              { companyId: item.companyId, userId: item.recipientId, threadId: item.threadId },
              now,
            ),
            inboundDomain,
          )
        : null
    const headers: Record<string, string> = {
      'Auto-Submitted': autoSubmitted(item.kind),
      // Exchange's and Outlook's own out-of-office replies look at this one, not Auto-Submitted.
      'X-Auto-Response-Suppress': 'All',
      // Every mail about a thread refers to the same thread id, so mail clients group them.
      ...(thread && { 'In-Reply-To': thread, References: thread }),
      ...(await this.unsubscribeHeaders(trx, item, now)),
    }
    await insertMail(trx, {
      id: newId(),
      company_id: item.companyId,
      kind: item.kind,
      thread_id: item.threadId ?? null,
      to_address: item.to,
      subject: item.subject,
      text: item.text,
      created_at: now,
      attempts: 0,
      next_attempt_at: item.dueAt ?? now,
      sent_at: null,
      last_error: null,
      priority: mailPriority(item.kind),
      message_count: 1,
      reply_to: replyTo,
      headers: JSON.stringify(headers),
      layout: item.layout ? JSON.stringify(item.layout) : null,
      bounced_at: null,
      bounce_reason: null,
    })
  }

  /**
   * A customer's or subcontractor's message alert can be turned off from the mail client itself
   * (RFC 8058): the client POSTs to the link, no session needed, since all it can do is stop
   * these alerts. A new token per mail, so one forwarded mail names only itself.
   */
  private async unsubscribeHeaders(
    trx: Trx,
    item: MailItem,
    now: string,
  ): Promise<Record<string, string>> {
    if (item.kind !== 'new-message' || !item.recipientId) return {}
    const token = await issueUnsubscribeToken(trx, item.recipientId, now)
    return {
      'List-Unsubscribe': `<${this.links.unsubscribe(token)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    }
  }

  /**
   * Queues the mail a new message causes. Says whether anything was queued, and the auto-reply's
   * text when one went to the author, so the page can show it beside the sent message.
   */
  async forNewMessage(
    trx: Trx,
    m: NewMessageMail,
  ): Promise<{ queued: boolean; autoReply: string | null }> {
    const { company, thread, message, author, project } = m
    const companyName = company.row.name
    const fromStaff = author.role === 'admin' || author.role === 'staff'
    const audience = await newMessageAudience(trx, thread, { authorId: author.id, fromStaff })
    let queued = 0
    const excerpt = messagePreview(message.body, message.attachmentNames, { max: 600 })
    const replyAbove = this.repliesByEmail
    const callUsNote = `For urgent matters, please ${callUs(company.settings)}.`

    if (fromStaff) {
      // newMessageMail says no to every customer for an internal note.
      for (const { person } of audience) {
        if (!newMessageMail(person, message).on) continue
        const link = this.links.portalThread(thread.id)
        await this.enqueue(trx, {
          companyId: company.row.id,
          kind: 'new-message',
          threadId: thread.id,
          recipientId: person.id,
          to: person.email,
          subject: `New message from ${companyName}: ${thread.subject}`,
          ...laidOut({
            preview: excerpt.slice(0, 140),
            greeting: `Hello ${person.name},`,
            paragraphs: [
              `${author.name} from ${companyName} wrote in "${thread.subject}" (${project.name}):`,
            ],
            quote: excerpt,
            attachments: this.files(message.attachments, (id) =>
              this.links.portalFile(thread.id, id),
            ),
            button: { label: 'Read and reply in your portal', url: link },
            notes: [
              ...(replyAbove
                ? ['You can also reply to this email: your answer is posted in the conversation.']
                : []),
              callUsNote,
              `You receive this email because message alerts are on. Turn them off in your portal settings: ${this.links.portalSettings()}`,
            ],
            replyAbove,
          }),
        })
        queued++
      }
      return { queued: queued > 0, autoReply: null }
    }

    // A customer or subcontractor wrote: staff who follow the thread hear about it.
    for (const { person } of audience) {
      const verdict = newMessageMail(person, message)
      if (!verdict.on) continue
      const urgent = verdict.kind === 'urgent'
      const link = this.links.staffThread(thread.id)
      const alert: MailItem & { threadId: string } = {
        companyId: company.row.id,
        kind: urgent ? 'urgent' : 'customer-message',
        threadId: thread.id,
        recipientId: person.id,
        to: person.email,
        subject: `${urgent ? 'URGENT: ' : ''}${author.name} (${project.name}): ${thread.subject}`,
        ...laidOut({
          preview: excerpt.slice(0, 140),
          greeting: null,
          paragraphs: [
            `${author.name} ${m.isNewThread ? 'started a conversation' : 'wrote'} in "${thread.subject}" on ${project.name}${urgent ? ' and it is marked urgent' : ''}:`,
          ],
          quote: excerpt,
          attachments: this.files(message.attachments, (id) => this.links.staffFile(thread.id, id)),
          button: { label: 'Open it in Portal Inbox', url: link },
          notes: replyAbove
            ? [
                `Reply to this email to answer ${author.name} in the thread: your reply is sent to them.`,
              ]
            : [],
          replyAbove,
        }),
      }
      if (urgent)
        await queueUrgentAlert(trx, (item) => this.enqueue(trx, item), this.clock, {
          alert,
          threadSubject: thread.subject,
          projectName: project.name,
          authorName: author.name,
          excerpt: indent(excerpt),
          link,
        })
      else await this.enqueue(trx, alert)
      queued++
    }

    if (await this.shouldAutoReply(trx, company.settings, m)) {
      await this.enqueue(trx, {
        companyId: company.row.id,
        kind: 'auto-reply',
        threadId: thread.id,
        recipientId: author.id,
        to: author.email,
        subject: `We received your message: ${thread.subject}`,
        ...laidOut({
          preview: company.settings.autoReply.text.slice(0, 140),
          greeting: `Hello ${author.name},`,
          paragraphs: [company.settings.autoReply.text, company.settings.expectedResponseTime],
          quote: null,
          attachments: [],
          button: { label: 'Your conversation', url: this.links.portalThread(thread.id) },
          notes: [callUsNote],
          replyAbove: false,
        }),
      })
      return { queued: true, autoReply: company.settings.autoReply.text }
    }
    return { queued: queued > 0, autoReply: null }
  }

  /** A message's files as links for the mail, by the page they open on. */
  private files(attachments: { id: string; name: string }[], url: (id: string) => string) {
    return attachments.map((a) => ({ name: a.name, url: url(a.id) }))
  }

  private async shouldAutoReply(
    trx: Trx,
    settings: CompanySettings,
    m: NewMessageMail,
  ): Promise<boolean> {
    const auto = settings.autoReply
    if (!auto.enabled || !auto.text.trim() || !m.author.portal_access) return false
    if (auto.when === 'first-message' && !m.isNewThread) return false
    if (
      auto.when === 'outside-business-hours' &&
      withinBusinessHours(settings, new Date(m.message.createdAt))
    )
      return false
    const since = isoIn(this.clock, -AUTO_REPLY_GAP_MS)
    const kind = 'auto-reply'
    return !(await mailedSince(trx, { threadId: m.thread.id, kind, to: m.author.email, since }))
  }
}

// One formatter per zone, kept: this runs for every customer message when the auto-reply waits
// for closing time, and dayjs's tz() built its formatting and offset maths anew each time, 5% of
// a message write (scripts/bench.ts, `server.msgs_per_s`).
const zoneFormats = new Map<string, Intl.DateTimeFormat>()
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(zone)
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }
    try {
      format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone })
    } catch {
      // Settings are validated, but a zone the runtime does not know falls back to UTC.
      format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' })
    }
    if (zoneFormats.size < 1000) zoneFormats.set(zone, format)
  }
  return format
}

export function withinBusinessHours(settings: CompanySettings, at: Date): boolean {
  const { timezone: tz, days, start, end } = settings.businessHours
  const parts = zoneFormat(tz).formatToParts(at)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const minutes = Number(part('hour')) * 60 + Number(part('minute'))
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
  return (
    days.includes(weekdays.indexOf(part('weekday'))) &&
    minutes >= toMinutes(start) &&
    minutes < toMinutes(end)
  )
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')
}
