import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Changed } from '../../domain/changed'

/** What a write answers: its result, what it changed, and (for creates) whether it is new. */
export interface CommittedWrite<T> {
  result: T
  changed: Changed
  created?: boolean
}
type CreatingWrite<T> = CommittedWrite<T> & { created: boolean }
/** A write as a route hands it over: done, or still running. */
type Write<W> = W | Promise<W>

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * After a write commits: push what it changed live and wake the mail sender if it queued
     * mail. Answers the write's result, so a route says `app.commit(app.triage.update(…))`.
     */
    commit<T>(write: Write<CommittedWrite<T>>): Promise<T>
  }
  interface FastifyReply {
    /** Commits like app.commit, then answers 201 for a new thing and 200 for a replayed client id. */
    created<T>(write: Write<CreatingWrite<T>>): Promise<FastifyReply>
  }
}

/** The one way a route finishes a write (routes/*): nothing is pushed or mailed before it commits. */
export default fp(
  async (app) => {
    async function commit<T>(write: Write<CommittedWrite<T>>): Promise<T> {
      const written = await write
      await app.realtime.publish(written.changed)
      if (written.changed.mail) void app.mailer.kick()
      return written.result
    }
    async function created<T>(
      this: FastifyReply,
      write: Write<CreatingWrite<T>>,
    ): Promise<FastifyReply> {
      const written = await write
      const result = await commit(written)
      return this.status(written.created ? 201 : 200).send(result)
    }
    app.decorate('commit', commit)
    app.decorateReply('created', created)
  },
  { name: 'commit', dependencies: ['realtime', 'mail'] },
)
