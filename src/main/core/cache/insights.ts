import type { Database } from 'better-sqlite3'
import type { Insights } from '../../../shared/ipc'

/**
 * Insights from the local cache, so they work offline: messages per day by side, first-response
 * times overall, per project and per staff member, and what waits for a staff answer now.
 *
 * Days are local days of this computer (the time zone the person reads the chart in), as
 * YYYY-MM-DD. The range is whole days: `from` is local midnight `days - 1` days before today and
 * `to` the local midnight that ends today, so `days: 1` is today and messagesPerDay always has
 * `days` entries (including a 23- or 25-hour day when daylight saving time changes).
 *
 * Speed: every message query is restricted to a range of messages.pk, the table's own rowid,
 * which is the creation time in ms × 1024 plus a few bits (messageKey): a range scan of the table
 * in creation order, with no index to add. The work goes day by day (one pk range each), so no
 * statement sorts the whole range, and between days the engine's thread is handed back (every
 * 15 ms of work) so sync and other calls go on while a long range is counted. On a cache of 1M
 * messages in 100k threads over two years (scripts/bench/cache-data.ts), on a busy 2-core
 * machine: 35–50 ms for 7 days, 0.23–0.35 s for 30 days, 0.6–0.9 s for 90 days and 2.3–3.3 s
 * for a year (500k messages), most of it the first-response lookups (two index walks per staff
 * message); one project's year 0.2–0.4 s. The thread is held for about 20 ms at a time (p95 of the
 * stretches between yields over a year's range).
 */

/** messages.pk per ms (see messageKey). */
const PK_PER_MS = 1024
/** The staff's ids, for `author_id IN …`: SQLite builds it once per statement, with a Bloom filter. */
const STAFF_IDS = "(SELECT id FROM people WHERE role IN ('admin', 'staff'))"
/** How long one stretch of work may hold the engine's thread before it lets other work in. */
const SLICE_MS = 15

/** One local day, as a range of messages.pk, and the project asked about (or null for all). */
interface DayRange {
  fromPk: number
  toPk: number
  project: string | null
}

export interface InsightsInput {
  days: number
  projectId?: string | undefined
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export async function computeInsights(
  db: Database,
  { days, projectId }: InsightsInput,
  now: Date,
  breathe: () => Promise<void> = nextTurn,
): Promise<Insights> {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1))
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)
  // Messages still in this desktop's outbox are not counted: a failed one may never be sent.
  const inDay = `m.pk >= @fromPk AND m.pk < @toPk AND m.outbox_id IS NULL${projectId ? ' AND m.project_id = @project' : ''}`

  const staff = new Set(
    db
      .prepare<[], { id: string }>("SELECT id FROM people WHERE role IN ('admin', 'staff')")
      .all()
      .map((p) => p.id),
  )
  // Counted per project, author and kind, which also gives the day's two sides.
  const groupsOfDay = db.prepare<
    DayRange,
    { project_id: string; author_id: string; internal: number; n: number }
  >(
    `SELECT m.project_id, m.author_id, m.internal, count(*) AS n FROM messages m WHERE ${inDay}
    GROUP BY m.project_id, m.author_id, m.internal`,
  )
  // First responses: for each public staff message, the newest public staff message before it in
  // its thread (an index seek on messages_thread, walking back), then the first customer message
  // after that one. Internal notes neither end a wait nor start one. The wait may have begun
  // before the range; the answer is what falls in it. (`+m.author_id` keeps SQLite on the pk
  // range instead of walking every staff message through the author index.)
  const responsesOfDay = db.prepare<
    DayRange,
    { author_id: string; project_id: string; created_at: string; wait_started_at: string }
  >(
    `SELECT * FROM (SELECT m.author_id, m.project_id, m.created_at,
      (SELECT c.created_at FROM messages c
        WHERE c.thread_id = m.thread_id AND c.pk < m.pk AND c.internal = 0 AND c.outbox_id IS NULL
          AND +c.author_id NOT IN ${STAFF_IDS}
          AND c.pk > coalesce((SELECT x.pk FROM messages x
            WHERE x.thread_id = m.thread_id AND x.pk < m.pk AND x.internal = 0 AND x.outbox_id IS NULL
              AND +x.author_id IN ${STAFF_IDS} ORDER BY x.pk DESC LIMIT 1), -1)
        ORDER BY c.pk LIMIT 1) AS wait_started_at
    FROM messages m WHERE ${inDay} AND m.internal = 0 AND +m.author_id IN ${STAFF_IDS})
    WHERE wait_started_at IS NOT NULL`,
  )

  const perDay: Insights['messagesPerDay'] = []
  const messagesByProject = new Map<string, number>()
  const repliesByStaff = new Map<string, number>()
  // First-response minutes, all of them and by project and by who answered.
  const minutes: number[] = []
  const minutesByProject = new Map<string, number[]>()
  const minutesByStaff = new Map<string, number[]>()
  let since = performance.now()
  // Day by day: a day is a range of pks, its counts need no sort of the whole range, and between
  // days the engine serves other calls and sync (a year of a big cache takes seconds; see the
  // module comment).
  for (let day = from; day < to;) {
    const next = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1)
    const params = {
      fromPk: day.getTime() * PK_PER_MS,
      toPk: next.getTime() * PK_PER_MS,
      project: projectId ?? null,
    }
    const counts = { day: dayKey(day), customer: 0, staff: 0 }
    for (const g of groupsOfDay.all(params)) {
      const byStaff = staff.has(g.author_id)
      if (byStaff || g.internal === 1) counts.staff += g.n
      else counts.customer += g.n
      messagesByProject.set(g.project_id, (messagesByProject.get(g.project_id) ?? 0) + g.n)
      if (byStaff && g.internal === 0)
        repliesByStaff.set(g.author_id, (repliesByStaff.get(g.author_id) ?? 0) + g.n)
    }
    perDay.push(counts)
    for (const r of responsesOfDay.all(params)) {
      const m = (Date.parse(r.created_at) - Date.parse(r.wait_started_at)) / 60_000
      minutes.push(m)
      push(minutesByProject, r.project_id, m)
      push(minutesByStaff, r.author_id, m)
    }
    day = next
    if (performance.now() - since > SLICE_MS) {
      await breathe()
      since = performance.now()
    }
  }
  await breathe()

  // ---- waiting now (not limited to the range) ----
  // threads_waiting_last holds just these threads; grouping by the bare columns made SQLite walk
  // threads_project_last instead, every thread in project order (150 ms against 2 ms at 100k
  // threads), hence the unary plus; the one on status keeps SQLite from walking every open thread
  // through threads_status_last.
  const waitingRows = db
    .prepare<
      { project: string | null },
      { project_id: string; assignee_id: string | null; n: number }
    >(
      `SELECT project_id, assignee_id, count(*) AS n FROM threads
      WHERE waiting_since IS NOT NULL AND +status = 'open'${projectId ? ' AND project_id = @project' : ''}
      GROUP BY +project_id, +assignee_id`,
    )
    .all({ project: projectId ?? null })
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
    ...new Set([...repliesByStaff.keys(), ...waitingByAssignee.keys(), ...minutesByStaff.keys()]),
  ]
  const projectNames = names(db, 'projects', projectIds)
  const staffNames = names(db, 'people', staffIds)

  const byProject = projectIds
    .map((id) => ({
      projectId: id,
      name: projectNames.get(id) ?? '',
      messages: messagesByProject.get(id) ?? 0,
      ...responses(id, minutesByProject, waitingByProject),
    }))
    .sort(busiestFirst((p) => p.messages))
  const byStaff = staffIds
    .map((id) => ({
      userId: id,
      name: staffNames.get(id) ?? '',
      replies: repliesByStaff.get(id) ?? 0,
      ...responses(id, minutesByStaff, waitingByAssignee),
    }))
    .sort(busiestFirst((s) => s.replies))

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    messagesPerDay: perDay,
    medianFirstResponseMinutes: median(minutes),
    waiting,
    byProject,
    byStaff,
  }
}

/** The median, the mean of the two middle values for an even count; null for none. */
/** A project's or a staff member's first-response median and the threads waiting on them. */
function responses(
  id: string,
  minutes: Map<string, number[]>,
  waiting: Map<string, number>,
): { medianFirstResponseMinutes: number | null; waiting: number } {
  return {
    medianFirstResponseMinutes: median(minutes.get(id) ?? []),
    waiting: waiting.get(id) ?? 0,
  }
}

/** Most activity first, then most waiting, then by name, so equal rows keep a stable order. */
function busiestFirst<T extends { name: string; waiting: number }>(activity: (row: T) => number) {
  return (a: T, b: T): number =>
    activity(b) - activity(a) || b.waiting - a.waiting || a.name.localeCompare(b.name)
}

export function median(values: number[]): number | null {
  if (!values.length) return null
  // A typed array sorts numerically without a comparator: 105k first responses (a year of a big
  // cache) in a few ms instead of tens.
  const sorted = Float64Array.from(values).sort()
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
      .prepare<string[], { id: string; name: string }>(
        `SELECT id, name FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk))
      result.set(row.id, row.name)
  }
  return result
}
