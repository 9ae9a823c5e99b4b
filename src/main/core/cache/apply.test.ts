import { beforeEach, describe, expect, it } from 'vitest'
import { emptyChanges, ids, message, signedInStore, thread, uuid } from './fixtures'
import { messageKey } from './messages'
import type { CacheStore } from './store'

/** How many search entries match a word (the full-text index, as a search would see it). */
const searchEntries = (word: string) =>
  store.db
    .prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '${word}'`)
    .get()

let store: CacheStore
beforeEach(() => {
  store = signedInStore()
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
    expect(searchEntries('Monday')).toEqual({ n: 1 })
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
    expect(searchEntries('secretword')).toEqual({ n: 0 })
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
