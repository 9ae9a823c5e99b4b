import type { FastifyPluginAsync } from 'fastify'
import { routes } from '../../../src/shared/protocol/routes'
import { isStaff } from '../domain/caller'
import { route } from './route'

/** What the rules refuse on a write, and the thread or person it names not being there. */
const writeErrors = [400, 403, 404] as const
/** A create with a client id used before for other content. */
const createErrors = [400, 403, 404, 409] as const
/** A write that may make something new: 201 when it did, 200 for a replayed client id. */
const replayable = [200, 201] as const

/** Threads, messages, participants and read marks. Writes answer 201 when new and 200 for a replayed client id. */
export const threadRoutes: FastifyPluginAsync = async (app) => {
  route(app, routes.people, { tags: ['directory'] }, async (request) => ({
    people: await app.people.people(request.caller),
  }))
  route(app, routes.projects, { tags: ['directory'] }, async (request) => ({
    projects: await app.projects.projects(request.caller),
  }))

  route(app, routes.threads, { tags: ['threads'] }, async (request) =>
    app.threads.list(request.caller, request.query),
  )

  route(
    app,
    routes.createThread,
    {
      tags: ['threads'],
      config: { writeLimit: 'message' },
      statuses: replayable,
      errors: createErrors,
    },
    async (request, reply) => reply.created(app.messaging.create(request.caller, request.body)),
  )

  route(app, routes.thread, { tags: ['threads'], errors: [404] }, async (request) =>
    app.threads.get(request.caller, request.params.threadId),
  )

  route(app, routes.updateThread, { tags: ['threads'], errors: writeErrors }, async (request) =>
    app.commit(app.triage.update(request.caller, request.params.threadId, request.body)),
  )

  route(
    app,
    routes.whoIsNotified,
    {
      tags: ['threads'],
      description:
        'Staff: everyone a new message in the thread reaches, each channel (desktop, email, portal) and, when off, why.',
      errors: [403, 404],
    },
    async (request) => app.whoIsNotified.forThread(request.caller, request.params.threadId),
  )

  route(app, routes.messages, { tags: ['threads'], errors: [404] }, async (request) =>
    app.threads.messages(request.caller, request.params.threadId, request.query),
  )

  route(
    app,
    routes.reply,
    {
      tags: ['threads'],
      config: { writeLimit: 'message' },
      statuses: replayable,
      errors: createErrors,
    },
    async (request, reply) =>
      reply.created(app.messaging.reply(request.caller, request.params.threadId, request.body)),
  )

  route(
    app,
    routes.addParticipant,
    { tags: ['threads'], statuses: replayable, errors: writeErrors },
    async (request, reply) =>
      reply.created(
        app.participants.add(request.caller, request.params.threadId, request.body.userId),
      ),
  )

  route(
    app,
    routes.inviteToThread,
    {
      tags: ['threads'],
      config: { writeLimit: 'invite' },
      description:
        'Staff invite someone by email into this thread. An unknown email becomes a person of the company with portal access (a guest, or a trade: a subcontractor) who sees only the threads they are in, and gets a mail with a link that sets a password and opens the thread. An email with an account in the company adds that person as they are (a customer who is no project contact joins as a guest of this thread). 201 when they joined now, 200 when they were in already; either way the mail goes again. An email that cannot be used here is 409 EMAIL_TAKEN, saying nothing of whose it is.',
      statuses: replayable,
      errors: createErrors,
    },
    async (request, reply) => {
      const { caller, body } = request
      const limiter = app.writeLimiter
      // Only staff's invitations are counted, so only they are told an address has had enough.
      if (isStaff(caller)) await limiter?.mayMailInvitation(caller, body.email)
      const written = await app.invitations.invite(caller, request.params.threadId, body)
      if (written.result.mailed !== 'nothing') await limiter?.invitationMailed(caller, body.email)
      return reply.created(written)
    },
  )

  route(
    app,
    routes.removeParticipant,
    { tags: ['threads'], errors: writeErrors },
    async (request) =>
      app.commit(
        app.participants.remove(request.caller, request.params.threadId, request.params.userId),
      ),
  )

  route(
    app,
    routes.markThreadRead,
    { tags: ['read state'], config: { writeLimit: 'read' }, errors: [404] },
    async (request) => ({
      reads: await app.commit(app.reads.markThreadRead(request.caller, request.params.threadId)),
    }),
  )

  route(
    app,
    routes.markRead,
    { tags: ['read state'], config: { writeLimit: 'read' } },
    async (request) => ({
      reads: await app.commit(app.reads.markRead(request.caller, request.body.messageIds)),
    }),
  )
}
