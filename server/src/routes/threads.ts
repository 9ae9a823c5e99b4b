import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  Id,
  InvitationBody,
  InvitationResult,
  MessageDraft,
  MessagePage,
  MessagePageQuery,
  NewThreadBody,
  ParticipantBody,
  PeopleList,
  ProjectList,
  ReadBody,
  ReadResult,
  Thread,
  ThreadList,
  ThreadListQuery,
  ThreadPatch,
  ThreadSummary,
  ThreadWithMessage,
} from '../../../src/shared/protocol'
import { isStaff } from '../domain/caller'
import { errorResponses } from '../responses'

/** What the rules refuse on a write, and the thread or person it names not being there. */
const writeErrors = errorResponses(400, 403, 404)
/** A create with a client id used before for other content. */
const createErrors = errorResponses(400, 403, 404, 409)
const ThreadParams = z.strictObject({ threadId: Id })

/** Threads, messages, participants and read marks. Writes answer 201 when new and 200 for a replayed client id. */
export const threadRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/people',
    { schema: { tags: ['directory'], response: { 200: PeopleList } } },
    async (request) => ({ people: await app.people.people(request.caller) }),
  )
  r.get(
    '/projects',
    { schema: { tags: ['directory'], response: { 200: ProjectList } } },
    async (request) => ({ projects: await app.projects.projects(request.caller) }),
  )

  r.get(
    '/threads',
    {
      schema: {
        tags: ['threads'],
        querystring: ThreadListQuery,
        response: { 200: ThreadList },
      },
    },
    async (request) => app.threads.list(request.caller, request.query),
  )

  r.post(
    '/threads',
    {
      config: { writeLimit: 'message' },
      schema: {
        tags: ['threads'],
        body: NewThreadBody,
        response: { 200: ThreadWithMessage, 201: ThreadWithMessage, ...createErrors },
      },
    },
    async (request, reply) => reply.created(app.messaging.create(request.caller, request.body)),
  )

  r.get(
    '/threads/:threadId',
    {
      schema: {
        tags: ['threads'],
        params: ThreadParams,
        response: { 200: ThreadSummary, ...errorResponses(404) },
      },
    },
    async (request) => app.threads.get(request.caller, request.params.threadId),
  )

  r.patch(
    '/threads/:threadId',
    {
      schema: {
        tags: ['threads'],
        params: ThreadParams,
        body: ThreadPatch,
        response: { 200: Thread, ...writeErrors },
      },
    },
    async (request) =>
      app.commit(app.triage.update(request.caller, request.params.threadId, request.body)),
  )

  r.get(
    '/threads/:threadId/messages',
    {
      schema: {
        tags: ['threads'],
        params: ThreadParams,
        querystring: MessagePageQuery,
        response: { 200: MessagePage, ...errorResponses(404) },
      },
    },
    async (request) => app.threads.messages(request.caller, request.params.threadId, request.query),
  )

  r.post(
    '/threads/:threadId/messages',
    {
      config: { writeLimit: 'message' },
      schema: {
        tags: ['threads'],
        params: ThreadParams,
        body: MessageDraft,
        response: { 200: ThreadWithMessage, 201: ThreadWithMessage, ...createErrors },
      },
    },
    async (request, reply) =>
      reply.created(app.messaging.reply(request.caller, request.params.threadId, request.body)),
  )

  r.post(
    '/threads/:threadId/participants',
    {
      schema: {
        tags: ['threads'],
        params: ThreadParams,
        body: ParticipantBody,
        response: { 200: Thread, 201: Thread, ...writeErrors },
      },
    },
    async (request, reply) =>
      reply.created(
        app.participants.add(request.caller, request.params.threadId, request.body.userId),
      ),
  )

  r.post(
    '/threads/:threadId/invitations',
    {
      config: { writeLimit: 'invite' },
      schema: {
        tags: ['threads'],
        description:
          'Staff invite someone by email into this thread. An unknown email becomes a person of the company with portal access (a guest, or a trade: a subcontractor) who sees only the threads they are in, and gets a mail with a link that sets a password and opens the thread. An email with an account in the company adds that person as they are (a customer who is no project contact joins as a guest of this thread). 201 when they joined now, 200 when they were in already; either way the mail goes again. An email that cannot be used here is 409 EMAIL_TAKEN, saying nothing of whose it is.',
        params: ThreadParams,
        body: InvitationBody,
        response: {
          200: InvitationResult,
          201: InvitationResult,
          ...errorResponses(400, 403, 404, 409),
        },
      },
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

  r.delete(
    '/threads/:threadId/participants/:userId',
    {
      schema: {
        tags: ['threads'],
        params: z.strictObject({ threadId: Id, userId: Id }),
        response: { 200: Thread, ...writeErrors },
      },
    },
    async (request) =>
      app.commit(
        app.participants.remove(request.caller, request.params.threadId, request.params.userId),
      ),
  )

  r.post(
    '/threads/:threadId/read',
    {
      config: { writeLimit: 'read' },
      schema: {
        tags: ['read state'],
        params: ThreadParams,
        response: { 200: ReadResult, ...errorResponses(404) },
      },
    },
    async (request) => ({
      reads: await app.commit(app.reads.markThreadRead(request.caller, request.params.threadId)),
    }),
  )

  r.post(
    '/reads',
    {
      config: { writeLimit: 'read' },
      schema: { tags: ['read state'], body: ReadBody, response: { 200: ReadResult } },
    },
    async (request) => ({
      reads: await app.commit(app.reads.markRead(request.caller, request.body.messageIds)),
    }),
  )
}
