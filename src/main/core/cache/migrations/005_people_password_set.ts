import type { Database } from 'better-sqlite3'

/**
 * people.password_set: whether the person has set a password (Person.passwordSet), so the
 * participants panel can say "Not signed in yet" of someone invited by email. 1 or 0 as the
 * server said; NULL where it did not say, which is every row cached before this column: those
 * people show nothing rather than a guess, until their record comes down the feed again.
 */
export function up(db: Database): void {
  db.exec(`ALTER TABLE people ADD COLUMN password_set INTEGER`)
}
