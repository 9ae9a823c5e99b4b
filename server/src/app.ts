import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { clockFromSpec, type Clock } from '../../src/shared/clock'
import type { ServerConfig } from './config'
import commit from './plugins/app/commit'
import database from './plugins/app/database'
import demo from './plugins/app/demo'
import limits from './plugins/app/limits'
import mail from './plugins/app/mail'
import realtime from './plugins/app/realtime'
import repositories from './plugins/app/repositories'
import scheduler from './plugins/app/scheduler'
import { answerRouterError, registerErrorHandling } from './plugins/errors'
import external from './plugins/external'
import inbound from './plugins/app/inbound'
import { portalPage } from './plugins/portal-page'
import { apiRoutes } from './routes'

export { PORTAL_DIST } from './plugins/portal-page'
export { VERSION } from './plugins/external'

declare module 'fastify' {
  interface FastifyInstance {
    config: ServerConfig
    /** The one source of "now" for every rule that depends on the time. */
    clock: Clock
  }
}

/** A line per request would drown the console at the default level: requests are logged at debug. */
class QuietRequests extends LogController {
  override incomingRequest(): void {}
  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'no such route')
  }
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    }
    if (error) request.log.error({ ...line, err: error }, 'request failed')
    else request.log.debug(line, 'request')
  }
}
/**
 * The portal server as a Fastify plugin tree that does not listen (server.ts and the CLI do):
 * the ecosystem's plugins, then the application's (database, mail, limits, repositories,
 * realtime, the commit helper), the customer portal's page, the API's routes, the demo seed and
 * the schedule, which starts when the app is ready. Closing the app stops the schedule, closes
 * live connections, the mail sender and the database, in that order.
 */
export async function buildApp(config: ServerConfig, clock: Clock = clockFromSpec(config.clock)) {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      hooks: {
        // The CLI prints its own one-line summary with the address; Fastify's line would repeat it.
        logMethod(args, method) {
          if (typeof args[0] === 'string' && args[0].startsWith('Server listening at')) return
          method.apply(this, args)
        },
      },
    },
    logController: new QuietRequests(),
    bodyLimit: 512 * 1024,
    trustProxy: false,
    // Clients send client ids for retries; the request id names a failure in logs and in the error message.
    genReqId: () => crypto.randomUUID(),
    frameworkErrors: answerRouterError,
    // Starting migrates the database and may seed the demo company (password hashing): on a busy
    // machine that outlasts Fastify's 10 s per plugin, and a slow start is not a failed one.
    pluginTimeout: 0,
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // The API speaks JSON (and multipart for uploads) only. Fastify's built-in text/plain parser
  // would hand a JSON route a string, answered as a confusing validation error instead of 415.
  app.removeContentTypeParser('text/plain')
  app.decorate('config', config)
  app.decorate('clock', clock)
  const portal = await portalPage()
  registerErrorHandling(app, portal.fallback)

  await app.register(external)
  await app.register(database)
  await app.register(mail)
  await app.register(limits)
  await app.register(repositories)
  await app.register(realtime)
  await app.register(commit)
  await app.register(inbound)
  await app.register(portal.plugin)
  await app.register(apiRoutes, { prefix: '/api/v1' })
  await app.register(demo)
  await app.register(scheduler)
  return app
}

export type PortalApp = Awaited<ReturnType<typeof buildApp>>
