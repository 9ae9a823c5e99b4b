import { isStaff, type Caller } from '../domain/caller'
import { tooMany } from './refusal'
import type { Counter, CounterSpec, LimitStore } from './store'

/** What a limited route writes: messages (new threads and replies), uploads, or read marks. */
export type WriteKind = 'message' | 'upload' | 'read'

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
  /** Messages and uploads of everyone in a company together. */
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
 * - A company: 5,000 messages and uploads in 10 minutes from all its people, so a dozen desks
 *   draining at once after an office outage pass, while one tenant cannot take the server.
 *   Only writes a person's own limit let through count here, so one flooding customer cannot
 *   use up the allowance of everyone else in the company.
 */
export const WRITE_LIMITS: WriteLimitSizes = {
  people: { burst: { points: 60, seconds: 60 }, sustained: { points: 300, seconds: 3600 } },
  staff: { burst: { points: 600, seconds: 600 }, sustained: { points: 2000, seconds: 3600 } },
  reads: { points: 1000, seconds: 60 },
  company: { points: 5000, seconds: 600 },
}

/** Every limit times `factor` (at least one), windows unchanged: PORTAL_WRITE_LIMITS=0.05 for a trial. */
export function scaleWriteLimits(sizes: WriteLimitSizes, factor: number): WriteLimitSizes {
  const scale = (s: Size): Size => ({ ...s, points: Math.max(1, Math.round(s.points * factor)) })
  return {
    people: { burst: scale(sizes.people.burst), sustained: scale(sizes.people.sustained) },
    staff: { burst: scale(sizes.staff.burst), sustained: scale(sizes.staff.sustained) },
    reads: scale(sizes.reads),
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
}

const companySays = (wait: string) =>
  `The portal is receiving more messages than it accepts right now. Wait ${wait}, then send again.`

/** Limits writes per person and per company; a refusal is a 429 that says when to try again. */
export class WriteLimiter {
  private readonly people: Counter[]
  private readonly staff: Counter[]
  private readonly reads: Counter
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
    this.company = counter('company', sizes.company)
  }

  /** Counts one write of `kind` by the caller, or refuses it. */
  async take(caller: Caller, kind: WriteKind): Promise<void> {
    const own = kind === 'read' ? [this.reads] : isStaff(caller) ? this.staff : this.people
    // The burst first: a write it refuses does not use up the hour as well.
    for (const counter of own) {
      const count = await counter.add(caller.id)
      if (!count.allowed) throw tooMany(personSays[kind], count.msBeforeReset, { limit: 'person' })
    }
    if (kind === 'read') return
    const count = await this.company.add(caller.companyId)
    if (!count.allowed) throw tooMany(companySays, count.msBeforeReset, { limit: 'company' })
  }
}
