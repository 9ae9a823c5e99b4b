import { messagePreview } from '../../../src/shared/preview'
import type { Kysely } from 'kysely'
import type { SearchHit } from '../../../src/shared/protocol'
import * as searchLanguage from '../../../src/shared/search-query'
import type { Dialect, FullTextEntry } from '../db/dialect'
import type { Database } from '../db/schema'
import { sqliteDialect } from '../db/sqlite-dialect'
import type { Caller } from '../domain/caller'
import { unreadBy } from './reads'
import { messageVisible } from './visibility'

type Db = Kysely<Database>

/**
 * The search index: messages go in as they are written, subjects follow a rename, and a search
 * answers what the caller may see. Today SQLite's FTS5 (through the dialect); PostgreSQL's
 * tsvector index is the next implementation of the same port.
 */
export interface SearchIndex {
  search(db: Db, caller: Caller, input: string, limit: number): Promise<SearchHit[]>
  addMessage(db: Db, entry: FullTextEntry): Promise<void>
  renameThread(db: Db, threadId: string, subject: string): Promise<void>
}

/**
 * Full-text search over what the caller may see. Matching rowids come from the full-text index,
 * the visibility and operator filters and the newest-first order run on the real tables, and
 * snippets are made only for the rows returned.
 */
export function fullTextSearchIndex(dialect: Dialect): SearchIndex {
  return {
    addMessage: (db, entry) => dialect.fullText.add(db, entry),
    renameThread: (db, threadId, subject) => dialect.fullText.setSubject(db, threadId, subject),
    async search(db, caller, input, limit) {
      const query = searchLanguage.parseSearch(input)
      if (searchLanguage.isEmptySearch(query)) return []
      const match = searchLanguage.toFtsMatch(query.terms)

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
      if (match) q = q.where(dialect.fullText.matches('m.pk', match))
      for (const name of query.from) q = q.where(dialect.containsText('a.name', name))
      for (const name of query.project)
        q = q.where('m.project_id', 'in', (eb) =>
          eb
            .selectFrom('projects as p')
            .select('p.id')
            .where('p.company_id', '=', caller.companyId)
            .where(dialect.containsText('p.name', name)),
        )
      if (query.after) q = q.where('m.created_at', '>=', `${query.after}T00:00:00.000Z`)
      if (query.before) q = q.where('m.created_at', '<', `${query.before}T00:00:00.000Z`)
      if (query.hasAttachment)
        q = q.where((eb) =>
          eb.exists(
            eb.selectFrom('attachments as x').select('x.id').whereRef('x.message_id', '=', 'm.id'),
          ),
        )
      if (query.isUrgent) q = q.where('m.urgent', '=', 1)
      if (query.isUnread) {
        q = q.where('m.author_id', '!=', caller.id).where(unreadBy(caller.id))
      }
      const rows = await q
        .orderBy('m.created_at', 'desc')
        .orderBy('m.pk', 'desc')
        .limit(limit)
        .execute()

      const snippets =
        match && rows.length
          ? await dialect.fullText.snippets(
              db,
              match,
              rows.map((r) => r.pk),
              { open: searchLanguage.SNIPPET_OPEN, close: searchLanguage.SNIPPET_CLOSE },
            )
          : new Map<number, string>()
      return rows.map((r) => ({
        messageId: r.id,
        threadId: r.thread_id,
        projectId: r.project_id,
        subject: r.subject,
        authorId: r.author_id,
        authorName: r.author_name,
        createdAt: r.created_at,
        snippet: searchLanguage.splitSnippet(
          snippets.get(r.pk) ?? messagePreview(r.body, [], { max: 200 }),
        ),
      }))
    },
  }
}

/** Today's index: FTS5 in the server's SQLite file. */
export const sqliteSearchIndex = fullTextSearchIndex(sqliteDialect)

export const searchMessages = (db: Db, caller: Caller, input: string, limit: number) =>
  sqliteSearchIndex.search(db, caller, input, limit)
