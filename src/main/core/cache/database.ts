import Database, { type Database as Db } from 'better-sqlite3'
import * as m001 from './migrations/001_initial'
import * as m002 from './migrations/002_view_indexes'
import * as m003 from './migrations/003_fts_pending'
import * as m004 from './migrations/004_unread_marks_drafts'
import * as m005 from './migrations/005_people_password_set'

/** Numbered migrations, in order; each runs in a transaction that also bumps user_version. */
export const migrations: { version: number; name: string; up: (db: Db) => void }[] = [
  { version: 1, name: '001_initial', up: m001.up },
  { version: 2, name: '002_view_indexes', up: m002.up },
  { version: 3, name: '003_fts_pending', up: m003.up },
  { version: 4, name: '004_unread_marks_drafts', up: m004.up },
  { version: 5, name: '005_people_password_set', up: m005.up },
]

/** The cache's connection type, so code outside cache/ names it without importing the driver. */
export type CacheDatabase = Db

export interface OpenCacheOptions {
  /** better-sqlite3 built for Electron's ABI lives in its own folder (docs/architecture.md). */
  nativeBinding?: string
}

export function openCache(file: string, options: OpenCacheOptions = {}): Db {
  const db = new Database(
    file,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  )
  db.pragma('journal_mode = WAL')
  // FULL: a reply a person wrote offline is in the outbox once the call returns, even if the
  // machine loses power right after. Sync applies pages in large transactions, so the cost is small.
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = OFF')
  migrate(db)
  return db
}

export function migrate(db: Db, target = migrations.length): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(
      `The local cache was written by a newer Portal Inbox (schema ${current}; this one knows ${migrations.length}). Update the app, or sign out to rebuild the cache.`,
    )
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
