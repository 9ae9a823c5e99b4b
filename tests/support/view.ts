import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { Api } from './api'

/**
 * What one person may see, reduced to what a fault suite compares: for each visible thread, its
 * messages in display order as (id, body). An engine's cache and the server's answer to the same
 * person must reduce to the same view once sync has caught up.
 */
export type View = { threadId: string; messages: [id: string, body: string][] }[]

export function hashView(view: View): string {
  const sorted = [...view].sort((a, b) => (a.threadId < b.threadId ? -1 : 1))
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex')
}

/** The view held in an engine's cache: every cached thread, its messages in the cache's order. */
export function cacheView(db: Database): View {
  const threads = db.prepare('SELECT id FROM threads').all() as { id: string }[]
  const messages = db.prepare('SELECT id, body FROM messages WHERE thread_id = ? ORDER BY pk')
  return threads.map(({ id }) => ({
    threadId: id,
    messages: (messages.all(id) as { id: string; body: string }[]).map(
      (m) => [m.id, m.body] as [string, string],
    ),
  }))
}

export interface FeedMessage {
  id: string
  threadId: string
  authorId: string
  clientId: string
  body: string
  seq: number
  createdAt: string
}
export interface FeedThread {
  id: string
  clientId: string
  projectId: string
  subject: string
}

/** What the change feed has given a person so far, and where to continue. */
export interface Feed {
  threads: Map<string, FeedThread>
  messages: Map<string, FeedMessage>
  cursor: number
}

/**
 * Pulls the change feed after `feed.cursor` and merges it, the way an engine applies it: removed
 * threads go first, then rows are upserted by id keeping the higher seq. From an empty feed this
 * is everything the person may see, what a fresh engine would download.
 */
export async function pullFeed(
  api: Api,
  feed: Feed = { threads: new Map(), messages: new Map(), cursor: 0 },
): Promise<Feed> {
  for (let page = 0; page < 1000; page++) {
    const res = await api.get(`/changes?after=${feed.cursor}&limit=5000`)
    if (res.status !== 200)
      throw new Error(`GET /changes: ${res.status} ${JSON.stringify(res.body)}`)
    const body = res.body as {
      changes: { threads: FeedThread[]; messages: FeedMessage[]; removedThreadIds: string[] }
      cursor: number
      hasMore: boolean
    }
    for (const id of body.changes.removedThreadIds) {
      feed.threads.delete(id)
      for (const [mid, m] of feed.messages) if (m.threadId === id) feed.messages.delete(mid)
    }
    for (const t of body.changes.threads) feed.threads.set(t.id, t)
    for (const m of body.changes.messages) {
      const old = feed.messages.get(m.id)
      if (!old || old.seq <= m.seq) feed.messages.set(m.id, m)
    }
    feed.cursor = body.cursor
    if (!body.hasMore) break
  }
  return feed
}

/** Everything the change feed gives a person from cursor 0. */
export async function readFeed(
  api: Api,
): Promise<{ threads: FeedThread[]; messages: FeedMessage[]; cursor: number }> {
  const feed = await pullFeed(api)
  return {
    threads: [...feed.threads.values()],
    messages: [...feed.messages.values()],
    cursor: feed.cursor,
  }
}

/**
 * The server's view for a person. Within a thread the server orders messages by when they were
 * committed, which is also seq order (seqs are taken inside the writing transaction).
 */
export function feedView(feed: {
  threads: Iterable<FeedThread>
  messages: Iterable<FeedMessage>
}): View {
  const byThread = new Map<string, FeedMessage[]>()
  for (const t of feed.threads) byThread.set(t.id, [])
  for (const m of feed.messages) byThread.get(m.threadId)?.push(m)
  return [...byThread].map(([threadId, list]) => ({
    threadId,
    messages: list.sort((a, b) => a.seq - b.seq).map((m) => [m.id, m.body] as [string, string]),
  }))
}

/** Where two views differ, in a few lines for a failure message. */
export function diffViews(engine: View, server: View, max = 8): string[] {
  const lines: string[] = []
  const s = new Map(server.map((t) => [t.threadId, t.messages]))
  const e = new Map(engine.map((t) => [t.threadId, t.messages]))
  for (const [id, list] of e) {
    if (!s.has(id)) lines.push(`thread ${id} only in the cache (${list.length} messages)`)
  }
  for (const [id, list] of s) {
    const mine = e.get(id)
    if (!mine) {
      lines.push(`thread ${id} missing from the cache (${list.length} messages)`)
      continue
    }
    const a = JSON.stringify(mine)
    if (a === JSON.stringify(list)) continue
    const serverIds = new Set(list.map((m) => m[0]))
    const cacheIds = new Set(mine.map((m) => m[0]))
    const missing = list.filter((m) => !cacheIds.has(m[0])).map((m) => m[1])
    const extra = mine.filter((m) => !serverIds.has(m[0])).map((m) => m[1])
    lines.push(
      `thread ${id}: cache ${mine.length} vs server ${list.length} messages; missing ${JSON.stringify(missing.slice(0, 3))}, extra ${JSON.stringify(extra.slice(0, 3))}${missing.length || extra.length ? '' : ', same messages in another order'}`,
    )
  }
  return lines.slice(0, max)
}
