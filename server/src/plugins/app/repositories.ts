import fp from 'fastify-plugin'
import { AttachmentStore } from '../../repositories/attachments'
import { DirectoryRepository } from '../../repositories/directory'
import { InvitationRepository } from '../../repositories/invitations'
import { LiveRepository } from '../../repositories/live'
import { SessionRepository } from '../../repositories/sessions'
import { ThreadRepository } from '../../repositories/threads'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionRepository
    threads: ThreadRepository
    directory: DirectoryRepository
    invitations: InvitationRepository
    attachments: AttachmentStore
    /** What live delivery reads: rooms, memberships and the entities a push carries. */
    live: LiveRepository
  }
}

/** The repositories the routes act through, over the one database. */
export default fp(
  async (app) => {
    const { db, clock, config, mailQueue, links } = app
    const attachments = new AttachmentStore(db, config.dataDir, clock)
    await attachments.init()
    const threads = new ThreadRepository(db, mailQueue, clock)
    const directory = new DirectoryRepository(db, mailQueue, links, clock)
    app.decorate('sessions', new SessionRepository(db, config.sessionDays, clock))
    app.decorate('threads', threads)
    app.decorate('directory', directory)
    app.decorate('invitations', new InvitationRepository(db, threads, directory, mailQueue, links))
    app.decorate('attachments', attachments)
    app.decorate('live', new LiveRepository(db))
  },
  { name: 'repositories', dependencies: ['database', 'mail'] },
)
