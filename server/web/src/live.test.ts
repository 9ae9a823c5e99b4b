import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import type { Message, Person, Thread } from '../../../src/shared/protocol'
import { applyPush, keysToInvalidate } from './live'
import { keys } from './queries'

const A = '00000000-0000-4000-8000-00000000000a'
const B = '00000000-0000-4000-8000-00000000000b'
const CUSTOMER = '00000000-0000-4000-8000-0000000000c1'
const STAFF = '00000000-0000-4000-8000-0000000000c2'
const AT = '2026-03-02T10:00:00.000Z'

const thread = (id: string, participantIds = [CUSTOMER, STAFF]): Thread => ({
  id,
  clientId: id,
  projectId: '00000000-0000-4000-8000-0000000000f1',
  subject: 'Basement',
  status: 'open',
  assigneeId: null,
  snoozedUntil: null,
  waitingSince: null,
  urgent: false,
  createdById: CUSTOMER,
  createdAt: AT,
  lastMessageAt: AT,
  lastMessagePreview: 'Water',
  lastMessageSenderId: participantIds[0] ?? CUSTOMER,
  participantIds,
  seq: 1,
})

const message = (threadId: string, authorId = STAFF): Message => ({
  id: '00000000-0000-4000-8000-0000000000e1',
  threadId,
  projectId: '00000000-0000-4000-8000-0000000000f1',
  authorId,
  clientId: '00000000-0000-4000-8000-0000000000e2',
  body: 'On our way',
  internal: false,
  urgent: false,
  createdAt: AT,
  attachments: [],
  seq: 2,
})

const known = new Map(
  [CUSTOMER, STAFF].map((id) => [id, { id } as Pick<Person, 'id'> as Person] as const),
)

describe('the live bridge', () => {
  it('reloads the list and the one thread a message push names, not the others', () => {
    const out = keysToInvalidate({ messages: [message(A)] }, known)
    expect(out).toEqual([keys.threads, keys.thread(A), keys.messages(A)])
  })

  it('reloads the people when a push names someone the page does not know', () => {
    const guest = '00000000-0000-4000-8000-0000000000c3'
    expect(keysToInvalidate({ threads: [thread(A, [CUSTOMER, guest])] }, known)).toContainEqual(
      keys.people,
    )
    expect(keysToInvalidate({ messages: [message(A, guest)] }, known)).toContainEqual(keys.people)
    expect(keysToInvalidate({ threads: [thread(A)] }, known)).not.toContainEqual(keys.people)
  })

  it('reloads a removed thread and the list, and nothing for a push that names nothing', () => {
    expect(keysToInvalidate({ removedThreadIds: [B] }, known)).toEqual([
      keys.threads,
      keys.thread(B),
      keys.messages(B),
    ])
    expect(keysToInvalidate({ projects: [] }, known)).toEqual([])
  })

  it('marks only the named thread stale in a real query cache', async () => {
    const client = new QueryClient()
    client.setQueryData(keys.messages(A), { messages: [] })
    client.setQueryData(keys.messages(B), { messages: [] })
    client.setQueryData(keys.threads, { threads: [] })
    await applyPush(
      client,
      { reads: [{ messageId: A, threadId: A, userId: CUSTOMER, readAt: AT, seq: 3 }] },
      known,
    )
    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated
    expect(stale(keys.messages(A))).toBe(true)
    expect(stale(keys.threads)).toBe(true)
    expect(stale(keys.messages(B))).toBe(false)
  })
})
