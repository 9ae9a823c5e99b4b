import type { Database } from 'better-sqlite3'
import type { Attachment } from '../../../shared/protocol'
import { toAttachment, type AttachmentRow } from './messages'
import { prepared } from './statements'

/** staged_files (uploads waiting in the outbox) and file_cache (downloaded attachments). */

export interface StagedFileRow {
  id: string
  name: string
  size: number
  content_type: string
  path: string
  sha256: string
  uploaded_attachment_id: string | null
  created_at: string
}

export function insertStagedFile(
  db: Database,
  row: Omit<StagedFileRow, 'uploaded_attachment_id'>,
): void {
  prepared<Omit<StagedFileRow, 'uploaded_attachment_id'>>(
    db,
    'INSERT INTO staged_files (id, name, size, content_type, path, sha256, uploaded_attachment_id, created_at) VALUES (@id, @name, @size, @content_type, @path, @sha256, NULL, @created_at)',
  ).run(row)
}

export function stagedFile(db: Database, id: string): StagedFileRow | undefined {
  return prepared<[string], StagedFileRow>(db, 'SELECT * FROM staged_files WHERE id = ?').get(id)
}

export function deleteStagedFile(db: Database, id: string): void {
  prepared<[string]>(db, 'DELETE FROM staged_files WHERE id = ?').run(id)
}

/** The staged file is on the server: a retry of its message does not upload it again. */
export function setUploaded(db: Database, id: string, attachmentId: string): void {
  prepared<[string, string]>(
    db,
    'UPDATE staged_files SET uploaded_attachment_id = ? WHERE id = ?',
  ).run(attachmentId, id)
}

export function cachedFilePath(db: Database, sha256: string): string | null {
  return (
    prepared<[string], { path: string }>(db, 'SELECT path FROM file_cache WHERE sha256 = ?').get(
      sha256,
    )?.path ?? null
  )
}

export function forgetCachedFile(db: Database, sha256: string): void {
  prepared<[string]>(db, 'DELETE FROM file_cache WHERE sha256 = ?').run(sha256)
}

export function rememberCachedFile(
  db: Database,
  file: { sha256: string; path: string; size: number; fetchedAt: string },
): void {
  prepared<[string, string, number, string]>(
    db,
    'INSERT OR REPLACE INTO file_cache (sha256, path, size, fetched_at) VALUES (?, ?, ?, ?)',
  ).run(file.sha256, file.path, file.size, file.fetchedAt)
}

type AttachmentWithProject = AttachmentRow & { project_id: string }

const withProject = (a: AttachmentWithProject): Attachment => toAttachment(a, a.project_id)

/** Attachments at or under `maxBytes` not cached yet, newest first. */
export function uncachedAttachments(db: Database, maxBytes: number, limit: number): Attachment[] {
  return prepared<[number, number], AttachmentWithProject>(
    db,
    `SELECT a.*, m.project_id FROM attachments a JOIN messages m ON m.id = a.message_id
    WHERE a.size <= ? AND NOT EXISTS (SELECT 1 FROM file_cache f WHERE f.sha256 = a.sha256) ORDER BY m.pk DESC LIMIT ?`,
  )
    .all(maxBytes, limit)
    .map(withProject)
}

/** An attachment the cache knows, with its project; null when unknown or not yet on the server. */
export function attachmentById(db: Database, id: string): Attachment | null {
  const row = prepared<[string], AttachmentWithProject>(
    db,
    'SELECT a.*, m.project_id FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?',
  ).get(id)
  return row?.sha256 ? withProject(row) : null
}
