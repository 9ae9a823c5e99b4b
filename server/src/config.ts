import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { clockFromSpec } from '../../src/shared/clock'

/** Everything the server needs to start, from flags first and environment variables second. */
export const ServerConfig = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(4870),
    dataDir: z.string().min(1).default('./data'),
    /** Base of the links in emails; defaults to the address the server listens on. */
    publicUrl: z.url().optional(),
    /** smtp://user:pass@host:port or smtps://…; without it, mails are written as .eml files in the data dir. */
    smtpUrl: z
      .string()
      .regex(/^smtps?:\/\//, 'SMTP URL must start with smtp:// or smtps://')
      .optional(),
    mailFrom: z.string().default('Portal Inbox <no-reply@portal-inbox.local>'),
    /**
     * Replies by email: the domain of reply addresses (reply+<token>@<domain>), whose MX points at
     * this server's SMTP listener or at a mail provider that posts to the inbound webhook. Without
     * it, mail is one-way and says so.
     */
    inboundDomain: z
      .string()
      .regex(
        /^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/i,
        'PORTAL_INBOUND_DOMAIN must be a domain such as replies.example.com',
      )
      .optional(),
    /** The port of the SMTP listener for replies (off when not set). */
    inboundSmtpPort: z.coerce.number().int().min(0).max(65535).optional(),
    /** The shared secret a mail provider's inbound webhook sends (POST /api/v1/inbound/mail). */
    /**
     * The DNS servers the sender checks of replies (SPF, DKIM, DMARC) ask, as `ip` or `ip:port`,
     * comma-separated (PORTAL_DNS_SERVERS); the system's resolvers when not set.
     */
    dnsServers: z
      .string()
      .optional()
      .transform((v) =>
        v
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    inboundSecret: z
      .string()
      .min(24, 'PORTAL_INBOUND_SECRET must be at least 24 characters')
      .optional(),
    demo: z.boolean().default(false),
    sessionDays: z.coerce.number().int().min(1).max(365).default(30),
    /** How often the digest schedule and clean-up jobs look for work. */
    schedulerMs: z.coerce.number().int().min(50).default(60_000),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /**
     * The write limits per person and company (server/src/limits/writes.ts): `on`, a factor that
     * scales every limit (`0.05` to meet them by hand in a trial), or `off` for load tests and
     * benchmarks that post faster than any person. Sign-in limits are always on.
     */
    writeLimits: z
      .string()
      .default('on')
      .transform((value, ctx): number | 'off' => {
        const text = value.trim().toLowerCase()
        if (text === 'on') return 1
        if (text === 'off') return 'off'
        const factor = Number(text)
        if (text && Number.isFinite(factor) && factor > 0) return factor
        ctx.addIssue({
          code: 'custom',
          message: `PORTAL_WRITE_LIMITS is "${value}"; write on, off or a positive factor such as 0.05.`,
        })
        return z.NEVER
      }),
    /**
     * What time the server believes it is (see src/shared/clock.ts clockFromSpec): empty for the
     * machine's clock; an instant, `fixed:<instant>` or `offset:<ms>` for a run at a chosen time.
     */
    clock: z
      .string()
      .optional()
      .superRefine((spec, ctx) => {
        try {
          clockFromSpec(spec)
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message })
        }
      }),
  })
  .superRefine((c, ctx) => {
    for (const [key, name] of [
      ['inboundSmtpPort', '--inbound-smtp-port'],
      ['inboundSecret', 'PORTAL_INBOUND_SECRET'],
    ] as const) {
      if (c[key] !== undefined && !c.inboundDomain)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${name} receives replies by email; set PORTAL_INBOUND_DOMAIN to the domain of the reply addresses too.`,
        })
    }
  })
export type ServerConfig = z.infer<typeof ServerConfig>

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      'public-url': { type: 'string' },
      'smtp-url': { type: 'string' },
      'inbound-smtp-port': { type: 'string' },
      demo: { type: 'boolean' },
      'log-level': { type: 'string' },
      clock: { type: 'string' },
    },
    strict: true,
  })
  const parsed = ServerConfig.safeParse({
    host: values.host ?? env.PORTAL_HOST,
    port: values.port ?? env.PORTAL_PORT,
    dataDir: values.data ?? env.PORTAL_DATA_DIR,
    publicUrl: values['public-url'] ?? env.PORTAL_PUBLIC_URL,
    smtpUrl: values['smtp-url'] ?? env.PORTAL_SMTP_URL,
    mailFrom: env.PORTAL_MAIL_FROM,
    inboundDomain: env.PORTAL_INBOUND_DOMAIN || undefined,
    inboundSmtpPort: values['inbound-smtp-port'] ?? (env.PORTAL_INBOUND_SMTP_PORT || undefined),
    inboundSecret: env.PORTAL_INBOUND_SECRET || undefined,
    dnsServers: env.PORTAL_DNS_SERVERS || undefined,
    demo: values.demo ?? (env.PORTAL_DEMO === '1' || env.PORTAL_DEMO === 'true'),
    sessionDays: env.PORTAL_SESSION_DAYS,
    schedulerMs: env.PORTAL_SCHEDULER_MS,
    logLevel: values['log-level'] ?? env.PORTAL_LOG_LEVEL,
    writeLimits: env.PORTAL_WRITE_LIMITS,
    clock: values.clock ?? env.PORTAL_CLOCK,
  })
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n')
    throw new Error(`The server configuration is not valid:\n${problems}`)
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) }
}
