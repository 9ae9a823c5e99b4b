import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { migrate } from './database'
import { directory, emptyChanges, ids, message, thread, uuid } from './fixtures'
import { CacheStore, messageKey } from './store'

let store: CacheStore
beforeEach(() => {
  const db = new Database(':memory:')
  migrate(db)
  store = new CacheStore(db)
  store.setMeta('userId', ids.sam)
  store.apply(directory())
})

const snapshot = () => ({
  threads: store.db.prepare('SELECT * FROM threads ORDER BY id').all(),
  messages: store.db.prepare('SELECT * FROM messages ORDER BY pk').all(),
  reads: store.db.prepare('SELECT * FROM reads ORDER BY message_id').all(),
  fts: store.db.prepare('SELECT rowid, * FROM messages_fts ORDER BY rowid').all(),
})

describe('applying changes', () => {
  it('is idempotent: the same batch twice leaves the same cache', () => {
    const batch = emptyChanges({ threads: [thread(1)], messages: [message(1, 1), message(2, 1)] })
    store.apply(batch, 50)
    const once = snapshot()
    const again = store.apply(batch, 50)
    expect(snapshot()).toEqual(once)
    expect(again.newMessages).toEqual([])
    expect(store.cursor).toBe(50)
  })

  it('never lets an older seq overwrite a newer one', () => {
    store.apply(emptyChanges({ threads: [thread(1, { subject: 'New subject', seq: 300 })] }))
    store.apply(emptyChanges({ threads: [thread(1, { subject: 'Old subject', seq: 200 })] }))
    expect(store.thread(uuid(1))?.subject).toBe('New subject')
    store.apply(emptyChanges({ messages: [message(1, 1, { body: 'v2', seq: 900 })] }))
    store.apply(emptyChanges({ messages: [message(1, 1, { body: 'v1', seq: 800 })] }))
    expect(store.message(uuid(1001))?.body).toBe('v2')
  })

  it('counts unread per thread: others’ messages without my read mark', () => {
    store.apply(
      emptyChanges({
        threads: [thread(1)],
        messages: [message(1, 1), message(2, 1), message(3, 1, { authorId: ids.sam })],
      }),
    )
    expect(store.thread(uuid(1))?.unreadCount).toBe(2)
    store.apply(
      emptyChanges({
        reads: [
          {
            messageId: uuid(1001),
            threadId: uuid(1),
            userId: ids.sam,
            readAt: '2026-03-01T11:00:00.000Z',
            seq: 2000,
          },
        ],
      }),
    )
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
    // Someone else's read mark changes nothing for me.
    store.apply(
      emptyChanges({
        reads: [
          {
            messageId: uuid(1002),
            threadId: uuid(1),
            userId: ids.tess,
            readAt: '2026-03-01T11:00:00.000Z',
            seq: 2001,
          },
        ],
      }),
    )
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
  })

  it('replaces an optimistic row with the server copy of the same client id', () => {
    store.apply(emptyChanges({ threads: [thread(1)] }))
    const local = message(9, 1, { id: uuid(7777), clientId: uuid(7777), authorId: ids.sam, seq: 0 })
    store.insertLocalMessage(local, 1)
    expect(store.message(uuid(7777))?.pending).toBe(true)
    const confirmed = message(9, 1, {
      id: uuid(8888),
      clientId: uuid(7777),
      authorId: ids.sam,
      seq: 5000,
    })
    const applied = store.apply(emptyChanges({ messages: [confirmed] }))
    expect(applied.newMessages).toEqual([])
    expect(store.message(uuid(7777))).toBeNull()
    expect(store.message(uuid(8888))?.pending).toBe(false)
    expect(
      (store.db.prepare('SELECT count(*) AS n FROM messages_fts').get() as { n: number }).n,
    ).toBe(1)
  })

  it('a thread created offline takes the server id when its copy arrives, with its queued replies', () => {
    const localId = uuid(4242)
    store.insertLocalThread(
      thread(0, { id: localId, clientId: localId, createdById: ids.sam, seq: 0 }),
    )
    store.insertLocalMessage(
      message(1, 0, {
        id: uuid(5001),
        clientId: uuid(5001),
        threadId: localId,
        authorId: ids.sam,
        seq: 0,
      }),
      1,
    )
    store.db
      .prepare(
        "INSERT INTO outbox (kind, thread_id, client_id, payload, summary, state, created_at) VALUES ('reply', ?, ?, ?, 's', 'pending', 'now')",
      )
      .run(localId, uuid(5002), JSON.stringify({ threadId: localId }))
    store.apply(emptyChanges({ threads: [thread(7, { clientId: localId, createdById: ids.sam })] }))
    expect(store.thread(localId)).toBeNull()
    expect(store.messages(uuid(7), undefined, 10).messages.map((m) => m.id)).toEqual([uuid(5001)])
    const outbox = store.db.prepare('SELECT thread_id, payload FROM outbox').get() as {
      thread_id: string
      payload: string
    }
    expect(outbox.thread_id).toBe(uuid(7))
    expect(JSON.parse(outbox.payload).threadId).toBe(uuid(7))
  })

  it('removes a thread the user lost access to, with its messages and search entries', () => {
    store.apply(
      emptyChanges({ threads: [thread(1)], messages: [message(1, 1, { body: 'secretword' })] }),
    )
    store.apply(emptyChanges({ removedThreadIds: [uuid(1)] }))
    expect(store.thread(uuid(1))).toBeNull()
    expect(
      store.db
        .prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'secretword'")
        .get(),
    ).toEqual({ n: 0 })
  })
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

  it("counts 'all' by subtraction exactly as its filter counts it", () => {
    const now = new Date().toISOString()
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

  it('counts every view and project from an index, not a scan of the threads table', () => {
    const statements: string[] = []
    const prepare = store.db.prepare.bind(store.db)
    const spy = vi.spyOn(store.db, 'prepare').mockImplementation(((sql: string) => {
      statements.push(sql)
      return prepare(sql)
    }) as typeof store.db.prepare)
    store.viewCounts()
    spy.mockRestore()
    const counts = statements.filter((sql) => sql.includes('count(*)'))
    expect(counts.length).toBeGreaterThanOrEqual(8)
    for (const sql of counts) {
      const plan = store.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ now: new Date().toISOString(), me: ids.sam }) as { detail: string }[]
      for (const { detail } of plan)
        if (/^SCAN (t|threads)\b/.test(detail)) expect(detail, sql).toMatch(/USING/)
    }
  })
})

describe('messageKey', () => {
  it('orders by creation time, whatever the id', () => {
    const a = messageKey('2026-03-01T10:00:00.000Z', 'ffff')
    const b = messageKey('2026-03-01T10:00:00.001Z', '0000')
    expect(a).toBeLessThan(b)
    expect(Number.isSafeInteger(messageKey('2100-01-01T00:00:00.000Z', 'x'))).toBe(true)
  })
})

describe('search entries of messages that arrive before their thread', () => {
  const matches = (word: string) =>
    (
      store.db
        .prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?')
        .get(`"${word}"`) as { n: number }
    ).n

  it('are written with the subject once the thread arrives, in a later batch', () => {
    store.apply(emptyChanges({ messages: [message(1, 1, { body: 'early bird' })] }))
    expect(matches('early')).toBe(0)
    store.apply(emptyChanges({ threads: [thread(1, { subject: 'Kitchen cabinets' })] }))
    expect(matches('early')).toBe(1)
    expect(matches('cabinets')).toBe(1)
  })

  it('follow a renamed subject', () => {
    store.apply(
      emptyChanges({ threads: [thread(2, { subject: 'Old name' })], messages: [message(5, 2)] }),
    )
    expect(matches('old')).toBe(1)
    store.apply(emptyChanges({ threads: [thread(2, { subject: 'Fresh title', seq: 999 })] }))
    expect(matches('old')).toBe(0)
    expect(matches('fresh')).toBe(1)
  })
})
