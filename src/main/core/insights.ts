import type { Database } from 'better-sqlite3'
import type { Insights } from '../../shared/ipc'

/**
 * Insights from the local cache, so they work offline: messages per day by side, first-response
 * times overall, per project and per staff member, and what waits for a staff answer now.
 *
 * Days are local days of this computer (the time zone the person reads the chart in), as
 * YYYY-MM-DD. The range is whole days: `from` is local midnight `days - 1` days before today and
 * `to` the local midnight that ends today, so `days: 1` is today and messagesPerDay always has
 * `days` entries (including a 23- or 25-hour day when daylight saving time changes).
 *
 * Speed: every message query is restricted by the range on messages.pk, the table's own rowid,
 * which is the creation time in ms × 1024 plus a few bits (messageKey): a range scan of the table
 * in creation order, no index to add and no row outside the range read. Messages are bucketed by
 * 15 minutes of UTC in SQL and the buckets mapped to local days here: every time zone in use is a
 * whole number of quarter hours from UTC, so a bucket never straddles a local midnight.
 */

/** messages.pk per ms (see messageKey). */
const PK_PER_MS = 1024
const BUCKET_MS = 15 * 60_000
const STAFF = "('admin', 'staff')"
/** Whether a message counts as the staff side: a staff author, or an internal note. */
const IS_STAFF = `(m.internal = 1 OR p.role IN ${STAFF})`

export interface InsightsInput {
  days: number
  projectId?: string | undefined
}

interface FirstResponse {
  authorId: string
  projectId: string
  minutes: number
}

export function computeInsights(
  db: Database,
  { days, projectId }: InsightsInput,
  now = new Date(),
): Insights {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1))
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)
  const params = {
    fromPk: from.getTime() * PK_PER_MS,
    toPk: to.getTime() * PK_PER_MS,
    project: projectId ?? null,
  }
  // Messages still in this desktop's outbox are not counted: a failed one may never be sent.
  const inRange = `m.pk >= @fromPk AND m.pk < @toPk AND m.outbox_id IS NULL${projectId ? ' AND m.project_id = @project' : ''}`

  // ---- messages per local day ----
  const days_ = new Map<string, { day: string; customer: number; staff: number }>()
  for (let d = new Date(from); d < to; d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1))
    days_.set(dayKey(d), { day: dayKey(d), customer: 0, staff: 0 })
  const buckets = db
    .prepare(
      `SELECT m.pk / ${PK_PER_MS * BUCKET_MS} AS bucket, sum(${IS_STAFF}) AS staff, count(*) AS n
      FROM messages m LEFT JOIN people p ON p.id = m.author_id WHERE ${inRange} GROUP BY bucket`,
    )
    .all(params) as { bucket: number; staff: number; n: number }[]
  for (const b of buckets) {
    const day = days_.get(dayKey(new Date(b.bucket * BUCKET_MS)))
    if (!day) continue
    day.staff += b.staff
    day.customer += b.n - b.staff
  }

  // ---- messages per project, replies per staff member ----
  const messagesByProject = new Map<string, number>()
  const repliesByStaff = new Map<string, number>()
  const groups = db
    .prepare(
      `SELECT m.project_id, m.author_id, m.internal, p.role IN ${STAFF} AS staff, count(*) AS n
      FROM messages m LEFT JOIN people p ON p.id = m.author_id WHERE ${inRange}
      GROUP BY m.project_id, m.author_id, m.internal`,
    )
    .all(params) as {
    project_id: string
    author_id: string
    internal: number
    staff: number | null
    n: number
  }[]
  for (const g of groups) {
    messagesByProject.set(g.project_id, (messagesByProject.get(g.project_id) ?? 0) + g.n)
    if (g.staff === 1 && g.internal === 0)
      repliesByStaff.set(g.author_id, (repliesByStaff.get(g.author_id) ?? 0) + g.n)
  }

  // ---- first responses: staff answers in the range that end a customer's wait ----
  // For each public staff message in the range: the newest public staff message before it in its
  // thread (an index seek on messages_thread, walking back), then the first customer message
  // after that one. Internal notes neither end a wait nor start one. The wait may have begun
  // before the range; the answer is what falls in it.
  const responses = (
    db
      .prepare(
        `SELECT m.author_id, m.project_id, m.created_at,
          (SELECT c.created_at FROM messages c LEFT JOIN people cp ON cp.id = c.author_id
            WHERE c.thread_id = m.thread_id AND c.pk < m.pk AND c.internal = 0 AND c.outbox_id IS NULL
              AND (cp.role IS NULL OR cp.role NOT IN ${STAFF})
              AND c.pk > coalesce((SELECT x.pk FROM messages x JOIN people xp ON xp.id = x.author_id
                WHERE x.thread_id = m.thread_id AND x.pk < m.pk AND x.internal = 0 AND x.outbox_id IS NULL
                  AND xp.role IN ${STAFF} ORDER BY x.pk DESC LIMIT 1), -1)
            ORDER BY c.pk LIMIT 1) AS wait_started_at
        FROM messages m JOIN people p ON p.id = m.author_id
        WHERE ${inRange} AND m.internal = 0 AND p.role IN ${STAFF}`,
      )
      .all(params) as {
      author_id: string
      project_id: string
      created_at: string
      wait_started_at: string | null
    }[]
  ).flatMap((r): FirstResponse[] =>
    r.wait_started_at === null
      ? []
      : [
          {
            authorId: r.author_id,
            projectId: r.project_id,
            minutes: (Date.parse(r.created_at) - Date.parse(r.wait_started_at)) / 60_000,
          },
        ],
  )

  // ---- waiting now (not limited to the range): threads_waiting_last holds just these ----
  const waitingRows = db
    .prepare(
      `SELECT project_id, assignee_id, count(*) AS n FROM threads
      WHERE waiting_since IS NOT NULL AND status != 'closed'${projectId ? ' AND project_id = @project' : ''}
      GROUP BY project_id, assignee_id`,
    )
    .all({ project: projectId ?? null }) as {
    project_id: string
    assignee_id: string | null
    n: number
  }[]
  const waitingByProject = new Map<string, number>()
  const waitingByAssignee = new Map<string, number>()
  let waiting = 0
  for (const w of waitingRows) {
    waiting += w.n
    waitingByProject.set(w.project_id, (waitingByProject.get(w.project_id) ?? 0) + w.n)
    if (w.assignee_id)
      waitingByAssignee.set(w.assignee_id, (waitingByAssignee.get(w.assignee_id) ?? 0) + w.n)
  }

  // ---- names ----
  const projectIds = [...new Set([...messagesByProject.keys(), ...waitingByProject.keys()])]
  const staffIds = [
    ...new Set([
      ...repliesByStaff.keys(),
      ...waitingByAssignee.keys(),
      ...responses.map((r) => r.authorId),
    ]),
  ]
  const projectNames = names(db, 'projects', projectIds)
  const staffNames = names(db, 'people', staffIds)

  const minutesByProject = new Map<string, number[]>()
  const minutesByStaff = new Map<string, number[]>()
  for (const r of responses) {
    push(minutesByProject, r.projectId, r.minutes)
    push(minutesByStaff, r.authorId, r.minutes)
  }

  const byProject = projectIds
    .map((id) => ({
      projectId: id,
      name: projectNames.get(id) ?? '',
      messages: messagesByProject.get(id) ?? 0,
      medianFirstResponseMinutes: median(minutesByProject.get(id) ?? []),
      waiting: waitingByProject.get(id) ?? 0,
    }))
    .sort(
      (a, b) => b.messages - a.messages || b.waiting - a.waiting || a.name.localeCompare(b.name),
    )
  const byStaff = staffIds
    .map((id) => ({
      userId: id,
      name: staffNames.get(id) ?? '',
      replies: repliesByStaff.get(id) ?? 0,
      medianFirstResponseMinutes: median(minutesByStaff.get(id) ?? []),
      waiting: waitingByAssignee.get(id) ?? 0,
    }))
    .sort((a, b) => b.replies - a.replies || b.waiting - a.waiting || a.name.localeCompare(b.name))

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    messagesPerDay: [...days_.values()],
    medianFirstResponseMinutes: median(responses.map((r) => r.minutes)),
    waiting,
    byProject,
    byStaff,
  }
}

/** The median, the mean of the two middle values for an even count; null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** YYYY-MM-DD of a moment, in this computer's time zone. */
function dayKey(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

function names(db: Database, table: 'projects' | 'people', ids: string[]): Map<string, string> {
  const result = new Map<string, string>()
  // In chunks: SQLite binds at most 32766 parameters.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    for (const row of db
      .prepare(`SELECT id, name FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')})`)
      .all(...chunk) as { id: string; name: string }[])
      result.set(row.id, row.name)
  }
  return result
}
