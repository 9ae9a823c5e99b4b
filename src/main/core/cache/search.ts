import type { Database } from 'better-sqlite3'
import type { SearchHitLocal } from '../../../shared/ipc'
import {
  isEmptySearch,
  parseSearch,
  SNIPPET_CLOSE,
  SNIPPET_OPEN,
  splitSnippet,
  toFtsMatch,
} from '../../../shared/search-query'

/** A message found, with what its hit shows. */
interface HitRow {
  pk: number
  id: string
  thread_id: string
  body: string
  created_at: string
  subject: string | null
  project_name: string
  author_name: string
}

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * Search of the local cache, offline. FTS5 yields matching rowids newest first (messages.pk is
 * creation-ordered), the operator filters run on the real tables, the walk stops at `limit`, and
 * snippet() runs only for the rows returned.
 *
 * The snippet is computed in the walk itself. It used to be a second query, `MATCH ? AND rowid
 * IN (…)`, but FTS5 answers that by re-opening the term's doclist for every listed rowid: 2 ms
 * for a rare word and 11–13 ms for words in 1–10% of messages at 1M messages, where the walk with
 * its snippets now takes 0.4–0.9 ms and the whole search about 1 ms (scripts/bench.ts,
 * `search.p95_ms.*`).
 */
export function searchCache(
  db: Database,
  me: string,
  input: string,
  limit: number,
): SearchHitLocal[] {
  const q = parseSearch(input)
  if (isEmptySearch(q)) return []
  const match = toFtsMatch(q.terms)
  const where: string[] = []
  const params: unknown[] = []
  for (const name of q.from) {
    where.push("m.author_id IN (SELECT id FROM people WHERE name LIKE ? ESCAPE '\\')")
    params.push(like(name))
  }
  for (const name of q.project) {
    where.push("m.project_id IN (SELECT id FROM projects WHERE name LIKE ? ESCAPE '\\')")
    params.push(like(name))
  }
  if (q.after) {
    where.push('m.created_at >= ?')
    params.push(`${q.after}T00:00:00.000Z`)
  }
  if (q.before) {
    where.push('m.created_at < ?')
    params.push(`${q.before}T00:00:00.000Z`)
  }
  if (q.hasAttachment) where.push('EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id)')
  if (q.isUrgent) where.push('m.urgent = 1')
  if (q.isUnread) {
    where.push(
      'm.author_id != ? AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.message_id = m.id AND r.user_id = ?)',
    )
    params.push(me, me)
  }
  const filters = where.length ? ` AND ${where.join(' AND ')}` : ''
  // CROSS JOIN pins FTS5 as the outer loop: its rowid order is the ORDER BY (no sorter), so the
  // walk stops after `limit` rows that pass the filters, and snippet(), a result column, runs only
  // for those rows. Were the planner free to start from `messages` (say for a from: filter), a
  // sorter would compute a snippet for every match of a common word.
  const rows: { pk: number; snippet?: string }[] = match
    ? db
        .prepare<unknown[], { pk: number; snippet: string }>(
          `SELECT m.pk, snippet(messages_fts, -1, ?, ?, '…', 16) AS snippet FROM messages_fts CROSS JOIN messages m ON m.pk = messages_fts.rowid WHERE messages_fts MATCH ?${filters} ORDER BY messages_fts.rowid DESC LIMIT ?`,
        )
        .all(SNIPPET_OPEN, SNIPPET_CLOSE, match, ...params, limit)
    : db
        .prepare<unknown[], { pk: number }>(
          `SELECT m.pk FROM messages m WHERE 1 = 1${filters} ORDER BY m.pk DESC LIMIT ?`,
        )
        .all(...params, limit)
  if (!rows.length) return []

  const pks = rows.map((r) => r.pk)
  const marks = pks.map(() => '?').join(',')
  const details = db
    .prepare<number[], HitRow>(
      `SELECT m.pk, m.id, m.thread_id, m.body, m.created_at, t.subject, coalesce(p.name, '') AS project_name, coalesce(u.name, '') AS author_name
      FROM messages m LEFT JOIN threads t ON t.id = m.thread_id LEFT JOIN projects p ON p.id = m.project_id LEFT JOIN people u ON u.id = m.author_id
      WHERE m.pk IN (${marks})`,
    )
    .all(...pks)
  const snippets = new Map<number, string>()
  for (const r of rows) if (r.snippet !== undefined) snippets.set(r.pk, r.snippet)
  const byPk = new Map(details.map((d) => [d.pk, d]))
  return pks.flatMap((pk) => {
    const d = byPk.get(pk)
    if (!d) return []
    const fallback = d.body.replace(/\s+/g, ' ').slice(0, 200)
    return [
      {
        messageId: d.id,
        threadId: d.thread_id,
        subject: d.subject ?? '',
        projectName: d.project_name,
        authorName: d.author_name,
        createdAt: d.created_at,
        snippet: splitSnippet(snippets.get(pk) ?? fallback),
      },
    ]
  })
}
