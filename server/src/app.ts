import fs from 'node:fs/promises'
import path from 'node:path'
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { clockFromSpec, nowDate, type Clock } from '../../src/shared/clock'
import type { ServerConfig } from './config'
import { openDatabase } from './db/database'
import { seedDemo, type DemoLogin } from './demo/seed'
import type { Changed } from './domain/changed'
import { markFirstDigestPeriods, queueDueDigests } from './mail/digest'
import { MailQueue, type MailLinks } from './mail/queue'
import { MailSender } from './mail/sender'
import { SignInLimiter } from './limits/sign-in'
import { SqliteLimitStore } from './limits/sqlite'
import { scaleWriteLimits, WRITE_LIMITS, WriteLimiter } from './limits/writes'
import { requireSession, SESSION_COOKIE } from './plugins/auth'
import { answerRouterError, registerErrorHandling } from './plugins/errors'
import { limitWrites } from './plugins/write-limits'
import { Realtime } from './realtime'
import { DiskFileStore } from './repositories/file-store'
import { SqliteJobs } from './repositories/jobs'
import { sqliteSearchIndex } from './repositories/search'
import { SessionRepository } from './repositories/sessions'
import { createDomain } from './services/index'
import { adminRoutes } from './routes/admin'
import { publicAuthRoutes, sessionRoutes } from './routes/auth'
import { feedRoutes } from './routes/feed'
import { fileRoutes } from './routes/files'
import { metaRoutes } from './routes/meta'
import { threadRoutes } from './routes/threads'
import type { Services } from './services'

export const VERSION = '0.1.0'

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
/** Hard cap for any multipart body; the company's own, smaller limits are enforced while streaming. */
const MULTIPART_CAP = 1024 * 1024 * 1024

export interface PortalServer {
  app: FastifyInstance
  url: string
  demoLogins: DemoLogin[]
  /** Whether the customer portal's page is built (`npm run build`); without it /portal/ says so. */
  portalBuilt: boolean
  close(): Promise<void>
}

/**
 * Builds and starts the portal server: opens (and migrates) the SQLite file in the data
 * directory, seeds the demo company when asked and the data is empty, and listens.
 */
export async function startPortalServer(
  config: ServerConfig,
  clock: Clock = clockFromSpec(config.clock),
): Promise<PortalServer> {
  await fs.mkdir(config.dataDir, { recursive: true })
  const { db, sqlite } = await openDatabase(path.join(config.dataDir, 'portal.sqlite'))
  const limits = new SqliteLimitStore(db, sqlite)
  const jobs = new SqliteJobs(db)

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
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // The API speaks JSON (and multipart for uploads) only. Fastify's built-in text/plain parser
  // would hand a JSON route a string, answered as a confusing validation error instead of 415.
  app.removeContentTypeParser('text/plain')
  const portal = await portalPage()
  registerErrorHandling(app, portal.fallback)

  let baseUrl = config.publicUrl ?? ''
  const links: MailLinks = {
    portalThread: (id) => `${baseUrl}/portal/threads/${id}`,
    setPassword: (token) => `${baseUrl}/portal/set-password?token=${encodeURIComponent(token)}`,
    threadInvitation: (token, threadId) =>
      `${baseUrl}/portal/set-password?token=${encodeURIComponent(token)}&thread=${threadId}`,
    resetPassword: (token) =>
      `${baseUrl}/portal/set-password?token=${encodeURIComponent(token)}&reset=1`,
    portalSettings: () => `${baseUrl}/portal/settings`,
    staffThread: (id) => `${baseUrl}/portal/open/${id}`,
  }
  const mailQueue = new MailQueue(links, clock)
  const mailer = new MailSender(db, {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    mailDir: path.join(config.dataDir, 'mail'),
    log: app.log,
    clock,
  })
  const domain = createDomain({
    db,
    search: sqliteSearchIndex,
    files: new DiskFileStore(config.dataDir),
    mail: mailQueue,
    links,
    clock,
  })
  await domain.attachments.init()
  const sessions = new SessionRepository(db, config.sessionDays, clock)
  const realtime = new Realtime(app.server, db, sessions, app.log, clock)

  const services: Services = {
    ...domain,
    config,
    clock,
    db,
    sessions,
    signInLimiter: new SignInLimiter(limits),
    writeLimiter:
      config.writeLimits === 'off'
        ? null
        : new WriteLimiter(limits, scaleWriteLimits(WRITE_LIMITS, config.writeLimits)),
    realtime,
    mailer,
    mailQueue,
    links,
    async afterCommit(changed: Changed) {
      await realtime.publish(changed)
      if (changed.mail) void mailer.kick()
    },
  }

  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('Referrer-Policy', 'no-referrer')
  })
  await app.register(multipart, {
    limits: { fileSize: MULTIPART_CAP, files: 1, fields: 0, parts: 1, headerPairs: 100 },
    throwFileSizeLimit: true,
  })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Portal Inbox server',
        description: 'The source of truth for portal threads, messages, attachments and people.',
        version: VERSION,
      },
      // Which operations need which, the session plugin states on each (plugins/auth.ts).
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer' },
          portalCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: documentUploads,
  })
  await app.register(cookie)
  await portal.register(app)
  await app.register(
    async (api) => {
      await api.register(async (open) => {
        await metaRoutes(open)
        await publicAuthRoutes(open, services)
      })
      await api.register(async (authed) => {
        requireSession(authed, services)
        limitWrites(authed, services.writeLimiter)
        await sessionRoutes(authed, services)
        await threadRoutes(authed, services)
        await fileRoutes(authed, services)
        await feedRoutes(authed, services)
        await authed.register(async (admin) => adminRoutes(admin, services), { prefix: '/admin' })
      })
    },
    { prefix: '/api/v1' },
  )

  const demoLogins = config.demo ? await seedDemo(db, config.dataDir, clock) : []
  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  if (!baseUrl) baseUrl = url

  // The schedule: digests when their time comes, retries of mail that failed, abandoned uploads.
  const tick = async () => {
    try {
      await queueDueDigests({ db, jobs, queue: mailQueue, links }, nowDate(clock))
      await domain.attachments.removeAbandoned()
      await realtime.recheckSessions()
      await limits.sweep()
      await mailer.kick()
    } catch (err) {
      app.log.warn({ err: String(err) }, 'scheduled work failed; will try again')
    }
  }
  // A company's first period is recorded without sending: a new install does not open with a digest of its import.
  await markFirstDigestPeriods(jobs, nowDate(clock))
  const timer = setInterval(() => void tick(), config.schedulerMs)
  timer.unref()
  void mailer.kick()

  return {
    app,
    url,
    demoLogins,
    portalBuilt: portal.built,
    async close() {
      clearInterval(timer)
      await realtime.close()
      await app.close()
      await mailer.stop()
      await db.destroy()
    },
  }
}

/** The one form an upload takes; Fastify does not validate a multipart body, so only the document states it. */
const UPLOAD_FORM = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: 'The file, with its name as the part’s filename. No other fields.',
    },
  },
  additionalProperties: false,
}

/** The zod transform, plus the form of routes that take an upload (multipart bodies have no zod schema). */
const documentUploads: typeof jsonSchemaTransform = (input) => {
  const out = jsonSchemaTransform(input)
  const consumes = (input.schema as { consumes?: string[] } | undefined)?.consumes
  if (!consumes?.includes('multipart/form-data') || out.schema.hide) return out
  return { ...out, schema: { ...out.schema, body: UPLOAD_FORM } }
}

/** Where the customer portal's built page lives (`npm run build` makes it). */
export const PORTAL_DIST = path.resolve(import.meta.dirname, '../web/dist')

/**
 * The customer portal: the built page under /portal/, every unknown /portal/ path answered with
 * its index.html (the page routes itself), and a strict CSP: the page's own scripts only, and
 * no framing.
 */
async function portalPage() {
  const csp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
  const built = await fs.access(path.join(PORTAL_DIST, 'index.html')).then(
    () => true,
    () => false,
  )
  return {
    built,
    async register(app: FastifyInstance) {
      // The page is not part of the API: its routes stay out of the OpenAPI document.
      app.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply.redirect('/portal/'),
      )
      if (!built) {
        app.get('/portal/*', { schema: { hide: true } }, async (_request, reply) =>
          reply
            .status(503)
            .type('text/plain; charset=utf-8')
            .send(
              'The customer portal page is not built yet. Run `npm run build`, then restart the server.',
            ),
        )
        return
      }
      await app.register(fastifyStatic, {
        root: PORTAL_DIST,
        prefix: '/portal/',
        index: ['index.html'],
        setHeaders: (res) => {
          res.setHeader('Content-Security-Policy', csp)
          res.setHeader('X-Frame-Options', 'DENY')
        },
      })
    },
    fallback(request: FastifyRequest, reply: FastifyReply): boolean {
      const url = request.url.split('?')[0] ?? ''
      if (!built || request.method !== 'GET' || !url.startsWith('/portal/') || path.extname(url))
        return false
      void reply
        .header('Content-Security-Policy', csp)
        .header('X-Frame-Options', 'DENY')
        .sendFile('index.html')
      return true
    },
  }
}
