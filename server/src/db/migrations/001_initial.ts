import { sql, type Kysely } from 'kysely'

/** The first schema. STRICT tables so a wrongly typed value is an error, not a silent coercion. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE companies (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, settings TEXT NOT NULL,
      last_seq INTEGER NOT NULL DEFAULT 0, settings_seq INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
    ) STRICT`,
    `CREATE TABLE users (
      id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id),
      role TEXT NOT NULL CHECK (role IN ('admin','staff','customer','subcontractor')),
      name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, password_hash TEXT,
      portal_access INTEGER NOT NULL DEFAULT 1, preferences TEXT NOT NULL,
      seq INTEGER NOT NULL, created_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX users_company_seq ON users(company_id, seq)`,
    `CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT
    ) STRICT`,
    `CREATE INDEX sessions_user ON sessions(user_id)`,
    `CREATE TABLE invitations (
      token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
      expires_at TEXT NOT NULL, used_at TEXT
    ) STRICT`,
    `CREATE TABLE projects (
      id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id), name TEXT NOT NULL,
      stage TEXT NOT NULL CHECK (stage IN ('lead','pre-construction','construction','warranty','closed')),
      seq INTEGER NOT NULL, created_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX projects_company_seq ON projects(company_id, seq)`,
    `CREATE TABLE project_members (
      project_id TEXT NOT NULL REFERENCES projects(id), user_id TEXT NOT NULL REFERENCES users(id),
      PRIMARY KEY (project_id, user_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX project_members_user ON project_members(user_id, project_id)`,
    `CREATE TABLE threads (
      id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id),
      project_id TEXT NOT NULL REFERENCES projects(id), client_id TEXT NOT NULL,
      subject TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open','waiting-on-customer','closed')),
      assignee_id TEXT REFERENCES users(id), snoozed_until TEXT, waiting_since TEXT,
      urgent INTEGER NOT NULL DEFAULT 0,
      created_by TEXT NOT NULL REFERENCES users(id), created_at TEXT NOT NULL,
      last_at TEXT NOT NULL, last_preview TEXT NOT NULL, last_sender_id TEXT NOT NULL,
      public_last_at TEXT NOT NULL, public_preview TEXT NOT NULL, public_sender_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      UNIQUE (created_by, client_id)
    ) STRICT`,
    `CREATE INDEX threads_company_seq ON threads(company_id, seq)`,
    `CREATE INDEX threads_project_last ON threads(project_id, last_at)`,
    `CREATE INDEX threads_company_last ON threads(company_id, last_at)`,
    `CREATE TABLE thread_participants (
      thread_id TEXT NOT NULL REFERENCES threads(id), user_id TEXT NOT NULL REFERENCES users(id),
      added_by TEXT NOT NULL, added_at TEXT NOT NULL,
      PRIMARY KEY (thread_id, user_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX thread_participants_user ON thread_participants(user_id, thread_id)`,
    `CREATE TABLE messages (
      pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
      company_id TEXT NOT NULL REFERENCES companies(id), thread_id TEXT NOT NULL REFERENCES threads(id),
      project_id TEXT NOT NULL, author_id TEXT NOT NULL REFERENCES users(id),
      client_id TEXT NOT NULL, content_hash TEXT NOT NULL, body TEXT NOT NULL,
      internal INTEGER NOT NULL, urgent INTEGER NOT NULL, created_at TEXT NOT NULL, seq INTEGER NOT NULL,
      UNIQUE (author_id, client_id)
    ) STRICT`,
    `CREATE INDEX messages_company_seq ON messages(company_id, seq)`,
    `CREATE INDEX messages_thread_seq ON messages(thread_id, seq)`,
    `CREATE TABLE attachments (
      id TEXT PRIMARY KEY, company_id TEXT NOT NULL, project_id TEXT NOT NULL REFERENCES projects(id),
      message_id TEXT REFERENCES messages(id), uploader_id TEXT NOT NULL REFERENCES users(id),
      client_id TEXT, name TEXT NOT NULL, size INTEGER NOT NULL, content_type TEXT NOT NULL,
      sha256 TEXT NOT NULL, storage_name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX attachments_message ON attachments(message_id)`,
    `CREATE INDEX attachments_project ON attachments(project_id)`,
    `CREATE UNIQUE INDEX attachments_client ON attachments(uploader_id, client_id) WHERE client_id IS NOT NULL`,
    `CREATE TABLE reads (
      message_id TEXT NOT NULL REFERENCES messages(id), thread_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id),
      read_at TEXT NOT NULL, seq INTEGER NOT NULL,
      PRIMARY KEY (message_id, user_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX reads_user ON reads(user_id, thread_id)`,
    `CREATE INDEX reads_thread_seq ON reads(thread_id, seq)`,
    `CREATE TABLE revocations (
      user_id TEXT NOT NULL, thread_id TEXT NOT NULL, seq INTEGER NOT NULL,
      PRIMARY KEY (user_id, thread_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE mail_outbox (
      id TEXT PRIMARY KEY, company_id TEXT NOT NULL, kind TEXT NOT NULL, thread_id TEXT, to_address TEXT NOT NULL,
      subject TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, sent_at TEXT, last_error TEXT
    ) STRICT`,
    `CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at)`,
    `CREATE INDEX mail_outbox_thread ON mail_outbox(thread_id, kind, created_at)`,
    `CREATE TABLE digest_runs (
      company_id TEXT NOT NULL, period_end TEXT NOT NULL, PRIMARY KEY (company_id, period_end)
    ) STRICT, WITHOUT ROWID`,
    // Search over what a person remembers of a message: its words, its thread's subject, who wrote
    // it and the names of its files. rowid is messages.pk.
    `CREATE VIRTUAL TABLE messages_fts USING fts5(subject, body, sender, attachments, tokenize = 'unicode61 remove_diacritics 2')`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'messages_fts',
    'digest_runs',
    'mail_outbox',
    'revocations',
    'reads',
    'attachments',
    'messages',
    'thread_participants',
    'threads',
    'project_members',
    'projects',
    'invitations',
    'sessions',
    'users',
    'companies',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db)
  }
}
