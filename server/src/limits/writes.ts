import { isStaff, type Caller } from '../domain/caller'
import { tooMany } from './refusal'
import type { Counter, CounterSpec, LimitStore } from './store'

/** What a limited route writes: messages (new threads and replies), uploads, read marks, or invitations. */
export type WriteKind = 'message' | 'upload' | 'read' | 'invite'

interface Size {
  points: number
  seconds: number
}

export interface WriteLimitSizes {
  /** Customers and subcontractors, who write by hand in the portal page: a burst and an hour. */
  people: { burst: Size; sustained: Size }
  /** Staff, whose desktop outbox sends a day offline in one go. */
  staff: { burst: Size; sustained: Size }
  /** Read marks per person: many small writes, no mail, counted apart from messages. */
  reads: Size
  /** Invitations by email per person: each one mails an address outside the company. */
  invites: { burst: Size; sustained: Size }
  /** Invitation mails to one address from one company, however many people send them. */
  invitesTo: Size
  /** Messages, uploads and invitations of everyone in a company together. */
  company: Size
}

/**
 * Messages and uploads share one allowance per person; the sizes are a person's, with room:
 *
 * - People in the portal page: 60 a minute (a message with 50 photos is 51 requests) and 300 an
 *   hour. The flood that prompted this (1,000 messages in 2.3 s) gets 60 through, then waits.
 * - Staff: the desktop outbox sends what was written offline one request after another, as fast
 *   as the server answers. Measured with an engine against a real server on a shared 2-core
 *   machine: 223 entries queued offline (200 replies, 20 status changes, 3 read marks) went out
 *   in 2.1 s after reconnecting, 126 in the busiest second. 600 in 10 minutes holds a heavy day
 *   offline (replies with a few files each) drained at that pace; 2,000 an hour bounds a runaway
 *   client.
 * - Read marks: 1,000 a minute per person; the outbox and the portal batch them, so a person
 *   never comes near.
 * - Invitations by email: each one mails someone who never asked for it, so they are counted
 *   apart and far lower: 20 in 10 minutes and 100 a day per person (a project's trades invited
 *   in one sitting fit), and 3 mails an hour to one address from one company (a "Resend" or two
 *   while the person looks for the first one), as with reset links.
 * - A company: 5,000 messages, uploads and invitations in 10 minutes from all its people, so a dozen desks
 *   draining at once after an office outage pass, while one tenant cannot take the server.
 *   Only writes a person's own limit let through count here, so one flooding customer cannot
 *   use up the allowance of everyone else in the company.
 */
export const WRITE_LIMITS: WriteLimitSizes = {
  people: { burst: { points: 60, seconds: 60 }, sustained: { points: 300, seconds: 3600 } },
  staff: { burst: { points: 600, seconds: 600 }, sustained: { points: 2000, seconds: 3600 } },
  reads: { points: 1000, seconds: 60 },
  invites: { burst: { points: 20, seconds: 600 }, sustained: { points: 100, seconds: 86_400 } },
  invitesTo: { points: 3, seconds: 3600 },
  company: { points: 5000, seconds: 600 },
}

/** Every limit times `factor` (at least one), windows unchanged: PORTAL_WRITE_LIMITS=0.05 for a trial. */
export function scaleWriteLimits(sizes: WriteLimitSizes, factor: number): WriteLimitSizes {
  const scale = (s: Size): Size => ({ ...s, points: Math.max(1, Math.round(s.points * factor)) })
  return {
    people: { burst: scale(sizes.people.burst), sustained: scale(sizes.people.sustained) },
    staff: { burst: scale(sizes.staff.burst), sustained: scale(sizes.staff.sustained) },
    reads: scale(sizes.reads),
    invites: { burst: scale(sizes.invites.burst), sustained: scale(sizes.invites.sustained) },
    invitesTo: scale(sizes.invitesTo),
    company: scale(sizes.company),
  }
}

const personSays: Record<WriteKind, (wait: string) => string> = {
  message: (wait) =>
    `You have sent many messages in a short time, more than the portal accepts. Wait ${wait}, then send this one again.`,
  upload: (wait) =>
    `You have uploaded many files in a short time, more than the portal accepts. Wait ${wait}, then add this file again.`,
  read: (wait) =>
    `Too many read marks in a short time. Wait ${wait}; they are saved when they are sent again.`,
  invite: (wait) =>
    `You have sent many invitations in a short time, more than the portal accepts. Wait ${wait}, then invite again.`,
}

const companySays = (wait: string) =>
  `The portal is receiving more messages than it accepts right now. Wait ${wait}, then send again.`

/** Limits writes per person and per company; a refusal is a 429 that says when to try again. */
export class WriteLimiter {
  private readonly people: Counter[]
  private readonly staff: Counter[]
  private readonly reads: Counter
  private readonly invites: Counter[]
  private readonly invitesTo: Counter
  private readonly company: Counter

  constructor(store: LimitStore, sizes: WriteLimitSizes = WRITE_LIMITS) {
    const counter = (name: string, size: Size) =>
      store.counter({ name: `writes:${name}`, ...size } satisfies CounterSpec)
    this.people = [
      counter('people-burst', sizes.people.burst),
      counter('people-hour', sizes.people.sustained),
    ]
    this.staff = [
      counter('staff-burst', sizes.staff.burst),
      counter('staff-hour', sizes.staff.sustained),
    ]
    this.reads = counter('reads', sizes.reads)
    this.invites = [
      counter('invites-burst', sizes.invites.burst),
      counter('invites-day', sizes.invites.sustained),
    ]
    this.invitesTo = counter('invites-to', sizes.invitesTo)
    this.company = counter('company', sizes.company)
  }

  /** Counts one write of `kind` by the caller, or refuses it. */
  async take(caller: Caller, kind: WriteKind): Promise<void> {
    const own =
      kind === 'read'
        ? [this.reads]
        : kind === 'invite'
          ? this.invites
          : isStaff(caller)
            ? this.staff
            : this.people
    // The burst first: a write it refuses does not use up the hour as well.
    for (const counter of own) {
      const count = await counter.add(caller.id)
      if (!count.allowed) throw tooMany(personSays[kind], count.msBeforeReset, { limit: 'person' })
    }
    if (kind === 'read') return
    const count = await this.company.add(caller.companyId)
    if (!count.allowed) throw tooMany(companySays, count.msBeforeReset, { limit: 'company' })
  }

  /**
   * Refuses an invitation to an address this company has mailed enough invitations for now. Only
   * peeks: the mail is counted once it is queued (invitationMailed), so a refused invitation
   * costs nothing. Called outside any transaction, like every limiter call (limits/stores/sqlite.ts).
   */
  async mayMailInvitation(caller: Caller, email: string): Promise<void> {
    const count = await this.invitesTo.peek(invitationKey(caller, email))
    if (count && count.consumed >= this.invitesTo.spec.points)
      throw tooMany(
        (wait) =>
          `${email} has had ${this.invitesTo.spec.points} invitations in the last hour. Give them time to find one (it may be in their spam folder), or send another in ${wait}.`,
        count.msBeforeReset,
        { limit: 'recipient' },
      )
  }

  async invitationMailed(caller: Caller, email: string): Promise<void> {
    await this.invitesTo.add(invitationKey(caller, email))
  }
}

/** Per company: one builder's invitations never tell another anything about an address. */
const invitationKey = (caller: Caller, email: string) => `${caller.companyId}|${email}`
