import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Changed } from '../../domain/changed'

/** What a write answers: its result, what it changed, and (for creates) whether it is new. */
export interface CommittedWrite<T> {
  result: T
  changed: Changed
  created?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * After a write commits: push what it changed live and wake the mail sender if it queued
     * mail. Answers the write's result, so a route says `return app.commit(written)`.
     */
    commit<T>(written: CommittedWrite<T>): Promise<T>
  }
  interface FastifyReply {
    /** Commits like app.commit, then answers 201 for a new thing and 200 for a replayed client id. */
    created<T>(written: CommittedWrite<T> & { created: boolean }): Promise<FastifyReply>
  }
}

export default fp(
  async (app) => {
    app.decorate('commit', async function <T>(written: CommittedWrite<T>): Promise<T> {
      await app.realtime.publish(written.changed)
      if (written.changed.mail) void app.mailer.kick()
      return written.result
    })
    app.decorateReply('created', async function <
      T,
    >(this: FastifyReply, written: CommittedWrite<T> & { created: boolean }) {
      const result = await app.commit(written)
      return this.status(written.created ? 201 : 200).send(result)
    })
  },
  { name: 'commit', dependencies: ['realtime', 'mail'] },
)
