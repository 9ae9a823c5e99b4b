import { beforeEach, describe, expect, it } from 'vitest'
import { ids, signedInStore, uuid } from './fixtures'
import type { CacheStore } from './store'

let store: CacheStore
beforeEach(() => {
  store = signedInStore()
})

const reply = (threadN: number) => ({
  write: {
    kind: 'reply' as const,
    payload: {
      threadId: uuid(threadN),
      projectId: ids.maple,
      clientId: uuid(5000 + threadN),
      body: 'On my way',
      internal: false,
      urgent: false,
      stagedFileIds: [],
    },
  },
  threadId: uuid(threadN),
  clientId: uuid(5000 + threadN),
  summary: 'Reply',
  seenLastCustomerAt: null,
  createdAt: '2026-03-10T12:00:00.000Z',
})

describe('the outbox table', () => {
  it('gives back each entry with its payload checked against its kind', () => {
    const id = store.outbox.insertOutboxEntry(reply(1))
    const due = store.outbox.nextDueEntry('2026-03-10T12:00:00.000Z', [])
    expect(due).toMatchObject({ id, kind: 'reply', payload: { body: 'On my way' } })
    expect(store.outbox.nextDueEntry('2026-03-10T12:00:00.000Z', ['reply'])).toBeNull()
  })

  it('fails an entry whose payload does not read, and goes on to the next one', () => {
    const broken = store.outbox.insertOutboxEntry(reply(1))
    const good = store.outbox.insertOutboxEntry(reply(2))
    store.db.prepare('UPDATE outbox SET payload = ? WHERE id = ?').run('{"threadId": 7}', broken)
    expect(store.outbox.nextDueEntry('2026-03-10T12:00:00.000Z', [])?.id).toBe(good)
    expect(store.outbox.listOutbox().find((e) => e.id === broken)).toMatchObject({
      state: 'failed',
      errorCode: 'INVALID_INPUT',
    })
    expect(store.outbox.outboxEntry(broken)).toBe('unreadable')
    expect(store.outbox.outboxEntryHead(broken)).toEqual({
      id: broken,
      kind: 'reply',
      threadId: uuid(1),
    })
  })

  it('moves the entries of a thread created offline to its server id, payloads included', () => {
    const id = store.outbox.insertOutboxEntry(reply(1))
    store.outbox.moveEntriesToThread(uuid(1), uuid(9))
    const entry = store.outbox.outboxEntry(id)
    expect(entry !== 'unreadable' && entry?.threadId).toBe(uuid(9))
    expect(entry !== 'unreadable' && entry?.kind === 'reply' && entry.payload.threadId).toBe(
      uuid(9),
    )
  })
})
