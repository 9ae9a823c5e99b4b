import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './database'
import * as m001 from './migrations/001_initial'
import * as m002 from './migrations/002_reads_seq'

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
    expect(applied).toEqual([{ name: '001_initial' }, { name: '002_reads_seq' }])
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
})
