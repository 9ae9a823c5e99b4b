import { sql, type Kysely } from 'kysely'

/**
 * Issue 11: limits, and mail that no longer waits in line behind alerts.
 *
 * - `rate_limits` holds the counters of rate-limiter-flexible (sign-in failures, writes per
 *   person and company), in the layout its RateLimiterSQLite expects, created here rather than by
 *   the library so the table is STRICT and versioned like every other.
 * - `mail_outbox.priority`: the sender delivers by priority, then age, so an invitation or a
 *   password-reset link never waits behind a queue of alerts. 0 account mail, 1 urgent alerts,
 *   2 other alerts and auto-replies, 3 digests (server/src/mail/mail-item.ts mailPriority); rows
 *   already queued take the priority of their kind.
 * - `mail_outbox.message_count`: how many messages a mail tells about; an urgent summary grows
 *   while it waits for the end of its window (server/src/mail/urgent.ts).
 * - `invitations.kind`: a set-password link is an invitation or a password reset; the reset
 *   expires within the hour and its refusal speaks of asking for a new link, not the builder.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE rate_limits (
      key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER
    ) STRICT`,
    `ALTER TABLE mail_outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 2`,
    `ALTER TABLE mail_outbox ADD COLUMN message_count INTEGER NOT NULL DEFAULT 1`,
    `UPDATE mail_outbox SET priority = CASE kind
      WHEN 'invitation' THEN 0 WHEN 'urgent' THEN 1 WHEN 'digest' THEN 3 ELSE 2 END`,
    // The sender's question: what is due, most important and oldest first. Walking this index in
    // order stops at the first due row; the old (sent_at, next_attempt_at) index made SQLite
    // collect every due row and sort them, for each mail, which a backlog of thousands turns
    // into seconds. It served that query only, so it goes.
    `CREATE INDEX mail_outbox_queue ON mail_outbox(priority, created_at) WHERE sent_at IS NULL`,
    `DROP INDEX mail_outbox_due`,
    `ALTER TABLE invitations ADD COLUMN kind TEXT NOT NULL DEFAULT 'invitation'
      CHECK (kind IN ('invitation', 'password-reset'))`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `ALTER TABLE invitations DROP COLUMN kind`,
    `DROP INDEX IF EXISTS mail_outbox_queue`,
    `CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at)`,
    `ALTER TABLE mail_outbox DROP COLUMN message_count`,
    `ALTER TABLE mail_outbox DROP COLUMN priority`,
    `DROP TABLE IF EXISTS rate_limits`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}
