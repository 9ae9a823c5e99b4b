import type { Database } from 'better-sqlite3'
import { prepared } from './statements'

/** The cache's key-value facts: cursor, signed-in user, server URL, settings, preferences. */
export function getMeta(db: Database, key: string): string | null {
  return (
    prepared<[string], { value: string }>(db, 'SELECT value FROM meta WHERE key = ?').get(key)
      ?.value ?? null
  )
}

export function setMeta(db: Database, key: string, value: string): void {
  prepared<[string, string]>(
    db,
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value)
}

const tables = [
  'meta',
  'people',
  'projects',
  'threads',
  'messages',
  'attachments',
  'reads',
  'outbox',
  'staged_files',
  'file_cache',
  'messages_fts',
  'drafts',
] as const

/** Drops everything: signing out must leave nothing of the company on this machine. */
export function wipeCache(db: Database): void {
  db.transaction(() => {
    for (const table of tables) db.prepare(`DELETE FROM ${table}`).run()
  })()
}
