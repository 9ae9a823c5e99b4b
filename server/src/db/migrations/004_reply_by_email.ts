import { sql, type Kysely } from 'kysely'

/**
 * Issue 14: replies by email.
 *
 * - `reply_tokens`: the secret part of a mail's reply address (`reply+<token>@<inbound domain>`),
 *   one per person and thread, so a reply names who wrote and where without trusting the From
 *   line alone. Revoked (not deleted) when the person's access ends, so an old mail's address
 *   answers "no longer accepted" instead of naming nothing.
 * - `inbound_mail`: every mail received, once per Message-ID and company (a provider that
 *   delivers twice posts once), with what became of it (posted, refused and why, ignored as an
 *   automatic reply, held for review) and the sender checks' verdict. A held mail keeps its raw
 *   text so staff can post it after all.
 * - `mail_outbox.reply_to` and `.headers`: where a reply to the mail goes, and the threading
 *   and list headers (In-Reply-To, References, Auto-Submitted, List-Unsubscribe) it carries.
 * - `mail_outbox.layout`: what the mail's HTML part shows (mail/mail-layout.ts), rendered when
 *   it is sent. `bounced_at` and `bounce_reason`: a delivery report came back for it (its
 *   envelope sender names the mail), so the delivery log can say the address did not take it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE reply_tokens (
      token TEXT PRIMARY KEY,
      company_id TEXT NOT NULL REFERENCES companies(id),
      user_id TEXT NOT NULL REFERENCES users(id),
      thread_id TEXT NOT NULL REFERENCES threads(id),
      created_at TEXT NOT NULL,
      revoked_at TEXT
    ) STRICT`,
    `CREATE UNIQUE INDEX reply_tokens_person_thread ON reply_tokens(user_id, thread_id)`,
    `CREATE TABLE inbound_mail (
      id TEXT PRIMARY KEY,
      company_id TEXT REFERENCES companies(id),
      message_key TEXT NOT NULL,
      received_at TEXT NOT NULL,
      from_address TEXT NOT NULL,
      subject TEXT NOT NULL,
      user_id TEXT REFERENCES users(id),
      thread_id TEXT REFERENCES threads(id),
      outcome TEXT NOT NULL
        CHECK (outcome IN ('posted', 'refused', 'ignored', 'held', 'discarded')),
      reason TEXT,
      message_id TEXT REFERENCES messages(id),
      auth TEXT NOT NULL,
      raw BLOB
    ) STRICT`,
    // Seen before: the same Message-ID to the same company is the same mail.
    `CREATE UNIQUE INDEX inbound_mail_seen ON inbound_mail(company_id, message_key)`,
    `CREATE INDEX inbound_mail_held ON inbound_mail(company_id, received_at) WHERE outcome = 'held'`,
    `ALTER TABLE mail_outbox ADD COLUMN reply_to TEXT`,
    `ALTER TABLE mail_outbox ADD COLUMN headers TEXT`,
    `ALTER TABLE mail_outbox ADD COLUMN layout TEXT`,
    `ALTER TABLE mail_outbox ADD COLUMN bounced_at TEXT`,
    `ALTER TABLE mail_outbox ADD COLUMN bounce_reason TEXT`,
    // The delivery log reads a person's mail newest first.
    `CREATE INDEX mail_outbox_to ON mail_outbox(to_address, created_at)`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `DROP INDEX IF EXISTS mail_outbox_to`,
    `ALTER TABLE mail_outbox DROP COLUMN bounce_reason`,
    `ALTER TABLE mail_outbox DROP COLUMN bounced_at`,
    `ALTER TABLE mail_outbox DROP COLUMN layout`,
    `ALTER TABLE mail_outbox DROP COLUMN headers`,
    `ALTER TABLE mail_outbox DROP COLUMN reply_to`,
    `DROP TABLE IF EXISTS inbound_mail`,
    `DROP TABLE IF EXISTS reply_tokens`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}
