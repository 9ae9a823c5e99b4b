import type { Database } from 'better-sqlite3'
import type { Draft } from '../../../shared/ipc'
import { prepared } from './statements'

/** Drafts kept on this desktop, keyed by thread id (or a key of the new-conversation form). */

interface DraftRow {
  key: string
  body: string
  internal: number
  subject: string | null
  project_id: string | null
  updated_at: string
}

const toDraft = (row: DraftRow): Draft => ({
  key: row.key,
  body: row.body,
  internal: row.internal === 1,
  ...(row.subject !== null && { subject: row.subject }),
  ...(row.project_id !== null && { projectId: row.project_id }),
  updatedAt: row.updated_at,
})

export function getDraft(db: Database, key: string): Draft | null {
  const row = prepared<[string], DraftRow>(db, 'SELECT * FROM drafts WHERE key = ?').get(key)
  return row ? toDraft(row) : null
}

/** Keeps a draft; one with nothing written in it (no body, no subject) is deleted instead. */
export function saveDraft(db: Database, draft: Omit<Draft, 'updatedAt'>, now: string): Draft {
  const saved: Draft = {
    key: draft.key,
    body: draft.body,
    internal: draft.internal,
    ...(draft.subject !== undefined && { subject: draft.subject }),
    ...(draft.projectId !== undefined && { projectId: draft.projectId }),
    updatedAt: now,
  }
  if (!draft.body.trim() && !draft.subject?.trim()) {
    deleteDraft(db, draft.key)
    return saved
  }
  prepared<DraftRow>(
    db,
    `INSERT INTO drafts (key, body, internal, subject, project_id, updated_at) VALUES (@key, @body, @internal, @subject, @project_id, @updated_at)
    ON CONFLICT (key) DO UPDATE SET body = excluded.body, internal = excluded.internal, subject = excluded.subject,
      project_id = excluded.project_id, updated_at = excluded.updated_at`,
  ).run({
    key: saved.key,
    body: saved.body,
    internal: saved.internal ? 1 : 0,
    subject: saved.subject ?? null,
    project_id: saved.projectId ?? null,
    updated_at: now,
  })
  return saved
}

export function deleteDraft(db: Database, key: string): void {
  prepared<[string]>(db, 'DELETE FROM drafts WHERE key = ?').run(key)
}

/** A thread created offline got its server id: its draft follows it. */
export function moveDraft(db: Database, from: string, to: string): void {
  prepared<[string, string]>(db, 'UPDATE OR REPLACE drafts SET key = ? WHERE key = ?').run(to, from)
}
