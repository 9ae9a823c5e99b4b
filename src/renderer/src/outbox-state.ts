// What an outbox entry's state means for the person, in one place for the inbox row, the message
// in the thread and the Outbox screen: each says the same true thing. "Sending" is said only
// while a request is on its way; an entry that waits for the network, failed or is held says so.
import type { ConnectionState, OutboxEntry } from '../../shared/ipc'
import { asSentence } from './format'

export interface OutboxLook {
  /** A few words for a badge: "Failed", "Waiting for connection". */
  label: string
  color: string
  /** The whole truth, as a sentence: "Failed: The message is 30,000 characters; …". */
  detail: string
  /** Higher is more pressing: a thread's row shows its most pressing entry. */
  weight: number
}

export function outboxLook(entry: OutboxEntry, connection: ConnectionState): OutboxLook {
  switch (entry.state) {
    case 'failed':
      return {
        label: 'Failed',
        color: 'red',
        detail: `Failed: ${asSentence(entry.error ?? 'the portal server refused it')} Edit, retry or discard it in the outbox.`,
        weight: 5,
      }
    case 'held':
      return {
        label: 'Held',
        color: 'orange',
        detail: `Held: ${asSentence(entry.error ?? 'customers wrote after you wrote this')}`,
        weight: 4,
      }
    case 'sending':
      return { label: 'Sending', color: 'blue', detail: 'Sending…', weight: 1 }
    case 'pending':
      // The outbox sends only while online: offline, connecting or with the server failing,
      // nothing goes, whatever the entry's own history.
      if (connection !== 'online')
        return {
          label: 'Waiting for connection',
          color: 'gray',
          detail: 'Waiting for the connection: it goes by itself when the portal server is back.',
          weight: 3,
        }
      if (entry.attempts > 0 && entry.error)
        return {
          label: 'Retrying',
          color: 'yellow',
          detail: `Not sent yet: ${asSentence(entry.error)} Portal Inbox tries again by itself.`,
          weight: 2,
        }
      return { label: 'Waiting to send', color: 'gray', detail: 'Waiting to send.', weight: 0 }
  }
}

/** The most pressing state among a thread's outbox entries; null when none is waiting. */
export function threadOutboxLook(
  entries: readonly OutboxEntry[] | undefined,
  connection: ConnectionState,
): OutboxLook | null {
  let worst: OutboxLook | null = null
  for (const entry of entries ?? []) {
    const look = outboxLook(entry, connection)
    if (!worst || look.weight > worst.weight) worst = look
  }
  return worst
}

/** The outbox's entries by thread, for the rows of the inbox list. */
export function outboxByThread(outbox: readonly OutboxEntry[]): Map<string, OutboxEntry[]> {
  const byThread = new Map<string, OutboxEntry[]>()
  for (const entry of outbox) {
    if (!entry.threadId) continue
    const list = byThread.get(entry.threadId) ?? []
    list.push(entry)
    byThread.set(entry.threadId, list)
  }
  return byThread
}

/** "2 changes wait in the outbox.": the banner's count, from the same list the Outbox badge counts. */
export function outboxWaiting(count: number): string | null {
  if (!count) return null
  return `${count} ${count === 1 ? 'change waits' : 'changes wait'} in the outbox.`
}
