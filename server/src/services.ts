import type { Kysely } from 'kysely'
import type { Clock } from '../../src/shared/clock'
import type { ServerConfig } from './config'
import type { Database } from './db/schema'
import type { Changed } from './domain/changed'
import type { MailLinks, MailQueue } from './mail/queue'
import type { MailSender } from './mail/sender'
import type { Realtime } from './realtime'
import type { SignInLimiter } from './limits/sign-in'
import type { WriteLimiter } from './limits/writes'
import type { SessionRepository } from './repositories/sessions'
import type { Domain } from './services/index'

/** What the routes are given: the domain to act through and the hooks that run after a commit. */
export interface Services extends Domain {
  config: ServerConfig
  /** The one source of "now" for every rule that depends on the time. */
  clock: Clock
  db: Kysely<Database>
  sessions: SessionRepository
  signInLimiter: SignInLimiter
  /** null when PORTAL_WRITE_LIMITS=off. */
  writeLimiter: WriteLimiter | null
  realtime: Realtime
  mailer: MailSender
  mailQueue: MailQueue
  links: MailLinks
  /** After a write commits: push it live and wake the mail sender. */
  afterCommit(changed: Changed): Promise<void>
}
