import fs from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { testClock, type TestClock } from './clock'
import type { RunningServer } from './server'

export interface ReceivedMail {
  /** SMTP envelope: who the server actually delivered to, lowercased. */
  envelopeTo: string[]
  envelopeFrom: string
  /** The To: header addresses, lowercased. */
  to: string[]
  subject: string
  text: string
  parsed: ParsedMail
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : []
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()))
}

export function toReceived(
  parsed: ParsedMail,
  envelopeTo: string[],
  envelopeFrom: string,
): ReceivedMail {
  return {
    envelopeTo,
    envelopeFrom,
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    parsed,
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A real SMTP receiver (smtp-server) on 127.0.0.1 that keeps every message it accepts, parsed,
 * in the order the conversations ended. `delayMs` holds each message before accepting it, like a
 * slow relay, so mail queues up in the server's outbox.
 */
export class MailSink {
  readonly received: ReceivedMail[] = []
  port = 0
  private readonly smtp: SMTPServer

  constructor(options: { delayMs?: number } = {}) {
    const received = this.received
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase())
        const from = session.envelope.mailFrom
        const envelopeFrom = from ? from.address.toLowerCase() : ''
        simpleParser(stream).then(
          async (parsed) => {
            if (options.delayMs) await sleep(options.delayMs)
            received.push(toReceived(parsed, envelopeTo, envelopeFrom))
            callback()
          },
          (err: Error) => callback(err),
        )
      },
    })
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.smtp.once('error', reject)
      this.smtp.listen(0, '127.0.0.1', () => resolve())
    })
    this.port = (this.smtp.server.address() as AddressInfo).port
    return this
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`
  }

  /** Polls the received mail until one matches, or fails after `timeoutMs` listing what did arrive. */
  async waitFor(
    predicate: (m: ReceivedMail) => boolean,
    timeoutMs = 10_000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const hit = this.received.find(predicate)
      if (hit) return hit
      if (Date.now() > deadline) {
        const seen = this.received.map((m) => `  ${m.envelopeTo.join(',')}: ${m.subject}`)
        throw new Error(`no matching mail within ${timeoutMs} ms; received:\n${seen.join('\n')}`)
      }
      await sleep(25)
    }
  }

  to(address: string, predicate: (m: ReceivedMail) => boolean = () => true): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address) && predicate(m))
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.smtp.close(() => resolve()))
  }
}

/**
 * Waits until the server's mail outbox holds nothing due on its clock, so "nothing was sent" can
 * be asserted. It reads the server's database (WAL lets a second reader in): the sender
 * delivers by priority, so no mail queued last is sure to arrive last any more. A mail counts as
 * delivered once the receiver accepted it, which is before the server marks it sent.
 */
export async function mailDelivered(
  server: RunningServer,
  clock: TestClock = testClock,
  timeoutMs = 10_000,
): Promise<void> {
  const db = new SQLite(path.join(server.dataDir, 'portal.sqlite'), { readonly: true })
  try {
    const due = db.prepare(
      'SELECT count(*) AS n FROM mail_outbox WHERE sent_at IS NULL AND attempts < 8 AND next_attempt_at <= ?',
    )
    const deadline = Date.now() + timeoutMs
    while ((due.get(clock.iso()) as { n: number }).n > 0) {
      if (Date.now() > deadline) throw new Error('the mail outbox did not empty')
      await sleep(25)
    }
  } finally {
    db.close()
  }
}

/** What a server without an SMTP URL wrote as .eml files (<data>/mail) of one kind, parsed, oldest first. */
export async function emlMails(dataDir: string, kind: string): Promise<ReceivedMail[]> {
  const dir = path.join(dataDir, 'mail')
  const files = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.eml') && f.includes(`-${kind}-`))
    .sort()
  const mails: ReceivedMail[] = []
  for (const file of files)
    mails.push(toReceived(await simpleParser(await fs.readFile(path.join(dir, file))), [], ''))
  return mails
}

/**
 * Waits for the newest .eml mail of `kind` to `to` that matches, as the server writes them
 * without SMTP (the sender writes each soon after it is queued).
 */
export async function waitForEml(
  dataDir: string,
  kind: string,
  to: string,
  predicate: (m: ReceivedMail) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mails = (await emlMails(dataDir, kind)).filter((m) => m.to.includes(to) && predicate(m))
    const newest = mails.at(-1)
    if (newest) return newest
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to} in ${dataDir}/mail`)
    await sleep(25)
  }
}

/** The set-password link in a mail (an invitation or a reset link), and its token. */
export function setPasswordLink(mail: ReceivedMail): { url: URL; token: string } {
  const url = new URL(mail.text.match(/https?:\/\/\S+token=\S+/)?.[0] ?? 'http://no-link.test/')
  const token = url.searchParams.get('token')
  if (!token) throw new Error(`no set-password link in: ${mail.text}`)
  return { url, token }
}
