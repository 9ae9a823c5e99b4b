import fp from 'fastify-plugin'
import { readMail } from '../../mail/inbound/read-mail'
import { bouncedMailIn, replyTokenIn } from '../../mail/inbound/reply-address'
import { mailExists } from '../../repositories/mail-outbox'
import { resolverAt, type Envelope } from '../../mail/inbound/sender-checks'
import { inboundSmtpListener } from '../../mail/inbound/smtp-listener'
import { replyTokenRow } from '../../repositories/reply-tokens'
import type { Caller } from '../../domain/caller'
import { InboundMailService, type InboundResult } from '../../services/inbound-mail'

export interface InboundMail {
  /** Reads, checks and posts (or refuses) one received mail, then pushes what it changed. */
  receive(raw: Buffer, envelope: Envelope & { recipients?: string[] }): Promise<InboundResult>
  /** The SMTP listener's port once listening, or null when it is off. */
  smtpPort(): number | null
  /** Staff review of replies held because their sender failed DMARC. */
  held: InboundMailService['held']
  release(caller: Caller, heldId: string): Promise<InboundResult>
  discard: InboundMailService['discard']
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Replies by email; null when PORTAL_INBOUND_DOMAIN is not set. */
    inbound: InboundMail | null
  }
}

/**
 * Replies by email: the service, the SMTP listener when --inbound-smtp-port is set (started
 * once the app is ready, stopped when it closes) and, for the webhook route, `app.inbound`.
 */
export default fp(
  async (app) => {
    const { config } = app
    const domain = config.inboundDomain
    if (!domain) {
      app.decorate('inbound', null)
      return
    }
    const service = new InboundMailService({
      db: app.db,
      clock: app.clock,
      mail: app.mailQueue,
      links: app.links,
      messaging: app.messaging,
      attachments: app.attachments,
      takeWrite: async (caller, kind) => app.writeLimiter?.take(caller, kind),
      inboundDomain: domain,
      resolver: config.dnsServers?.length ? resolverAt(config.dnsServers) : undefined,
    })
    let port: number | null = null
    const inbound: InboundMail = {
      async receive(raw, envelope) {
        const mail = await readMail(raw, envelope)
        const result = await service.receive(raw, mail, envelope)
        if (result.changed) await app.commit({ result: null, changed: result.changed })
        app.log.info(
          { outcome: result.outcome, threadId: result.threadId, reason: result.reason },
          'reply by email',
        )
        return result
      },
      smtpPort: () => port,
      held: (caller) => service.held(caller),
      async release(caller, heldId) {
        const result = await service.release(caller, heldId)
        if (result.changed) await app.commit({ result: null, changed: result.changed })
        return result
      },
      discard: (caller, heldId) => service.discard(caller, heldId),
    }
    app.decorate('inbound', inbound)

    if (config.inboundSmtpPort === undefined) return
    const listener = inboundSmtpListener(domain, {
      async accepts(address) {
        const bounced = bouncedMailIn([address], domain)
        if (bounced) return mailExists(app.db, bounced)
        const token = replyTokenIn([address], domain)
        return Boolean(token && (await replyTokenRow(app.db, token)))
      },
      async receive(raw, envelope) {
        await inbound.receive(raw, envelope)
      },
      log: app.log,
    })
    app.addHook('onReady', async () => {
      port = await listener.listen(config.host, config.inboundSmtpPort!)
    })
    app.addHook('onClose', () => listener.close())
  },
  { name: 'inbound', dependencies: ['database', 'mail', 'repositories', 'limits', 'commit'] },
)
