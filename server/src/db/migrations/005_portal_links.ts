import { sql, type Kysely } from 'kysely'

/**
 * Issue 14: links in mail that act without a password.
 *
 * - `unsubscribe_tokens`: the token of a mail's one-click unsubscribe (List-Unsubscribe, RFC
 *   8058), a new one in every alert so one leaked mail names only itself. Only its hash is kept:
 *   the database alone cannot turn anyone's alerts off. It names the person, nothing else.
 * - `sign_in_links`: a one-time sign-in link mailed on request, valid for 15 minutes, hashed
 *   like a reset link. Kept apart from `invitations` so a sign-in link can never set a password
 *   and a set-password link never signs anyone in without one. `email` is the address it was
 *   mailed to: once the person's address changes, a link in the old mailbox signs no one in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE unsubscribe_tokens (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL
    ) STRICT`,
    `CREATE TABLE sign_in_links (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      email TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT
    ) STRICT`,
    `CREATE INDEX sign_in_links_user ON sign_in_links(user_id) WHERE used_at IS NULL`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sign_in_links', 'unsubscribe_tokens'])
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db)
}
