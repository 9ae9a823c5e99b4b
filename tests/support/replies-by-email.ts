import { generateKeyPairSync, randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { Api } from './api'
import { startDnsZone } from './dns-zone'
import { MailSink, type ReceivedMail } from './mail'
import { freePort } from './server'

/**
 * The world a reply by email travels through, for the suites that need one: an SMTP receiver
 * for the server's mail, a real DNS server on loopback publishing demo.test's SPF (loopback not
 * allowed), DKIM key and DMARC policy (reject), a free port for the server's SMTP listener, the
 * environment that turns replies by email on, and mail as the customer's mail system writes it.
 */
export const INBOUND = 'replies.harbor.test'
export const INBOUND_SECRET = 'inbound-secret-for-the-webhook-0123456789'
export const CARLA = 'customer@demo.test'

export async function mailWorld() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const dkimKey = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const dns = await startDnsZone({
    // Loopback is not an allowed sender of demo.test: DMARC passes only on the DKIM signature.
    'demo.test': ['v=spf1 ip4:10.9.9.9 -all'],
    's1._domainkey.demo.test': [
      `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
    ],
    '_dmarc.demo.test': ['v=DMARC1; p=reject'],
  })
  const sink = await new MailSink().listen()
  const inboundPort = await freePort()
  const dkim = { domainName: 'demo.test', keySelector: 's1', privateKey: dkimKey }
  /** A person's mail client: submits to the portal's SMTP listener, signing as demo.test. */
  const mailClient = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inboundPort,
    secure: false,
    ignoreTLS: true,
    dkim,
  })
  return {
    sink,
    mailClient,
    env: {
      PORTAL_SMTP_URL: sink.url,
      PORTAL_PUBLIC_URL: 'https://portal.harbor.test',
      PORTAL_INBOUND_DOMAIN: INBOUND,
      PORTAL_INBOUND_SMTP_PORT: String(inboundPort),
      PORTAL_INBOUND_SECRET: INBOUND_SECRET,
      PORTAL_DNS_SERVERS: dns.address,
    },
    /** The same mail as raw MIME for the webhook: unsigned, or signed as demo.test signs. */
    async rawMail(mail: Mail.Options, signed = false): Promise<Buffer> {
      const stream = nodemailer.createTransport({
        streamTransport: true,
        buffer: true,
        ...(signed && { dkim }),
      })
      return (await stream.sendMail(mail)).message as Buffer
    },
    async close() {
      mailClient.close()
      await sink.close()
      await dns.close()
    },
  }
}

export const replyAddress = (m: ReceivedMail) => m.parsed.replyTo?.value[0]?.address ?? ''

/** Answers a notification as Gmail writes a reply: the new words, then the quoted mail. */
export function gmailReply(to: ReceivedMail, words: string, more: Mail.Options = {}): Mail.Options {
  return {
    from: `Carla Mendes <${CARLA}>`,
    to: replyAddress(to),
    subject: `Re: ${to.subject}`,
    messageId: `<${randomUUID()}@mail.demo.test>`,
    inReplyTo: to.parsed.messageId ?? '',
    text: `${words}\n\nOn Mon, Dec 7, 2026 at 10:20 AM Harbor & Pine Builders <${replyAddress(to)}> wrote:\n\n${to.text
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n')}\n`,
    ...more,
  }
}

/** A mail provider's inbound webhook handing over a raw mail. */
export function webhook(server: { url: string }, raw: Buffer, secret = INBOUND_SECRET) {
  return new Api(server.url).request('POST', '/inbound/mail', undefined, {
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${secret}` },
    raw,
  })
}

/** The delivery report a receiving mail server sends back for a mail to `recipient` it refused. */
export const deliveryReport = (to: string, recipient: string) =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.demo.test>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <${randomUUID()}@mx.demo.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'This is the mail system. Your message could not be delivered.',
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.demo.test',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`,
    '',
    '--b1--',
    '',
  ].join('\r\n')
