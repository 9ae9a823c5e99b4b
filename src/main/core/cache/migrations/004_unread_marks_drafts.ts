import type { Database } from 'better-sqlite3'

/**
 * Two things that live only on this desktop:
 *
 * - threads.marked_unread: the person marked the thread unread here (there is no such thing on the
 *   server). It is folded into threads.unread (unread = max(real count, marked_unread), see
 *   recountUnread in cache/threads.ts), so the 'unread' view, its count and the badge keep reading the
 *   partial index threads_unread_last (WHERE unread > 0) instead of scanning every thread for
 *   `unread > 0 OR marked_unread = 1`.
 * - drafts: replies and new conversations being written, keyed by thread id or "new", so they
 *   survive a restart. Wiped with the rest of the cache on sign-out.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE threads ADD COLUMN marked_unread INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE drafts (
      key TEXT PRIMARY KEY, body TEXT NOT NULL, internal INTEGER NOT NULL, subject TEXT, project_id TEXT,
      updated_at TEXT NOT NULL
    ) STRICT;
  `)
}
