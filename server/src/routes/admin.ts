import type { FastifyPluginAsync } from 'fastify'
import { DigestBody, DigestResult } from '../../../src/shared/protocol'
import { routes } from '../../../src/shared/protocol/routes'
import { isAdmin } from '../domain/caller'
import { forbidden } from '../errors'
import { queueDigests } from '../mail/digest'
import { loadCompany } from '../repositories/companies'
import { DigestScheduleService } from '../services/digest-schedule'
import { isoIn, nowIso } from '../../../src/shared/clock'
import { route } from './route'

/** Every admin route refuses a caller who is not an admin. */
const adminOnly = [403] as const
/** And the person or project it names may not be in the company. */
const adminEdit = [400, 403, 404] as const
const tags = ['admin']

/** An admin call no client makes (yet), in the table's form so that it registers like the rest. */
const sendDigest = {
  method: 'POST',
  path: '/admin/digest',
  body: DigestBody.optional(),
  response: DigestResult,
} as const

/**
 * Admin → Company Settings → Client Portal, people and project setup. Every route checks the admin
 * role: the hook is this plugin's, so it guards every route below and no other. The paths carry
 * their /admin themselves, as the shared table writes them.
 */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', async (request) => {
    if (!isAdmin(request.caller))
      throw forbidden('Only admins can change company settings, people and projects.')
  })
  const digest = new DigestScheduleService(app.db, {
    mail: app.mailQueue,
    links: app.links,
    clock: app.clock,
  })

  route(
    app,
    routes.companySettings,
    { tags, errors: adminOnly },
    async (request) => (await loadCompany(app.db, request.caller.companyId)).settings,
  )

  route(app, routes.updateCompanySettings, { tags, errors: adminOnly }, async (request) =>
    app.commit(app.companySettings.updateSettings(request.caller, request.body)),
  )

  route(
    app,
    routes.companyMail,
    {
      tags,
      description:
        'The delivery log of the company’s mail, newest first, or of the mail to one person (personId).',
      errors: [403, 404],
    },
    async (request) => ({
      mail: await app.mailLog.company(request.caller, request.query.limit, request.query.personId),
    }),
  )

  route(
    app,
    routes.createPerson,
    { tags, statuses: [201], errors: [400, 403, 404, 409] },
    async (request, reply) =>
      reply.status(201).send({
        person: await app.commit(app.people.createPerson(request.caller, request.body)),
      }),
  )

  route(app, routes.updatePerson, { tags, errors: [400, 403, 404, 409] }, async (request) => ({
    person: await app.commit(
      app.people.updatePerson(request.caller, request.params.personId, request.body, request.token),
    ),
  }))

  route(
    app,
    routes.signOutPerson,
    {
      tags,
      description:
        'Signs a person out on every device: all their sessions end and their live connections are closed.',
      errors: [403, 404],
    },
    async (request) => ({
      ok: true as const,
      ...(await app.commit(app.people.signOutEverywhere(request.caller, request.params.personId))),
    }),
  )

  route(app, routes.resendInvitation, { tags, errors: adminEdit }, async (request) => ({
    person: await app.commit(app.people.resendInvitation(request.caller, request.params.personId)),
  }))

  route(
    app,
    routes.createProject,
    { tags, statuses: [201], errors: adminEdit },
    async (request, reply) =>
      reply.status(201).send({
        project: await app.commit(app.projects.createProject(request.caller, request.body)),
      }),
  )

  route(app, routes.updateProject, { tags, errors: adminEdit }, async (request) => ({
    project: await app.commit(
      app.projects.updateProject(request.caller, request.params.projectId, request.body),
    ),
  }))

  route(
    app,
    sendDigest,
    {
      tags,
      description:
        'Sends the digest of portal activity now, for the period since `since` (default: the last 24 hours).',
      errors: adminOnly,
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

  route(
    app,
    routes.digestSchedule,
    {
      tags,
      description:
        'When the digest next goes out on the server’s clock, in the company’s time zone, and to how many staff.',
      errors: adminOnly,
    },
    async (request) => digest.schedule(request.caller),
  )

  route(
    app,
    routes.previewDigest,
    {
      tags,
      description:
        'Sends the caller, and nobody else, what the next digest says so far (since the last run). At most 5 an hour.',
      errors: [403, 429],
    },
    async (request) => {
      const sent = await app.commit(digest.preview(request.caller))
      await app.mailer.kick()
      return sent
    },
  )
}
