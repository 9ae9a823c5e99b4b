import type { Database } from 'better-sqlite3'
import { InboxView, type InboxThread } from '../../../shared/ipc'
import { staffThreadFromRow } from '../../../shared/stored-rows'
import { namesAndRoles } from './directory'
import { parseIds, prepared } from './statements'
import type { ThreadRow } from './threads'

/** The inbox's reads: the views, their counts, one thread, the badge. */

type InboxRow = ThreadRow & { project_name: string | null; pending: number }

const inboxColumns = `SELECT t.*, p.name AS project_name, EXISTS (SELECT 1 FROM outbox o WHERE o.thread_id = t.id) AS pending
  FROM threads t LEFT JOIN projects p ON p.id = t.project_id`

/**
 * The WHERE clause of each inbox view. Closed and snoozed threads leave the working views, except
 * "Assigned to me": it is the person's own list of what they hold, and a snoozed thread is still
 * theirs (the row says it is snoozed), as on the server (ThreadRepository.list).
 */
export function viewFilter(
  view: InboxView,
  now: string,
  me: string,
): { sql: string; params: { now: string; me: string } } {
  const awake = '(t.snoozed_until IS NULL OR t.snoozed_until <= @now)'
  const params = { now, me }
  switch (view) {
    case 'all':
      return { sql: `t.status != 'closed' AND ${awake}`, params }
    case 'unread':
      // Includes threads marked unread here: unread >= marked_unread (see recountUnread).
      return { sql: `t.unread > 0 AND ${awake}`, params }
    case 'urgent':
      return { sql: `t.urgent = 1 AND t.status != 'closed' AND ${awake}`, params }
    case 'assigned':
      return { sql: `t.assignee_id = @me AND t.status != 'closed'`, params }
    case 'waiting':
      // Waiting on us: a customer waits and the thread is open. One the team set waiting on
      // the customer (or closed) is not waiting on the team, whatever a customer wrote before;
      // reopened, it waits again since that message. The unary plus keeps SQLite on the
      // partial index of waiting threads instead of walking every open one (threads_status_last).
      return { sql: `t.waiting_since IS NOT NULL AND +t.status = 'open' AND ${awake}`, params }
    case 'snoozed':
      return { sql: 't.snoozed_until > @now', params }
    case 'closed':
      return { sql: "t.status = 'closed'", params }
  }
}

export interface ThreadListQuery {
  view: InboxView
  projectId: string | undefined
  offset: number
  limit: number
  now: string
  me: string
}

export function listThreads(
  db: Database,
  q: ThreadListQuery,
): { threads: InboxThread[]; total: number } {
  const filter = viewFilter(q.view, q.now, q.me)
  const where = `${filter.sql}${q.projectId ? ' AND t.project_id = @project' : ''}`
  const rows = prepared<object, InboxRow>(
    db,
    `${inboxColumns} WHERE ${where} ORDER BY t.last_at DESC, t.id DESC LIMIT @limit OFFSET @offset`,
  ).all({ ...filter.params, project: q.projectId, limit: q.limit, offset: q.offset })
  return { threads: toInboxThreads(db, rows), total: countView(db, q) }
}

/**
 * How many threads a view holds. The page itself walks an index and stops after `limit` rows,
 * but a count visits every row its filter leaves, and the 'all' view leaves nearly all of
 * them: 30–40 ms at 100k threads, for every page. So 'all' is counted as its complement, all
 * threads less the closed ones less the open ones snoozed past `now`, each of which an index
 * answers (threads_status_last, threads_snoozed): under 1 ms (scripts/bench.ts,
 * `inbox.page_p95_ms`).
 */
export function countView(
  db: Database,
  q: Pick<ThreadListQuery, 'view' | 'projectId' | 'now' | 'me'>,
): number {
  if (q.view === 'all' && !q.projectId) {
    return (
      prepared<{ now: string }, { n: number }>(
        db,
        `SELECT (SELECT count(*) FROM threads) - (SELECT count(*) FROM threads WHERE status = 'closed')
        - (SELECT count(*) FROM threads WHERE snoozed_until > @now AND status != 'closed') AS n`,
      ).get({ now: q.now })?.n ?? 0
    )
  }
  const filter = viewFilter(q.view, q.now, q.me)
  const where = `${filter.sql}${q.projectId ? ' AND t.project_id = @project' : ''}`
  return (
    prepared<object, { n: number }>(db, `SELECT count(*) AS n FROM threads t WHERE ${where}`).get({
      ...filter.params,
      project: q.projectId,
    })?.n ?? 0
  )
}

export function viewCounts(
  db: Database,
  now: string,
  me: string,
): { views: Record<InboxView, number>; projects: Record<string, number> } {
  const views = {} as Record<InboxView, number>
  for (const view of InboxView.options)
    views[view] = countView(db, { view, projectId: undefined, now, me })
  const all = viewFilter('all', now, me)
  const projects: Record<string, number> = {}
  for (const row of prepared<object, { project_id: string; n: number }>(
    db,
    `SELECT t.project_id, count(*) AS n FROM threads t WHERE ${all.sql} GROUP BY t.project_id`,
  ).all(all.params))
    projects[row.project_id] = row.n
  return { views, projects }
}

export function inboxThread(db: Database, threadId: string): InboxThread | null {
  const row = prepared<[string], InboxRow>(db, `${inboxColumns} WHERE t.id = ?`).get(threadId)
  return row ? (toInboxThreads(db, [row])[0] ?? null) : null
}

/**
 * A thread written here offline had its client id as its id until the server's copy arrived;
 * a screen still holding the old id finds the thread by it. Only asked after a miss, so the
 * scan (client_id has no index) never runs on the common path.
 */
export function threadIdForClientId(db: Database, clientId: string, me: string): string | null {
  return (
    prepared<[string, string], { id: string }>(
      db,
      'SELECT id FROM threads WHERE client_id = ? AND created_by = ?',
    ).get(clientId, me)?.id ?? null
  )
}

/**
 * The badge count, after every applied batch. `unread > 0` adds nothing to the sum but lets the
 * partial index threads_unread_last list just the unread threads: a scan of every thread was
 * 30 ms at 100k threads, for each live message. Threads marked unread on this desktop are in it
 * too: their mark is folded into `unread` (migration 004), not tested by a second condition.
 */
export function unreadTotal(db: Database): number {
  return (
    prepared<[], { n: number }>(
      db,
      "SELECT coalesce(sum(unread), 0) AS n FROM threads WHERE unread > 0 AND status != 'closed'",
    ).get()?.n ?? 0
  )
}

function toInboxThreads(db: Database, rows: InboxRow[]): InboxThread[] {
  const people = namesAndRoles(db, new Set(rows.flatMap((r) => parseIds(r.participant_ids))))
  return rows.map((r) => {
    const participantIds = parseIds(r.participant_ids)
    return {
      ...staffThreadFromRow(r, participantIds),
      unreadCount: r.unread,
      projectName: r.project_name ?? '',
      customerNames: participantIds
        .map((id) => people.get(id))
        .filter((p): p is { name: string; role: string } => p?.role === 'customer')
        .map((p) => p.name),
      pending: r.pending === 1,
    }
  })
}
