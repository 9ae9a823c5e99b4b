import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { Caller } from '../domain/caller'
import { messageVisible, threadVisibleAs } from './visibility'

type Db = Kysely<Database>
export interface Period {
  start: string
  end: string
}

/** What a digest tells one staff member, of what they may see in the period. */

/** New messages per project: how many, how many from customers, how many urgent. */
export function activityByProject(db: Db, caller: Caller, period: Period) {
  return db
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
}

export async function newThreadCount(db: Db, caller: Caller, period: Period): Promise<number> {
  const row = await db
    .selectFrom('threads as t')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(threadVisibleAs(caller, 't'))
    .where('t.created_at', '>', period.start)
    .where('t.created_at', '<=', period.end)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The open conversations waiting longest for an answer. */
export function waitingThreads(db: Db, caller: Caller, limit: number) {
  return db
    .selectFrom('threads as t')
    .innerJoin('projects as p', 'p.id', 't.project_id')
    .select(['t.id', 't.subject', 't.waiting_since', 't.urgent', 'p.name as project'])
    .where(threadVisibleAs(caller, 't'))
    .where('t.waiting_since', 'is not', null)
    .where('t.status', '=', 'open')
    .orderBy('t.waiting_since')
    .limit(limit)
    .execute()
}
