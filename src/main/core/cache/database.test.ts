import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, migrations, openCache } from './database'

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
    const db = new Database(':memory:')
    migrate(db, 2)
    db.prepare(
      "INSERT INTO threads (id, client_id, project_id, subject, status, urgent, created_by, created_at, last_at, last_preview, last_sender_id, participant_ids, seq) VALUES ('t', 't', 'p', 'Roof repair', 'open', 0, 'u', 'x', 'x', '', 'u', '[]', 1)",
    ).run()
    db.prepare(
      "INSERT INTO messages (pk, id, thread_id, project_id, author_id, client_id, body, internal, urgent, created_at, seq) VALUES (1, 'm', 't', 'p', 'u', 'c', 'shingles', 0, 0, 'x', 2)",
    ).run()
    db.prepare(
      "INSERT INTO messages_fts (rowid, subject, body, sender, attachments) VALUES (1, '', 'shingles', '', '')",
    ).run()
    migrate(db)
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(
      db.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '"roof"'`).get(),
    ).toEqual({ n: 1 })
    expect(db.prepare('SELECT fts_pending FROM messages').get()).toEqual({ fts_pending: 0 })
  })
})
