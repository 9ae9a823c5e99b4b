import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  CompanySettings,
  DigestBody,
  DigestResult,
  Id,
  NewPersonBody,
  NewProjectBody,
  PersonPatch,
  PersonResult,
  SessionsEnded,
  ProjectPatch,
  ProjectResult,
  SettingsPatch,
} from '../../../src/shared/protocol'
import { isAdmin } from '../domain/caller'
import { forbidden } from '../errors'
import { queueDigests } from '../mail/digest'
import { loadCompany } from '../repositories/companies'
import { errorResponses } from '../responses'
import { isoIn, nowIso } from '../../../src/shared/clock'

/** Every admin route refuses a caller who is not an admin. */
const adminOnly = errorResponses(403)
/** And the person or project it names may not be in the company. */
const adminEdit = errorResponses(400, 403, 404)

/** Admin → Company Settings → Client Portal, people and project setup. Every route checks the admin role. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  app.addHook('preHandler', async (request) => {
    if (!isAdmin(request.caller))
      throw forbidden('Only admins can change company settings, people and projects.')
  })

  r.get(
    '/settings',
    { schema: { tags: ['admin'], response: { 200: CompanySettings, ...adminOnly } } },
    async (request) => (await loadCompany(app.db, request.caller.companyId)).settings,
  )

  r.patch(
    '/settings',
    {
      schema: {
        tags: ['admin'],
        body: SettingsPatch,
        response: { 200: CompanySettings, ...adminOnly },
      },
    },
    async (request) => app.commit(app.companySettings.updateSettings(request.caller, request.body)),
  )

  r.post(
    '/people',
    {
      schema: {
        tags: ['admin'],
        body: NewPersonBody,
        response: { 201: PersonResult, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        person: await app.commit(app.people.createPerson(request.caller, request.body)),
      }),
  )

  r.patch(
    '/people/:personId',
    {
      schema: {
        tags: ['admin'],
        params: z.strictObject({ personId: Id }),
        body: PersonPatch,
        response: { 200: PersonResult, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => ({
      person: await app.commit(
        app.people.updatePerson(
          request.caller,
          request.params.personId,
          request.body,
          request.token,
        ),
      ),
    }),
  )

  r.post(
    '/people/:personId/sign-out',
    {
      schema: {
        tags: ['admin'],
        description:
          'Signs a person out on every device: all their sessions end and their live connections are closed.',
        params: z.strictObject({ personId: Id }),
        response: { 200: SessionsEnded, ...errorResponses(403, 404) },
      },
    },
    async (request) => ({
      ok: true as const,
      ...(await app.commit(app.people.signOutEverywhere(request.caller, request.params.personId))),
    }),
  )

  r.post(
    '/people/:personId/invitation',
    {
      schema: {
        tags: ['admin'],
        params: z.strictObject({ personId: Id }),
        response: { 200: PersonResult, ...adminEdit },
      },
    },
    async (request) => ({
      person: await app.commit(
        app.people.resendInvitation(request.caller, request.params.personId),
      ),
    }),
  )

  r.post(
    '/projects',
    {
      schema: {
        tags: ['admin'],
        body: NewProjectBody,
        response: { 201: ProjectResult, ...adminEdit },
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        project: await app.commit(app.projects.createProject(request.caller, request.body)),
      }),
  )

  r.patch(
    '/projects/:projectId',
    {
      schema: {
        tags: ['admin'],
        params: z.strictObject({ projectId: Id }),
        body: ProjectPatch,
        response: { 200: ProjectResult, ...adminEdit },
      },
    },
    async (request) => ({
      project: await app.commit(
        app.projects.updateProject(request.caller, request.params.projectId, request.body),
      ),
    }),
  )

  r.post(
    '/digest',
    {
      schema: {
        tags: ['admin'],
        description:
          'Sends the digest of portal activity now, for the period since `since` (default: the last 24 hours).',
        body: DigestBody.optional(),
        response: { 200: DigestResult, ...adminOnly },
      },
    },
    async (request) => {
      const end = nowIso(app.clock)
      const start = request.body?.since ?? isoIn(app.clock, -86_400_000)
      const queued = await queueDigests(
        app.db,
        app.mailQueue,
        app.links,
        request.caller.companyId,
        { start, end },
      )
      await app.mailer.kick()
      return { queued, periodStart: start, periodEnd: end }
    },
  )
}
