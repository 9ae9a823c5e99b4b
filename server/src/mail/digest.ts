import type { PortalDb } from '../db/handle'
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import type { CompanySettings } from '../../../src/shared/protocol'
import type { UserRow } from '../db/schema'
import { parsePreferences, parseSettings } from '../domain/settings'
import { loadCompany } from '../repositories/companies'
import { activityByProject, newThreadCount, waitingThreads } from '../repositories/digests'
import type { Jobs } from '../repositories/jobs'
import { peopleInRoles } from '../repositories/people'
import { callerFromRow } from '../repositories/sessions'
import type { MailItem } from './mail-item'
import type { MailLinks, MailQueue } from './queue'

// The schedule reads the company's zone; it must not rely on another module having extended dayjs.
dayjs.extend(utc)
dayjs.extend(timezone)

export interface DigestPeriod {
  start: string
  end: string
}

/** The latest scheduled digest time at or before `now`, and the one before it: the period it covers. */
export function latestDigestPeriod(settings: CompanySettings, now: Date): DigestPeriod | null {
  const { frequency, hour, weekday } = settings.digest
  if (frequency === 'off') return null
  let local: dayjs.Dayjs
  try {
    local = dayjs(now).tz(settings.businessHours.timezone)
  } catch {
    local = dayjs(now).utc()
  }
  let end = local.hour(hour).minute(0).second(0).millisecond(0)
  if (frequency === 'daily') {
    if (end.isAfter(local)) end = end.subtract(1, 'day')
    return { start: end.subtract(1, 'day').toISOString(), end: end.toISOString() }
  }
  end = end.day(weekday)
  if (end.isAfter(local)) end = end.subtract(1, 'week')
  return { start: end.subtract(1, 'week').toISOString(), end: end.toISOString() }
}

/**
 * The next scheduled digest time after `now`, or null when off. The schedule code answers it
 * itself: the latest time at or before one period (and two hours, more than any daylight-saving
 * shift) after the latest run is the next run, in the company's zone like every run.
 */
export function nextDigestRun(settings: CompanySettings, now: Date): string | null {
  const latest = latestDigestPeriod(settings, now)
  if (!latest) return null
  const step = (settings.digest.frequency === 'daily' ? 1 : 7) * 86_400_000
  const past = new Date(Date.parse(latest.end) + step + 2 * 3_600_000)
  return latestDigestPeriod(settings, past)?.end ?? null
}

/**
 * One staff member's digest of the period, covering what they may see: new messages per
 * project, urgent ones, and the conversations still waiting for an answer. Null when there is
 * nothing to say, unless `quiet` gives the words for that (a preview is sent all the same).
 */
export async function digestMail(
  trx: PortalDb,
  links: MailLinks,
  to: { company: { id: string; name: string }; person: UserRow; period: DigestPeriod },
  quiet?: string,
): Promise<MailItem | null> {
  const { company, person, period } = to
  const caller = callerFromRow(person)
  const activity = await activityByProject(trx, caller, period)
  const newThreads = await newThreadCount(trx, caller, period)
  const waiting = await waitingThreads(trx, caller, 10)
  if (!activity.length && !waiting.length && quiet === undefined) return null

  const total = activity.reduce((n, a) => n + Number(a.total), 0)
  const lines = [
    `Hello ${person.name},`,
    '',
    `Portal activity at ${company.name} from ${period.start.slice(0, 16).replace('T', ' ')} to ${period.end.slice(0, 16).replace('T', ' ')} UTC:`,
    '',
    `${total} new message${total === 1 ? '' : 's'}, ${newThreads} new conversation${newThreads === 1 ? '' : 's'}.`,
    ...activity.map(
      (a) =>
        `- ${a.project}: ${a.total} message${Number(a.total) === 1 ? '' : 's'} (${Number(a.fromCustomers)} from customers${Number(a.urgent) ? `, ${Number(a.urgent)} urgent` : ''})`,
    ),
  ]
  if (waiting.length) {
    lines.push('', 'Waiting for an answer:')
    for (const w of waiting)
      lines.push(
        `- ${w.urgent ? '[URGENT] ' : ''}${w.subject} (${w.project}), since ${String(w.waiting_since).slice(0, 16).replace('T', ' ')} UTC: ${links.staffThread(w.id)}`,
      )
  }
  if (!activity.length && !waiting.length && quiet) lines.push('', quiet)
  return {
    companyId: company.id,
    kind: 'digest',
    to: person.email,
    subject: `Portal digest for ${company.name}: ${total} new message${total === 1 ? '' : 's'}`,
    text: lines.join('\n'),
  }
}

/** Queues one digest per staff member who wants it. Nobody gets an empty digest. */
export async function queueDigests(
  db: PortalDb,
  queue: MailQueue,
  links: MailLinks,
  companyId: string,
  period: DigestPeriod,
): Promise<number> {
  const company = (await loadCompany(db, companyId)).row
  const staff = await peopleInRoles(db, companyId, ['admin', 'staff'])
  let queued = 0
  await db.transaction().execute(async (trx) => {
    for (const person of staff) {
      if (!parsePreferences(person.preferences, person.role).emailDigest) continue
      const mail = await digestMail(trx, links, { company, person, period })
      if (!mail) continue
      await queue.enqueue(trx, mail)
      queued++
    }
  })
  return queued
}

/**
 * The schedule's digests: each company whose latest period has not been claimed yet gets it
 * queued, by the one process whose claim lands.
 */
export async function queueDueDigests(
  deps: { db: PortalDb; jobs: Jobs; queue: MailQueue; links: MailLinks },
  now: Date,
): Promise<void> {
  for (const company of await deps.jobs.companies()) {
    const period = latestDigestPeriod(parseSettings(company.settings), now)
    if (period && (await deps.jobs.claimDigest(company.id, period.end)))
      await queueDigests(deps.db, deps.queue, deps.links, company.id, period)
  }
}

/** A company's first period is recorded without sending: a new install does not open with a digest of its import. */
export async function markFirstDigestPeriods(jobs: Jobs, now: Date): Promise<void> {
  for (const company of await jobs.companiesWithoutDigests()) {
    const period = latestDigestPeriod(parseSettings(company.settings), now)
    if (period) await jobs.claimDigest(company.id, period.end)
  }
}
