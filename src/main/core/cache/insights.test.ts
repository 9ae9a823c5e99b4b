import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  signedInStore,
  emptyChanges,
  ids,
  message,
  thread,
  uuid,
  statementsPrepared,
} from './fixtures'
import type { CacheStore } from './store'
import { computeInsights, median } from './insights'

/** A local time on a day of March 2026, as the ISO timestamp the server would send. */
const at = (day: number, hour: number, minute = 0) =>
  new Date(2026, 2, day, hour, minute).toISOString()
// Local 18:00 on 10 March; with days: 3 the range is 8, 9 and 10 March (8 March 2026 is the day
// daylight saving time starts in North America, a 23-hour day there).
const now = new Date(2026, 2, 10, 18, 0)

let store: CacheStore
let n = 0
const msg = (threadN: number, authorId: string, createdAt: string, extra = {}) =>
  message(++n, threadN, { authorId, createdAt, ...extra })

function load(): void {
  store = signedInStore()
  n = 0
  store.apply(
    emptyChanges({
      threads: [
        // Maple, assigned to Sam, answered.
        thread(1, { assigneeId: ids.sam }),
        // Oak, assigned to Tess, waiting for an answer now.
        thread(2, { projectId: ids.oak, assigneeId: ids.tess, waitingSince: at(10, 8) }),
        // Maple, closed: its wait flag does not count.
        thread(3, { status: 'closed', waitingSince: at(10, 7) }),
        // Maple, assigned to Sam, waiting now.
        thread(4, { assigneeId: ids.sam, waitingSince: at(10, 9) }),
        // Oak, set waiting on the customer after a customer wrote: not waiting on the team.
        thread(5, {
          projectId: ids.oak,
          assigneeId: ids.tess,
          status: 'waiting-on-customer',
          waitingSince: at(10, 6),
        }),
      ],
      messages: [
        // Thread 1: the wait starts before the range (7 March, 23:00) and is answered in it.
        msg(1, ids.carla, at(7, 23)),
        msg(1, ids.carla, at(8, 9)),
        // An internal note: staff's side of the chart, but it does not end the wait.
        msg(1, ids.tess, at(8, 9, 10), { internal: true }),
        msg(1, ids.sam, at(8, 10)), // first response: 11 h = 660 min
        msg(1, ids.sam, at(8, 10, 30)), // a second answer, not a first response
        msg(1, ids.carla, at(9, 12)),
        msg(1, ids.sam, at(9, 12, 30)), // 30 min
        // Thread 2 (Oak)
        msg(2, ids.carla, at(9, 8), { projectId: ids.oak }),
        msg(2, ids.tess, at(9, 9, 30), { projectId: ids.oak }), // 90 min
        msg(2, ids.carla, at(10, 8), { projectId: ids.oak }),
        // Thread 3
        msg(3, ids.carla, at(10, 7)),
        msg(3, ids.sam, at(10, 7, 10)), // 10 min
        // Thread 4: unanswered.
        msg(4, ids.carla, at(10, 9)),
      ],
    }),
  )
}

beforeEach(load)

describe('insights', () => {
  it('counts messages per local day, by side, over every day of the range', async () => {
    const result = await computeInsights(store.db, { days: 3 }, now)
    expect(result.from).toBe(new Date(2026, 2, 8).toISOString())
    expect(result.to).toBe(new Date(2026, 2, 11).toISOString())
    expect(result.messagesPerDay).toEqual([
      { day: '2026-03-08', customer: 1, staff: 3 },
      { day: '2026-03-09', customer: 2, staff: 2 },
      { day: '2026-03-10', customer: 3, staff: 1 },
    ])
    const week = (await computeInsights(store.db, { days: 7 }, now)).messagesPerDay
    expect(week.map((d) => d.day)).toEqual([
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
    ])
    expect(week[3]).toEqual({ day: '2026-03-07', customer: 1, staff: 0 })
    expect(week[0]).toEqual({ day: '2026-03-04', customer: 0, staff: 0 })
  })

  it('measures first responses from the start of each wait to the first public staff answer', async () => {
    const result = await computeInsights(store.db, { days: 3 }, now)
    // 10, 30, 90 and 660 minutes.
    expect(result.medianFirstResponseMinutes).toBe(60)
    expect(result.waiting).toBe(2)
    expect(result.byProject).toEqual([
      {
        projectId: ids.maple,
        name: 'Maple Street Remodel',
        messages: 9,
        medianFirstResponseMinutes: 30,
        waiting: 1,
      },
      {
        projectId: ids.oak,
        name: 'Oak Ridge New Build',
        messages: 3,
        medianFirstResponseMinutes: 90,
        waiting: 1,
      },
    ])
    expect(result.byStaff).toEqual([
      {
        userId: ids.sam,
        name: 'Sam Rivera',
        replies: 4,
        medianFirstResponseMinutes: 30,
        waiting: 1,
      },
      {
        userId: ids.tess,
        name: 'Tess Nguyen',
        replies: 1,
        medianFirstResponseMinutes: 90,
        waiting: 1,
      },
    ])
  })

  it('narrows everything to one project', async () => {
    const result = await computeInsights(store.db, { days: 3, projectId: ids.oak }, now)
    expect(result.messagesPerDay).toEqual([
      { day: '2026-03-08', customer: 0, staff: 0 },
      { day: '2026-03-09', customer: 1, staff: 1 },
      { day: '2026-03-10', customer: 1, staff: 0 },
    ])
    expect(result.medianFirstResponseMinutes).toBe(90)
    expect(result.waiting).toBe(1)
    expect(result.byProject.map((p) => [p.name, p.messages])).toEqual([['Oak Ridge New Build', 3]])
    expect(result.byStaff.map((s) => [s.name, s.replies, s.waiting])).toEqual([
      ['Tess Nguyen', 1, 1],
    ])
  })

  it('lists people with waiting threads though they wrote nothing, and projects with only waiting threads', async () => {
    // Only today: Sam answered thread 3 today; Tess wrote nothing today but has a waiting thread.
    const today = await computeInsights(store.db, { days: 1 }, now)
    expect(today.messagesPerDay).toEqual([{ day: '2026-03-10', customer: 3, staff: 1 }])
    expect(today.medianFirstResponseMinutes).toBe(10)
    expect(today.byStaff).toEqual([
      expect.objectContaining({ name: 'Sam Rivera', replies: 1, medianFirstResponseMinutes: 10 }),
      expect.objectContaining({
        name: 'Tess Nguyen',
        replies: 0,
        medianFirstResponseMinutes: null,
        waiting: 1,
      }),
    ])
    // A day with no messages: Oak is listed for its waiting thread alone.
    const old = await computeInsights(store.db, { days: 1 }, new Date(2026, 1, 1, 12))
    expect(old.messagesPerDay).toEqual([{ day: '2026-02-01', customer: 0, staff: 0 }])
    expect(old.medianFirstResponseMinutes).toBeNull()
    expect(old.byProject.map((p) => [p.name, p.messages, p.waiting])).toEqual([
      ['Maple Street Remodel', 0, 1],
      ['Oak Ridge New Build', 0, 1],
    ])
  })

  it('leaves out messages still in the outbox', async () => {
    store.insertLocalMessage(
      message(99, 4, {
        id: uuid(9999),
        clientId: uuid(9999),
        authorId: ids.sam,
        createdAt: at(10, 9, 5),
      }),
      1,
    )
    const result = await computeInsights(store.db, { days: 1 }, now)
    expect(result.messagesPerDay).toEqual([{ day: '2026-03-10', customer: 3, staff: 1 }])
    expect(result.medianFirstResponseMinutes).toBe(10)
  })
})

describe('insights query plans', () => {
  it('read messages by pk range and waiting threads from their partial index', async () => {
    const statements = await statementsPrepared(store, () =>
      computeInsights(store.db, { days: 30 }, now),
    )
    const plan = (sql: string) =>
      (
        store.db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all({ fromPk: 0, toPk: 1, project: null }) as { detail: string }[]
      ).map((r) => r.detail)
    const messageQueries = statements.filter((sql) => /FROM messages m WHERE/.test(sql))
    expect(messageQueries).toHaveLength(2)
    for (const sql of messageQueries)
      expect(plan(sql), sql).toContainEqual(
        expect.stringMatching(/^SEARCH m USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/),
      )
    const waiting = statements.find((sql) => sql.includes('waiting_since IS NOT NULL'))!
    expect(plan(waiting)).toContainEqual(expect.stringMatching(/threads_waiting_last/))
  })
})

describe('insights in another time zone', () => {
  const original = process.env.TZ
  afterEach(() => {
    process.env.TZ = original
  })

  it.each(['America/Denver', 'Asia/Kathmandu', 'Pacific/Chatham'])(
    'buckets by local day in %s, across a daylight saving change',
    async (zone) => {
      process.env.TZ = zone
      load()
      const result = await computeInsights(store.db, { days: 3 }, new Date(2026, 2, 10, 18, 0))
      expect(result.messagesPerDay).toEqual([
        { day: '2026-03-08', customer: 1, staff: 3 },
        { day: '2026-03-09', customer: 2, staff: 2 },
        { day: '2026-03-10', customer: 3, staff: 1 },
      ])
      expect(result.medianFirstResponseMinutes).toBe(60)
    },
  )
})

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', async () => {
    expect(median([])).toBeNull()
    expect(median([5])).toBe(5)
    expect(median([9, 1, 5])).toBe(5)
    expect(median([660, 10, 90, 30])).toBe(60)
  })
})
