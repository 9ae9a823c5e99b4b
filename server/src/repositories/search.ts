import { messagePreview } from '../../../src/shared/preview'
import { sql, type Kysely } from 'kysely'
import type { SearchHit } from '../../../src/shared/protocol'
import {
  isEmptySearch,
  parseSearch,
  SNIPPET_CLOSE,
  SNIPPET_OPEN,
  splitSnippet,
  toFtsMatch,
} from '../../../src/shared/search-query'
import type { Database } from '../db/schema'
import { messageVisible } from '../domain/access'
import type { Caller } from '../domain/caller'

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * Full-text search over what the caller may see. Matching rowids come from FTS5, the visibility
 * and operator filters and the newest-first order run on the real tables, and snippet() runs only
 * for the rows returned.
 */
export async function searchMessages(
  db: Kysely<Database>,
  caller: Caller,
  input: string,
  limit: number,
): Promise<SearchHit[]> {
  const query = parseSearch(input)
  if (isEmptySearch(query)) return []
  const match = toFtsMatch(query.terms)

  let q = db
    .selectFrom('messages as m')
    .innerJoin('threads as t', 't.id', 'm.thread_id')
    .innerJoin('users as a', 'a.id', 'm.author_id')
    .select([
      'm.pk',
      'm.id',
      'm.thread_id',
      'm.project_id',
      'm.author_id',
      'm.body',
      'm.created_at',
      't.subject',
      'a.name as author_name',
    ])
    .where(messageVisible(caller, 'm'))
  if (match)
    q = q.where(
      sql<boolean>`m.pk IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`,
    )
  for (const name of query.from)
    q = q.where(sql<boolean>`a.name LIKE ${likeEscape(name)} ESCAPE '\\'`)
  for (const name of query.project)
    q = q.where(
      sql<boolean>`m.project_id IN (SELECT id FROM projects WHERE company_id = ${caller.companyId} AND name LIKE ${likeEscape(name)} ESCAPE '\\')`,
    )
  if (query.after) q = q.where('m.created_at', '>=', `${query.after}T00:00:00.000Z`)
  if (query.before) q = q.where('m.created_at', '<', `${query.before}T00:00:00.000Z`)
  if (query.hasAttachment)
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM attachments x WHERE x.message_id = m.id)`)
  if (query.isUrgent) q = q.where('m.urgent', '=', 1)
  if (query.isUnread) {
    q = q
      .where('m.author_id', '!=', caller.id)
      .where(
        sql<boolean>`NOT EXISTS (SELECT 1 FROM reads r WHERE r.message_id = m.id AND r.user_id = ${caller.id})`,
      )
  }
  const rows = await q
    .orderBy('m.created_at', 'desc')
    .orderBy('m.pk', 'desc')
    .limit(limit)
    .execute()

  const snippets = new Map<number, string>()
  if (match && rows.length) {
    const found = await sql<{
      rowid: number
      snippet: string
    }>`SELECT rowid, snippet(messages_fts, -1, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', 16) AS snippet
      FROM messages_fts WHERE messages_fts MATCH ${match} AND rowid IN (${sql.join(rows.map((r) => r.pk))})`.execute(
      db,
    )
    for (const r of found.rows) snippets.set(r.rowid, r.snippet)
  }
  return rows.map((r) => ({
    messageId: r.id,
    threadId: r.thread_id,
    projectId: r.project_id,
    subject: r.subject,
    authorId: r.author_id,
    authorName: r.author_name,
    createdAt: r.created_at,
    snippet: splitSnippet(snippets.get(r.pk) ?? messagePreview(r.body, [], { max: 200 })),
  }))
}
