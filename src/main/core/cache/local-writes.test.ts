import { beforeEach, describe, expect, it } from 'vitest'
import { emptyChanges, ids, message, signedInStore, thread, uuid } from './fixtures'
import type { CacheStore } from './store'

let store: CacheStore
beforeEach(() => {
  store = signedInStore()
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
