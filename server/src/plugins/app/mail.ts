import path from 'node:path'
import fp from 'fastify-plugin'
import { listeningUrl } from '../../address'
import { MailQueue, type MailAddressing, type MailLinks } from '../../mail/queue'
import { MailSender } from '../../mail/sender'

declare module 'fastify' {
  interface FastifyInstance {
    /** The portal's addresses that mail links to. */
    links: MailLinks
    /** Puts mail in the outbox, inside the write that causes it. */
    mailQueue: MailQueue
    /** Delivers the outbox; kick() after a commit that queued mail. */
    mailer: MailSender
  }
}

/** Mail out: the links it carries, the outbox and its sender (stopped when the server closes). */
export default fp(
  async (app) => {
    const { config, clock } = app
    // Without a public URL the links name the address this server listens on, known once it listens.
    const base = () => config.publicUrl ?? listeningUrl(app.server, config.host) ?? ''
    const links: MailLinks = {
      portalThread: (id) => `${base()}/portal/threads/${id}`,
      setPassword: (token) => `${base()}/portal/set-password?token=${encodeURIComponent(token)}`,
      threadInvitation: (token, threadId) =>
        `${base()}/portal/set-password?token=${encodeURIComponent(token)}&thread=${threadId}`,
      resetPassword: (token) =>
        `${base()}/portal/set-password?token=${encodeURIComponent(token)}&reset=1`,
      portalSettings: () => `${base()}/portal/settings`,
      staffThread: (id) => `${base()}/portal/open/${id}`,
      portalFile: (threadId, fileId) => `${base()}/portal/threads/${threadId}?file=${fileId}`,
      staffFile: (threadId, fileId) => `${base()}/portal/open/${threadId}?file=${fileId}`,
      // issue 14: portal links
      unsubscribe: (token) => `${base()}/api/v1/unsubscribe/${encodeURIComponent(token)}`,
      signIn: (token, where) =>
        `${base()}/portal/sign-in-link?${new URLSearchParams({
          token,
          ...(where.threadId && { thread: where.threadId }),
          ...(where.fileId && { file: where.fileId }),
        }).toString()}`,
    }
    const addressing: MailAddressing = {
      threadDomain: config.inboundDomain ?? hostOf(config.publicUrl) ?? 'portal-inbox.local',
      inboundDomain: config.inboundDomain ?? null,
    }
    const mailer = new MailSender(app.db, {
      threadDomain: addressing.threadDomain,
      bounceDomain: addressing.inboundDomain,
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      mailDir: path.join(config.dataDir, 'mail'),
      log: app.log,
      clock,
    })
    app.decorate('links', links)
    app.decorate('mailQueue', new MailQueue(links, clock, addressing))
    app.decorate('mailer', mailer)
    app.addHook('onClose', () => mailer.stop())
  },
  { name: 'mail', dependencies: ['database'] },
)

function hostOf(url: string | undefined): string | null {
  return url ? new URL(url).hostname : null
}
