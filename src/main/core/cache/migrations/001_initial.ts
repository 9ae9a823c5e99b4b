import type { Database } from 'better-sqlite3'

/**
 * The local cache: what the signed-in staff member may see, plus the outbox of what they wrote.
 * messages.pk orders messages by creation time (see messageKey), so full-text search can walk
 * FTS5's rowids newest-first and stop after the first page.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

    CREATE TABLE people (
      id TEXT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, email TEXT,
      portal_access INTEGER NOT NULL, seq INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE projects (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, stage TEXT NOT NULL, portal_open INTEGER NOT NULL,
      customer_ids TEXT NOT NULL, team_ids TEXT NOT NULL, storage_used INTEGER NOT NULL, seq INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE threads (
      id TEXT PRIMARY KEY, client_id TEXT NOT NULL, project_id TEXT NOT NULL, subject TEXT NOT NULL, status TEXT NOT NULL,
      assignee_id TEXT, snoozed_until TEXT, waiting_since TEXT, urgent INTEGER NOT NULL,
      created_by TEXT NOT NULL, created_at TEXT NOT NULL, last_at TEXT NOT NULL,
      last_preview TEXT NOT NULL, last_sender_id TEXT NOT NULL, participant_ids TEXT NOT NULL,
      unread INTEGER NOT NULL DEFAULT 0,
      seq INTEGER NOT NULL,
      -- 1 while the thread exists only here (created offline, not yet acknowledged).
      local INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX threads_last ON threads(last_at DESC, id DESC);
    CREATE INDEX threads_project_last ON threads(project_id, last_at DESC);
    CREATE INDEX threads_unread_last ON threads(last_at DESC) WHERE unread > 0;
    CREATE INDEX threads_urgent_last ON threads(last_at DESC) WHERE urgent = 1;
    CREATE INDEX threads_assignee_last ON threads(assignee_id, last_at DESC);
    CREATE INDEX threads_status_last ON threads(status, last_at DESC);

    CREATE TABLE messages (
      pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL, project_id TEXT NOT NULL,
      author_id TEXT NOT NULL, client_id TEXT NOT NULL, body TEXT NOT NULL, internal INTEGER NOT NULL,
      urgent INTEGER NOT NULL, created_at TEXT NOT NULL, seq INTEGER NOT NULL,
      -- The outbox entry of a message written here and not yet acknowledged; NULL once it is.
      outbox_id INTEGER,
      UNIQUE (author_id, client_id)
    ) STRICT;
    CREATE INDEX messages_thread ON messages(thread_id, pk);

    CREATE TABLE attachments (
      id TEXT PRIMARY KEY, message_id TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
      content_type TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX attachments_message ON attachments(message_id);

    CREATE TABLE reads (
      message_id TEXT NOT NULL, thread_id TEXT NOT NULL, user_id TEXT NOT NULL, read_at TEXT NOT NULL, seq INTEGER NOT NULL,
      PRIMARY KEY (message_id, user_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX reads_thread ON reads(thread_id);

    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, thread_id TEXT, client_id TEXT,
      payload TEXT NOT NULL, summary TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending','sending','failed','held')),
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, error TEXT, error_code TEXT,
      -- For replies: the newest customer message seen when it was written (the collision check).
      seen_last_customer_at TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX outbox_thread ON outbox(thread_id, id);

    CREATE TABLE staged_files (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL, content_type TEXT NOT NULL,
      path TEXT NOT NULL, sha256 TEXT NOT NULL, uploaded_attachment_id TEXT, created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE file_cache (
      sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, fetched_at TEXT NOT NULL
    ) STRICT;

    CREATE VIRTUAL TABLE messages_fts USING fts5(subject, body, sender, attachments, tokenize = 'unicode61 remove_diacritics 2');
  `)
}
