import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { migrate } from './database'
import { directory, emptyChanges, ids, message, thread, uuid } from './fixtures'
import { CacheStore, messageKey } from './store'
import { ManualClock } from '../../../shared/clock'

let store: CacheStore
beforeEach(() => {
  const db = new Database(':memory:')
  migrate(db)
  // The views' "now" (snoozes) is 10 March 2026, whatever the machine's clock says.
  store = new CacheStore(db, new ManualClock(Date.UTC(2026, 2, 10, 12)))
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

  it('a discarded optimistic reply gives the thread back the preview, time and sender of its newest real message', () => {
    const carlaSaid = message(1, 1, { body: 'Can you come Monday?' })
    store.apply(
      emptyChanges({
        threads: [
          thread(1, {
            lastMessageAt: carlaSaid.createdAt,
            lastMessagePreview: 'Can you come Monday?',
            lastMessageSenderId: ids.carla,
          }),
        ],
        messages: [carlaSaid],
      }),
    )
    const before = store.thread(uuid(1))
    const reply = message(2, 1, {
      id: uuid(7777),
      clientId: uuid(7777),
      authorId: ids.sam,
      body: 'Yes, Monday works.',
      attachments: [
        {
          id: uuid(6666),
          messageId: uuid(7777),
          projectId: ids.maple,
          name: 'plan.pdf',
          size: 10,
          contentType: 'application/pdf',
          sha256: '',
          createdAt: carlaSaid.createdAt,
        },
      ],
      seq: 0,
    })
    store.insertLocalMessage(reply, 41)
    expect(store.thread(uuid(1))?.lastMessagePreview).toBe('Yes, Monday works.')

    expect(store.removeLocalMessages(41)).toEqual([uuid(1)])
    const after = store.thread(uuid(1))
    expect(after?.lastMessagePreview).toBe('Can you come Monday?')
    expect(after?.lastMessageAt).toBe(before?.lastMessageAt)
    expect(after?.lastMessageSenderId).toBe(ids.carla)
    // Nothing of the reply is left to find: not the message, its file row or its search entry.
    expect(store.message(uuid(7777))).toBeNull()
    expect(store.db.prepare('SELECT count(*) AS n FROM attachments').get()).toEqual({ n: 0 })
    expect(
      store.db
        .prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'Monday'")
        .get(),
    ).toEqual({ n: 1 })
  })

  it('a discarded reply behind another one still waiting leaves the preview on the one waiting', () => {
    store.apply(emptyChanges({ threads: [thread(1)], messages: [message(1, 1)] }))
    const mine = (n: number, body: string) =>
      message(n, 1, { id: uuid(7000 + n), clientId: uuid(7000 + n), authorId: ids.sam, body })
    store.insertLocalMessage(mine(2, 'First answer'), 1)
    store.insertLocalMessage(mine(3, 'Second thoughts'), 2)
    store.removeLocalMessages(2)
    expect(store.thread(uuid(1))?.lastMessagePreview).toBe('First answer')
    // An internal note is labelled in the preview, as the server labels it for staff.
    store.insertLocalMessage({ ...mine(4, 'Call the plumber'), internal: true }, 3)
    store.removeLocalMessages(1)
    expect(store.thread(uuid(1))?.lastMessagePreview).toBe('Internal note: Call the plumber')
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
    // A screen that still holds the old id finds the thread by it.
    expect(store.threadIdForClientId(localId)).toBe(uuid(7))
    expect(store.threadIdForClientId(uuid(9999))).toBeNull()
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
        .all({ now: new Date(store.clock.now()).toISOString(), me: ids.sam }) as {
        detail: string
      }[]
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

describe('marked unread on this desktop', () => {
  const read = (messageN: number, threadN: number, seq: number) => ({
    messageId: uuid(1000 + messageN),
    threadId: uuid(threadN),
    userId: ids.sam,
    readAt: '2026-03-01T11:00:00.000Z',
    seq,
  })
  const unreadList = () => store.listThreads('unread', undefined, 0, 50).threads.map((t) => t.id)

  beforeEach(() => {
    // Thread 1 read, thread 2 with two unread customer messages, thread 3 only Sam's own message.
    store.apply(
      emptyChanges({
        threads: [thread(1), thread(2), thread(3)],
        messages: [
          message(1, 1),
          message(2, 2),
          message(3, 2),
          message(4, 3, { authorId: ids.sam }),
        ],
        reads: [read(1, 1, 3000)],
      }),
    )
  })

  it('counts a read thread as 1 unread in the thread, the unread view, its count and the badge', () => {
    expect(store.thread(uuid(1))?.unreadCount).toBe(0)
    expect(store.viewCounts().views.unread).toBe(1)
    expect(store.unreadTotal()).toBe(2)

    expect(store.markUnread([uuid(1), uuid(9999)])).toEqual([uuid(1)])
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
    expect(unreadList()).toContain(uuid(1))
    expect(store.viewCounts().views.unread).toBe(2)
    expect(store.listThreads('unread', undefined, 0, 50).total).toBe(2)
    expect(store.unreadTotal()).toBe(3)
  })

  it('adds nothing to a thread that has unread messages already, and clearing leaves them', () => {
    store.markUnread([uuid(2)])
    expect(store.thread(uuid(2))?.unreadCount).toBe(2)
    expect(store.clearUnreadMarks([uuid(2)])).toEqual([uuid(2)])
    expect(store.thread(uuid(2))?.unreadCount).toBe(2)
  })

  it('is cleared by opening (clearUnreadMarks) and nothing else of the sort is touched', () => {
    store.markUnread([uuid(1)])
    expect(store.clearUnreadMarks([uuid(1), uuid(2), uuid(1)])).toEqual([uuid(1)])
    expect(store.thread(uuid(1))?.unreadCount).toBe(0)
    expect(unreadList()).not.toContain(uuid(1))
    expect(store.unreadTotal()).toBe(2)
    // A second clear finds nothing to clear: no event for the UI.
    expect(store.clearUnreadMarks([uuid(1)])).toEqual([])
  })

  it('is cleared when any message of the thread is read, even one of mine', () => {
    store.markUnread([uuid(1), uuid(3)])
    expect(store.thread(uuid(3))?.unreadCount).toBe(1)
    expect(store.clearUnreadMarksOfMessages([uuid(1004), uuid(424242)])).toEqual([uuid(3)])
    expect(store.thread(uuid(3))?.unreadCount).toBe(0)
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
  })

  it('survives changes from the server: a thread update, a new message and its read mark', () => {
    store.markUnread([uuid(1)])
    store.apply(emptyChanges({ threads: [thread(1, { subject: 'Renamed', seq: 900 })] }))
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
    store.apply(emptyChanges({ messages: [message(5, 1)] }))
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
    store.apply(emptyChanges({ messages: [message(6, 1)] }))
    expect(store.thread(uuid(1))?.unreadCount).toBe(2)
    // Read elsewhere (the web page, another desktop): the mark made here stays until opened here.
    store.apply(emptyChanges({ reads: [read(5, 1, 3001), read(6, 1, 3002)] }))
    expect(store.thread(uuid(1))?.unreadCount).toBe(1)
    store.clearUnreadMarks([uuid(1)])
    expect(store.thread(uuid(1))?.unreadCount).toBe(0)
  })

  it('goes with the thread when access to it is lost, and is wiped on sign-out', () => {
    store.markUnread([uuid(1), uuid(3)])
    store.apply(emptyChanges({ removedThreadIds: [uuid(1)] }))
    expect(store.thread(uuid(1))).toBeNull()
    // Access back: the thread returns as the server has it, without the old mark.
    store.apply(
      emptyChanges({
        threads: [thread(1, { seq: 999 })],
        messages: [message(1, 1)],
        reads: [read(1, 1, 3000)],
      }),
    )
    expect(store.thread(uuid(1))?.unreadCount).toBe(0)
    expect(store.unreadTotal()).toBe(3)
    store.wipe()
    expect(store.unreadTotal()).toBe(0)
  })

  it('a thread created offline keeps its mark and its draft when the server copy takes its place', () => {
    const localId = uuid(4242)
    store.insertLocalThread(
      thread(0, { id: localId, clientId: localId, createdById: ids.sam, seq: 0 }),
    )
    store.markUnread([localId])
    store.saveDraft({ key: localId, body: 'Follow-up', internal: false })
    store.apply(emptyChanges({ threads: [thread(7, { clientId: localId, createdById: ids.sam })] }))
    expect(store.thread(localId)).toBeNull()
    expect(store.thread(uuid(7))?.unreadCount).toBe(1)
    expect(store.getDraft(localId)).toBeNull()
    expect(store.getDraft(uuid(7))?.body).toBe('Follow-up')
  })
})

describe('drafts', () => {
  it('keeps the newest version of each draft, with when it was saved', () => {
    expect(store.getDraft('new')).toBeNull()
    const saved = store.saveDraft(
      { key: 'new', body: 'Hello', internal: false, subject: 'Tiles', projectId: ids.maple },
      '2026-03-01T10:00:00.000Z',
    )
    expect(saved).toEqual({
      key: 'new',
      body: 'Hello',
      internal: false,
      subject: 'Tiles',
      projectId: ids.maple,
      updatedAt: '2026-03-01T10:00:00.000Z',
    })
    expect(store.getDraft('new')).toEqual(saved)
    store.saveDraft(
      { key: uuid(1), body: 'Note for Tess', internal: true },
      '2026-03-01T10:05:00.000Z',
    )
    store.saveDraft(
      { key: 'new', body: 'Hello again', internal: false },
      '2026-03-01T10:06:00.000Z',
    )
    expect(store.getDraft('new')).toEqual({
      key: 'new',
      body: 'Hello again',
      internal: false,
      updatedAt: '2026-03-01T10:06:00.000Z',
    })
    expect(store.getDraft(uuid(1))).toMatchObject({ body: 'Note for Tess', internal: true })
  })

  it('deletes a draft saved with nothing in it, keeps one with only a subject', () => {
    store.saveDraft({ key: 'new', body: 'Hello', internal: false })
    store.saveDraft({ key: 'new', body: '  \n', internal: false, subject: ' ' })
    expect(store.getDraft('new')).toBeNull()
    store.saveDraft({ key: 'new', body: '', internal: false, subject: 'Only a subject' })
    expect(store.getDraft('new')?.subject).toBe('Only a subject')
    store.deleteDraft('new')
    expect(store.getDraft('new')).toBeNull()
  })

  it('are wiped on sign-out and dropped with a thread the user lost access to', () => {
    store.apply(emptyChanges({ threads: [thread(1)] }))
    store.saveDraft({ key: uuid(1), body: 'Reply', internal: false })
    store.saveDraft({ key: 'new', body: 'New', internal: false })
    store.apply(emptyChanges({ removedThreadIds: [uuid(1)] }))
    expect(store.getDraft(uuid(1))).toBeNull()
    expect(store.getDraft('new')).not.toBeNull()
    store.wipe()
    expect(store.getDraft('new')).toBeNull()
  })
})
