import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './database'
import * as m001 from './migrations/001_initial'
import * as m002 from './migrations/002_reads_seq'
import * as m003 from './migrations/003_limits_mail_priority'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true })
})

async function tempFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-db-'))
  dirs.push(dir)
  return path.join(dir, 'portal.sqlite')
}

describe('migrations', () => {
  it('001 creates STRICT tables, the FTS index, and WAL mode; opening again is a no-op', async () => {
    const file = await tempFile()
    const first = await openDatabase(file)
    const tables = first.sqlite
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely%' AND name NOT LIKE 'messages_fts_%' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; sql: string }[]
    const plain = tables.filter((t) => t.name !== 'messages_fts')
    expect(plain.length).toBeGreaterThanOrEqual(14)
    for (const t of plain) expect(t.sql, t.name).toMatch(/\)\s*STRICT/)
    expect(tables.map((t) => t.name)).toContain('messages_fts')
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    await first.db.destroy()

    const again = await openDatabase(file)
    const applied = again.sqlite.prepare('SELECT name FROM kysely_migration').all()
    expect(applied).toEqual([
      { name: '001_initial' },
      { name: '002_reads_seq' },
      { name: '003_limits_mail_priority' },
      { name: '004_reply_by_email' },
      { name: '005_portal_links' },
    ])
    await again.db.destroy()
  })

  it('001 rejects a wrongly typed value (STRICT) and rolls back cleanly with down()', async () => {
    const file = await tempFile()
    const { db, sqlite } = await openDatabase(file)
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO companies (id, name, settings, last_seq, created_at) VALUES ('c', 'n', '{}', 'not a number', 'now')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/)
    await db.destroy()

    const raw = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(file) }) })
    await m001.down(raw)
    await m001.up(raw)
    await raw.destroy()
  })

  it('002 indexes reads by seq for the change feed, and down() drops it', async () => {
    const file = await tempFile()
    const { db, sqlite } = await openDatabase(file)
    const index = () =>
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'reads_seq'")
        .all()
    expect(index()).toEqual([{ name: 'reads_seq' }])
    await m002.down(db as unknown as Kysely<unknown>)
    expect(index()).toEqual([])
    await db.destroy()
  })

  it('003 gives queued mail the priority of its kind, adds the limiter table and the kind of a set-password link; down() removes them', async () => {
    const file = await tempFile()
    // Mail queued by a server before 003, then the upgrade.
    const raw = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(file) }) })
    await m001.up(raw)
    await m002.up(raw)
    const queue = raw.withoutPlugins() as unknown as Kysely<Record<string, Record<string, unknown>>>
    for (const [id, kind] of [
      ['a', 'customer-message'],
      ['b', 'invitation'],
      ['c', 'urgent'],
      ['d', 'digest'],
      ['e', 'auto-reply'],
    ])
      await queue
        .insertInto('mail_outbox')
        .values({
          id,
          company_id: 'c',
          kind,
          to_address: 'x@example.test',
          subject: 's',
          text: 't',
          created_at: '2026-12-07T10:00:00.000Z',
          next_attempt_at: '2026-12-07T10:00:00.000Z',
        })
        .execute()
    await m003.up(raw)
    const sqlite = new SQLite(file)
    try {
      expect(
        sqlite.prepare('SELECT id, priority, message_count FROM mail_outbox ORDER BY id').all(),
      ).toEqual([
        { id: 'a', priority: 2, message_count: 1 },
        { id: 'b', priority: 0, message_count: 1 },
        { id: 'c', priority: 1, message_count: 1 },
        { id: 'd', priority: 3, message_count: 1 },
        { id: 'e', priority: 2, message_count: 1 },
      ])
      // The sender's order is served by the partial index.
      const plan = sqlite
        .prepare(
          "EXPLAIN QUERY PLAN SELECT * FROM mail_outbox WHERE sent_at IS NULL AND attempts < 8 AND next_attempt_at <= '2027' ORDER BY priority, created_at LIMIT 1",
        )
        .all() as { detail: string }[]
      const detail = plan.map((p) => p.detail).join('\n')
      expect(detail).toContain('mail_outbox_queue')
      expect(detail).not.toContain('TEMP B-TREE')
      expect(
        (
          sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'rate_limits'").get() as {
            sql: string
          }
        ).sql,
      ).toMatch(/\)\s*STRICT/)
      expect(() =>
        sqlite
          .prepare(
            "INSERT INTO invitations (token_hash, user_id, expires_at, kind) VALUES ('t', 'u', 'x', 'other')",
          )
          .run(),
      ).toThrow(/CHECK constraint failed/)

      await m003.down(raw)
      const columns = (table: string) =>
        (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
          (c) => c.name,
        )
      expect(columns('mail_outbox')).not.toContain('priority')
      expect(columns('mail_outbox')).not.toContain('message_count')
      expect(columns('invitations')).not.toContain('kind')
      expect(
        sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'rate_limits'").all(),
      ).toEqual([])
    } finally {
      sqlite.close()
      await raw.destroy()
    }
  })
})
