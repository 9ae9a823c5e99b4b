import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, migrations, openCache } from './database'

/** A cache migrated to an older version, with rows written as that version had them. */
function cacheAt(version: number, ...rows: string[]) {
  const db = new Database(':memory:')
  migrate(db, version)
  for (const row of rows) db.prepare(row).run()
  return db
}

const files: string[] = []
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-cache-'))
  files.push(dir)
  return path.join(dir, 'cache.sqlite')
}
afterEach(() => {
  for (const dir of files.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe('cache migrations', () => {
  it('001 creates STRICT tables and the FTS index, sets user_version, and runs once', () => {
    const file = temp()
    const db = openCache(file)
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    const tables = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'messages_fts%' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; sql: string }[]
    expect(tables.map((t) => t.name).sort()).toEqual([
      'attachments',
      'drafts',
      'file_cache',
      'messages',
      'meta',
      'outbox',
      'people',
      'projects',
      'reads',
      'staged_files',
      'threads',
    ])
    for (const t of tables) expect(t.sql, t.name).toMatch(/STRICT/)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
    const again = openCache(file)
    expect(again.pragma('user_version', { simple: true })).toBe(migrations.length)
    again.close()
  })

  it('a failing migration leaves the previous version intact', () => {
    const db = new Database(':memory:')
    const broken = {
      version: migrations.length + 1,
      name: 'broken',
      up: (d: Database.Database) =>
        d.exec(
          'CREATE TABLE x (a INTEGER) STRICT; INSERT INTO x VALUES (1); SELECT nonsense FROM nowhere;',
        ),
    }
    migrations.push(broken)
    try {
      expect(() => migrate(db)).toThrow()
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length - 1)
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'x'").get()).toEqual({
        n: 0,
      })
    } finally {
      migrations.pop()
    }
  })

  it('refuses a cache written by a newer app, with what to do', () => {
    const file = temp()
    const db = new Database(file)
    db.pragma('user_version = 99')
    db.close()
    expect(() => openCache(file)).toThrow(/newer Portal Inbox.*Update the app/)
  })
})

describe('migration 003', () => {
  it('repairs search entries that lost their subject and marks nothing pending', () => {
    const db = cacheAt(
      2,
      "INSERT INTO threads (id, client_id, project_id, subject, status, urgent, created_by, created_at, last_at, last_preview, last_sender_id, participant_ids, seq) VALUES ('t', 't', 'p', 'Roof repair', 'open', 0, 'u', 'x', 'x', '', 'u', '[]', 1)",
      "INSERT INTO messages (pk, id, thread_id, project_id, author_id, client_id, body, internal, urgent, created_at, seq) VALUES (1, 'm', 't', 'p', 'u', 'c', 'shingles', 0, 0, 'x', 2)",
      "INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (1, '', 'shingles', '', '')",
    )
    migrate(db)
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(
      db.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '"roof"'`).get(),
    ).toEqual({ n: 1 })
    expect(db.prepare('SELECT fts_pending FROM messages').get()).toEqual({ fts_pending: 0 })
  })
})

describe('migration 004', () => {
  it('adds the unread mark (0 for every thread, unread counts kept) and the drafts table', () => {
    const db = cacheAt(
      3,
      "INSERT INTO threads (id, client_id, project_id, subject, status, urgent, created_by, created_at, last_at, last_preview, last_sender_id, participant_ids, unread, seq) VALUES ('t', 't', 'p', 'Roof repair', 'open', 0, 'u', 'x', 'x', '', 'u', '[]', 2, 1)",
    )
    migrate(db, 4)
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect(db.prepare('SELECT unread, marked_unread FROM threads').get()).toEqual({
      unread: 2,
      marked_unread: 0,
    })
    const drafts = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'drafts'").get() as {
      sql: string
    }
    expect(drafts.sql).toMatch(/STRICT/)
    db.prepare(
      "INSERT INTO drafts (key, body, internal, subject, project_id, updated_at) VALUES ('new', 'Hi', 0, NULL, NULL, 'x')",
    ).run()
    // STRICT: a draft's flag is an integer, nothing else.
    expect(() =>
      db
        .prepare(
          "INSERT INTO drafts (key, body, internal, updated_at) VALUES ('t', 'Hi', 'yes', 'x')",
        )
        .run(),
    ).toThrow()
  })

  it('keeps the unread view and the badge on the partial index threads_unread_last', () => {
    const db = new Database(':memory:')
    migrate(db)
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('; ')
    expect(
      plan("SELECT coalesce(sum(unread), 0) FROM threads WHERE unread > 0 AND status != 'closed'"),
    ).toMatch(/USING INDEX threads_unread_last/)
    expect(
      plan(
        "SELECT count(*) FROM threads t WHERE t.unread > 0 AND (t.snoozed_until IS NULL OR t.snoozed_until <= '2026')",
      ),
    ).toMatch(/USING INDEX threads_unread_last/)
  })
})

describe('migration 005', () => {
  it('adds whether a person has set a password, unknown (NULL) for everyone cached before', () => {
    const db = cacheAt(
      4,
      "INSERT INTO people (id, role, name, email, portal_access, seq) VALUES ('p', 'customer', 'Anna Architect', NULL, 1, 1)",
    )
    migrate(db)
    expect(db.pragma('user_version', { simple: true })).toBe(5)
    expect(db.prepare('SELECT name, password_set FROM people').get()).toEqual({
      name: 'Anna Architect',
      password_set: null,
    })
    // STRICT: the flag is an integer or nothing.
    expect(() => db.prepare("UPDATE people SET password_set = 'yes'").run()).toThrow()
  })
})
