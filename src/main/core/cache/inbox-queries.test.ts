import { beforeEach, describe, expect, it } from 'vitest'
import { emptyChanges, ids, message, signedInStore, thread, statementsPrepared } from './fixtures'
import type { CacheStore } from './store'

let store: CacheStore
beforeEach(() => {
  store = signedInStore()
})
describe('inbox views', () => {
  beforeEach(() => {
    const now = Date.UTC(2026, 2, 10)
    store.apply(
      emptyChanges({
        threads: [
          thread(1, {
            lastMessageAt: '2026-03-09T10:00:00.000Z',
            urgent: true,
            waitingSince: '2026-03-09T10:00:00.000Z',
          }),
          thread(2, { lastMessageAt: '2026-03-09T11:00:00.000Z', assigneeId: ids.sam }),
          thread(3, { lastMessageAt: '2026-03-09T12:00:00.000Z', status: 'closed' }),
          thread(4, {
            lastMessageAt: '2026-03-09T13:00:00.000Z',
            snoozedUntil: new Date(now + 86_400_000 * 365).toISOString(),
          }),
          thread(5, { lastMessageAt: '2026-03-09T14:00:00.000Z', projectId: ids.oak }),
        ],
        messages: [message(1, 1)],
      }),
    )
  })

  it('lists each view newest first and counts them', () => {
    const list = (view: Parameters<CacheStore['listThreads']>[0], project?: string) =>
      store.listThreads(view, project, 0, 50).threads.map((t) => t.subject)
    expect(list('all')).toEqual(['Thread 5', 'Thread 2', 'Thread 1'])
    expect(list('unread')).toEqual(['Thread 1'])
    expect(list('urgent')).toEqual(['Thread 1'])
    expect(list('assigned')).toEqual(['Thread 2'])
    expect(list('waiting')).toEqual(['Thread 1'])
    expect(list('snoozed')).toEqual(['Thread 4'])
    expect(list('closed')).toEqual(['Thread 3'])
    expect(list('all', ids.oak)).toEqual(['Thread 5'])
    const counts = store.viewCounts()
    expect(counts.views).toEqual({
      all: 3,
      unread: 1,
      urgent: 1,
      assigned: 1,
      waiting: 1,
      snoozed: 1,
      closed: 1,
    })
    expect(counts.projects).toEqual({ [ids.maple]: 2, [ids.oak]: 1 })
    const first = store.listThreads('all', undefined, 0, 50).threads[2]
    expect(first?.projectName).toBe('Maple Street Remodel')
    expect(first?.customerNames).toEqual(['Carla Mendes'])
  })

  it('keeps a snoozed thread assigned to me in "Assigned to me", and out of the working views', () => {
    const later = new Date(Date.UTC(2026, 2, 10) + 86_400_000).toISOString()
    store.apply(
      emptyChanges({
        threads: [
          thread(8, {
            lastMessageAt: '2026-03-09T15:00:00.000Z',
            assigneeId: ids.sam,
            snoozedUntil: later,
            urgent: true,
          }),
          thread(9, { lastMessageAt: '2026-03-09T16:00:00.000Z', assigneeId: ids.tess }),
        ],
      }),
    )
    const list = (view: Parameters<CacheStore['listThreads']>[0]) =>
      store.listThreads(view, undefined, 0, 50).threads.map((t) => t.subject)
    expect(list('assigned')).toEqual(['Thread 8', 'Thread 2'])
    expect(list('assigned')).not.toContain('Thread 9')
    expect(list('snoozed')).toEqual(['Thread 8', 'Thread 4'])
    expect(list('all')).not.toContain('Thread 8')
    expect(list('urgent')).not.toContain('Thread 8')
    expect(store.viewCounts().views.assigned).toBe(2)
    // Set waiting on the customer, a thread a customer wrote in is not waiting on us.
    store.apply(
      emptyChanges({
        threads: [thread(1, { status: 'waiting-on-customer', urgent: true, waitingSince: later })],
      }),
    )
    expect(list('waiting')).toEqual([])
    expect(store.viewCounts().views.waiting).toBe(0)
    // Closed, it leaves "Assigned to me" like every working view.
    store.apply(
      emptyChanges({
        threads: [
          thread(8, { assigneeId: ids.sam, snoozedUntil: later, status: 'closed', seq: 999 }),
        ],
      }),
    )
    expect(list('assigned')).toEqual(['Thread 2'])
  })

  it("counts 'all' by subtraction exactly as its filter counts it", () => {
    const now = new Date(store.clock.now()).toISOString()
    store.apply(
      emptyChanges({
        threads: [
          // Closed and snoozed: subtracted once, not twice.
          thread(6, { status: 'closed', snoozedUntil: '2999-01-01T00:00:00.000Z' }),
          // Snoozed until a time that has passed: awake, so counted.
          thread(7, { snoozedUntil: '2000-01-01T00:00:00.000Z' }),
        ],
      }),
    )
    const f = store.viewFilter('all', now)
    const direct = store.db
      .prepare(`SELECT count(*) AS n FROM threads t WHERE ${f.sql}`)
      .get(f.params) as { n: number }
    expect(store.countView('all', undefined, now)).toBe(direct.n)
    expect(store.listThreads('all', undefined, 0, 1, now).total).toBe(4)
  })

  it('counts every view and project from an index, not a scan of the threads table', async () => {
    const statements = await statementsPrepared(store, () => store.viewCounts())
    const counts = statements.filter((sql) => sql.includes('count(*)'))
    expect(counts.length).toBeGreaterThanOrEqual(8)
    for (const sql of counts) {
      const plan = store.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ now: new Date(store.clock.now()).toISOString(), me: ids.sam }) as {
        detail: string
      }[]
      for (const { detail } of plan)
        if (/^SCAN (t|threads)\b/.test(detail)) expect(detail, sql).toMatch(/USING/)
    }
  })
})
