import fp from 'fastify-plugin'
import { DiskFileStore } from '../../repositories/file-store'
import { SqliteJobs, type Jobs } from '../../repositories/jobs'
import { LiveRepository } from '../../repositories/live'
import { sqliteSearchIndex } from '../../repositories/search'
import { SessionRepository } from '../../repositories/sessions'
import { createDomain, type Domain } from '../../services/index'

declare module 'fastify' {
  // The domain's services (messaging, triage, participants, reads, people, projects…) by name.
  interface FastifyInstance extends Domain {
    sessions: SessionRepository
    /** What live delivery reads: rooms, memberships and the entities a push carries. */
    live: LiveRepository
    /** Scheduled work claimed so each runs once (digests today). */
    jobs: Jobs
  }
}

/**
 * The domain over its storage ports, today's implementations: the one SQLite database, FTS5 for
 * search, the data directory's disk for files, digest claims in SQLite.
 */
export default fp(
  async (app) => {
    const { db, clock, config, mailQueue, links } = app
    const domain = createDomain({
      db,
      search: sqliteSearchIndex,
      files: new DiskFileStore(config.dataDir),
      mail: mailQueue,
      links,
      clock,
    })
    await domain.attachments.init()
    for (const [name, service] of Object.entries(domain)) app.decorate(name, service)
    app.decorate('sessions', new SessionRepository(db, config.sessionDays, clock))
    app.decorate('live', new LiveRepository(db))
    app.decorate('jobs', new SqliteJobs(db))
  },
  { name: 'repositories', dependencies: ['database', 'mail'] },
)
