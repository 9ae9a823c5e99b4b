import type { Database } from 'better-sqlite3'

/**
 * A message can arrive before its thread (the thread's seq is newer, so it comes in a later page
 * of the feed). Its search entry needs the thread's subject, so it is indexed when the thread
 * arrives; until then the message is marked here. Without this, such messages were indexed with
 * an empty subject for good (5,286 of 100k after one benchmark sync).
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE messages ADD COLUMN fts_pending INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX messages_fts_pending ON messages(thread_id) WHERE fts_pending = 1;
  `)
  // Repair caches written before: re-index the subjects of every message from its thread.
  db.exec(`UPDATE messages_fts SET subject = (SELECT t.subject FROM messages m JOIN threads t ON t.id = m.thread_id WHERE m.pk = messages_fts.rowid)
    WHERE subject = '' AND rowid IN (SELECT m.pk FROM messages m JOIN threads t ON t.id = m.thread_id WHERE t.subject != '')`)
}
