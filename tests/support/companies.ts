import { randomUUID } from 'node:crypto'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { testClock } from './clock'
import type { RunningServer } from './server'

/**
 * A second builder on the same server, written straight into its database (no API creates
 * companies), with the first company's settings and people who have no password yet.
 */
export function addCompany(
  server: RunningServer,
  name: string,
  people: { role: 'admin' | 'staff' | 'customer' | 'subcontractor'; name: string; email: string }[],
): void {
  const db = new SQLite(path.join(server.dataDir, 'portal.sqlite'))
  try {
    const now = testClock.iso()
    const { settings } = db.prepare('SELECT settings FROM companies LIMIT 1').get() as {
      settings: string
    }
    const company = randomUUID()
    db.prepare(
      'INSERT INTO companies (id, name, settings, last_seq, settings_seq, created_at) VALUES (?, ?, ?, 10, 1, ?)',
    ).run(company, name, settings, now)
    const insert = db.prepare(
      `INSERT INTO users (id, company_id, role, name, email, password_hash, portal_access, preferences, seq, created_at)
       VALUES (?, ?, ?, ?, ?, NULL, 1, '{}', 2, ?)`,
    )
    for (const p of people) insert.run(randomUUID(), company, p.role, p.name, p.email, now)
  } finally {
    db.close()
  }
}
