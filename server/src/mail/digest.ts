import type { Kysely } from 'kysely'
import dayjs from 'dayjs'
import type { CompanySettings } from '../../../src/shared/protocol'
import type { Database } from '../db/schema'
import { messageVisible, threadVisibleAs } from '../domain/access'
import { parsePreferences } from '../domain/settings'
import { callerFromRow } from '../repositories/sessions'
import type { MailLinks, MailQueue } from './queue'

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
 * Queues one digest per staff member who wants it, covering what they may see: new messages per
 * project, urgent ones, and the conversations still waiting for an answer. Nobody gets an empty digest.
 */
export async function queueDigests(
  db: Kysely<Database>,
  queue: MailQueue,
  links: MailLinks,
  companyId: string,
  period: DigestPeriod,
): Promise<number> {
  const company = await db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where('id', '=', companyId)
    .executeTakeFirstOrThrow()
  const staff = await db
    .selectFrom('users')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('role', 'in', ['admin', 'staff'])
    .execute()
  let queued = 0
  await db.transaction().execute(async (trx) => {
    for (const person of staff) {
      if (!parsePreferences(person.preferences, person.role).emailDigest) continue
      const caller = callerFromRow(person)
      const activity = await trx
        .selectFrom('messages as m')
        .innerJoin('projects as p', 'p.id', 'm.project_id')
        .innerJoin('users as a', 'a.id', 'm.author_id')
        .select((eb) => [
          'p.name as project',
          eb.fn.countAll<number>().as('total'),
          eb.fn
            .sum<number>(
              eb.case().when('a.role', 'in', ['customer', 'subcontractor']).then(1).else(0).end(),
            )
            .as('fromCustomers'),
          eb.fn.sum<number>('m.urgent').as('urgent'),
        ])
        .where(messageVisible(caller, 'm'))
        .where('m.created_at', '>', period.start)
        .where('m.created_at', '<=', period.end)
        .groupBy('p.name')
        .orderBy('p.name')
        .execute()
      const newThreads = await trx
        .selectFrom('threads as t')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(threadVisibleAs(caller, 't'))
        .where('t.created_at', '>', period.start)
        .where('t.created_at', '<=', period.end)
        .executeTakeFirstOrThrow()
      const waiting = await trx
        .selectFrom('threads as t')
        .innerJoin('projects as p', 'p.id', 't.project_id')
        .select(['t.id', 't.subject', 't.waiting_since', 't.urgent', 'p.name as project'])
        .where(threadVisibleAs(caller, 't'))
        .where('t.waiting_since', 'is not', null)
        .where('t.status', '=', 'open')
        .orderBy('t.waiting_since')
        .limit(10)
        .execute()
      if (!activity.length && !waiting.length) continue

      const total = activity.reduce((n, a) => n + Number(a.total), 0)
      const lines = [
        `Hello ${person.name},`,
        '',
        `Portal activity at ${company.name} from ${period.start.slice(0, 16).replace('T', ' ')} to ${period.end.slice(0, 16).replace('T', ' ')} UTC:`,
        '',
        `${total} new message${total === 1 ? '' : 's'}, ${Number(newThreads.n)} new conversation${Number(newThreads.n) === 1 ? '' : 's'}.`,
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
      await queue.enqueue(trx, {
        companyId,
        kind: 'digest',
        to: person.email,
        subject: `Portal digest for ${company.name}: ${total} new message${total === 1 ? '' : 's'}`,
        text: lines.join('\n'),
      })
      queued++
    }
  })
  return queued
}
