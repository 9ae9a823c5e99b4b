import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'
import type { Envelope } from './sender-checks'

/** The largest mail taken: a reply with a few phone photos, and room for MIME's base64. */
export const MOST_MAIL_BYTES = 40 * 1024 * 1024

export interface ListenerHandlers {
  /** Whether mail to this address is taken (one of our reply addresses, even a revoked one). */
  accepts(address: string): Promise<boolean>
  /** Handles a whole mail; resolves once what it caused is stored, so a crash before is retried. */
  receive(raw: Buffer, envelope: Envelope & { recipients: string[] }): Promise<void>
  log: { warn(obj: object, msg: string): void }
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code })

/**
 * The SMTP listener for replies by email (smtp-server), where the inbound domain's MX points.
 * It takes mail for reply addresses only, and refuses the rest at RCPT TO, so the sending
 * server bounces it and this server never mails a stranger. A mail is answered 250 after it is
 * stored, and 451 (try again later) when storing failed, so the sender's queue retries it.
 */
export function inboundSmtpListener(domain: string, handlers: ListenerHandlers) {
  const server = new SMTPServer({
    name: domain,
    banner: 'Portal Inbox: replies by email',
    // An MX takes mail from anyone; who wrote is decided by the reply address and the checks.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MOST_MAIL_BYTES,
    // Mail servers deliver a few at a time; more open at once is a flood, not mail.
    maxClients: 50,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      handlers.accepts(address.address).then(
        (ok) => callback(ok ? undefined : smtpError(550, '5.1.1 No such reply address here')),
        () => callback(smtpError(451, '4.3.0 Please try again later')),
      )
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if ((stream as typeof stream & { sizeExceeded?: boolean }).sizeExceeded) {
          callback(smtpError(552, '5.3.4 The mail is larger than replies by email take'))
          return
        }
        const mailFrom = session.envelope.mailFrom
        handlers
          .receive(Buffer.concat(chunks), {
            remoteAddress: session.remoteAddress,
            helo: session.hostNameAppearsAs,
            mailFrom: mailFrom ? mailFrom.address : '',
            recipients: session.envelope.rcptTo.map((r) => r.address),
          })
          .then(
            () => callback(null, 'Received'),
            (err: unknown) => {
              handlers.log.warn({ err: String(err) }, 'a reply by email could not be stored')
              callback(smtpError(451, '4.3.0 Please try again later'))
            },
          )
      })
    },
  })
  server.on('error', (err) => handlers.log.warn({ err: String(err) }, 'inbound SMTP error'))
  return {
    listen(host: string, port: number): Promise<number> {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject)
        server.listen(port, host, () => {
          server.server.off('error', reject)
          resolve((server.server.address() as AddressInfo).port)
        })
      })
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
