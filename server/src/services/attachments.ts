import { createHash } from 'node:crypto'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileTypeFromBuffer } from 'file-type'
import type { PortalDb } from '../db/handle'
import type { Attachment } from '../../../src/shared/protocol'
import {
  checkFileBytes,
  checkFileName,
  fileTooLargeMessage,
  formatBytes,
  sanitizeFileName,
} from '../../../src/shared/files'
import type { AttachmentRow } from '../db/schema'
import { isAdmin, type Caller } from '../domain/caller'
import { assertMaySend } from '../domain/rules'
import { AppError, forbidden, notFound } from '../errors'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import { newId } from '../util'
import {
  attachmentByClientId,
  deleteUnsent,
  inAThreadOf,
  insertAttachment,
  unsentBefore,
  usedBytes,
} from '../repositories/attachments'
import { loadCompany } from '../repositories/companies'
import { toAttachment } from '../repositories/entities'
import type { FileStore } from '../repositories/file-store'
import { findForCaller } from '../repositories/find'
import { messageVisibleTo } from '../repositories/messages'
import { isProjectMember } from '../repositories/participants'

const SNIFF_BYTES = 4100

export interface IncomingFile {
  filename: string
  stream: Readable
  /** The request's Content-Length, for telling a person roughly how large a refused file was. */
  declaredBytes: number | null
  /** Resolves when the request ends after this file; throws when more parts follow. */
  formEnded?: () => Promise<void>
}

/**
 * Attachments: an upload streams into the file store with the size limit enforced as bytes
 * arrive; the type is decided from the first bytes; only then is it kept and recorded. Whatever
 * goes wrong, the partial file is removed. A download is the file of a message the caller may read.
 */
export class AttachmentService {
  constructor(
    private readonly db: PortalDb,
    private readonly files: FileStore,
    private readonly clock: Clock,
  ) {}

  init(): Promise<void> {
    return this.files.init()
  }

  /** The upload limit for a project right now: the per-file limit or the storage left, whichever is smaller. */
  async limitsFor(caller: Caller, projectId: string) {
    // A project the caller may not see is answered as missing, in words that name nothing.
    const project = await findForCaller(this.db, caller, {
      kind: 'project',
      id: projectId,
      in: 'sight',
    })
    const { settings } = await loadCompany(this.db, caller.companyId)
    const used = await usedBytes(this.db, projectId)
    return { project, settings, used, remaining: Math.max(0, settings.projectQuotaBytes - used) }
  }

  async upload(
    caller: Caller,
    projectId: string,
    clientId: string | undefined,
    file: IncomingFile,
  ): Promise<{ attachment: Attachment; created: boolean }> {
    const { project, settings, remaining } = await this.limitsFor(caller, projectId)
    await this.assertMayUpload(caller, projectId, project.name)
    assertMaySend(caller, settings, project, false)

    if (clientId) {
      const existing = await attachmentByClientId(this.db, caller.id, clientId)
      if (existing) {
        file.stream.resume()
        // The caller's right to upload here was checked above; the first upload is handed back
        // only while it is still theirs to see (not yet sent, or in a message they may read).
        if (existing.project_id !== projectId)
          throw new AppError(
            'CLIENT_ID_CONFLICT',
            'This client id was already used for another upload. Send the file with a new client id.',
          )
        if (
          existing.message_id !== null &&
          !(await messageVisibleTo(this.db, caller, existing.message_id))
        )
          throw notFound('The file')
        return { attachment: toAttachment(existing), created: false }
      }
    }

    const name = sanitizeFileName(file.filename)
    const byName = checkFileName(file.filename, settings.allowedFileTypes)
    if (!name || !byName.ok) {
      file.stream.resume()
      throw new AppError(
        byName.ok ? 'FILE_NAME_INVALID' : byName.code,
        byName.ok ? 'The file has no usable name; rename it and try again.' : byName.message,
      )
    }
    if (remaining <= 0) {
      file.stream.resume()
      throw new AppError(
        'PROJECT_STORAGE_FULL',
        `${project.name} has used all of its ${formatBytes(settings.projectQuotaBytes)} of storage. Ask your builder to remove old files or raise the limit.`,
      )
    }

    const limit = Math.min(settings.maxFileBytes, remaining)
    const hash = createHash('sha256')
    let size = 0
    let head = Buffer.alloc(0)
    let overLimit = false
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length
        if (size > limit) {
          overLimit = true
          done(new Error('over limit'))
          return
        }
        if (head.length < SNIFF_BYTES)
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)])
        hash.update(chunk)
        done(null, chunk)
      },
    })
    const incoming = this.files.receive()
    try {
      await pipeline(file.stream, meter, incoming.sink)
      if ((file.stream as Readable & { truncated?: boolean }).truncated) overLimit = true
      if (overLimit) throw new Error('over limit')
      // One file per request: a form that goes on after it is refused before anything is stored.
      await file.formEnded?.()
      if (size === 0)
        throw new AppError(
          'FILE_EMPTY',
          `"${name}" is empty (0 bytes). Choose the file again; it may not have finished saving.`,
        )

      const detected = await fileTypeFromBuffer(head)
      const check = checkFileBytes(name, settings.allowedFileTypes, detected?.ext, head.includes(0))
      if (!check.ok) throw new AppError(check.code, check.message)

      const id = newId()
      const storageName = this.files.storageNameFor(id)
      const row = await this.db.transaction().execute(async (trx) => {
        // Checked again inside the write: two uploads racing for the last of the quota cannot both win.
        const used = await usedBytes(trx, projectId)
        if (used + size > settings.projectQuotaBytes) {
          throw new AppError(
            'PROJECT_STORAGE_FULL',
            `${project.name} has ${formatBytes(Math.max(0, settings.projectQuotaBytes - used))} of storage left; "${name}" is ${formatBytes(size)}.`,
          )
        }
        const values: AttachmentRow = {
          id,
          company_id: caller.companyId,
          project_id: projectId,
          message_id: null,
          uploader_id: caller.id,
          client_id: clientId ?? null,
          name,
          size,
          content_type: check.contentType,
          sha256: hash.digest('hex'),
          storage_name: storageName,
          created_at: nowIso(this.clock),
        }
        await insertAttachment(trx, values)
        await incoming.keep(storageName)
        return values
      })
      return { attachment: toAttachment(row), created: true }
    } catch (err) {
      file.stream.resume()
      await incoming.discard()
      if (overLimit) {
        if (settings.maxFileBytes <= remaining) {
          throw new AppError(
            'FILE_TOO_LARGE',
            fileTooLargeMessage(name, file.declaredBytes, settings.maxFileBytes),
            { limitBytes: settings.maxFileBytes },
          )
        }
        throw new AppError(
          'PROJECT_STORAGE_FULL',
          `${project.name} has ${formatBytes(remaining)} of storage left, less than "${name}" needs. Ask your builder to make room.`,
          { remainingBytes: remaining },
        )
      }
      throw err
    }
  }

  /** Opens an attachment for download if the caller may read the message it belongs to. */
  async open(
    caller: Caller,
    attachmentId: string,
  ): Promise<{ attachment: Attachment; stream: Readable }> {
    const row = await findForCaller(this.db, caller, {
      kind: 'file',
      id: attachmentId,
      in: 'company',
    })
    const mayRead =
      row.message_id === null
        ? row.uploader_id === caller.id
        : await messageVisibleTo(this.db, caller, row.message_id)
    if (!mayRead) throw notFound('The file')
    const stream = await this.files.open(row.storage_name)
    if (!stream)
      throw new AppError(
        'NOT_FOUND',
        `The file "${row.name}" is missing from storage. Ask the sender to attach it again.`,
      )
    return { attachment: toAttachment(row), stream }
  }

  /** Uploads never attached to a message within a day are removed with their files. */
  async removeAbandoned(olderThanMs = 24 * 3600_000): Promise<number> {
    const cutoff = isoIn(this.clock, -olderThanMs)
    const rows = await unsentBefore(this.db, cutoff)
    for (const row of rows) {
      // A message that took the file meanwhile keeps it.
      if (await deleteUnsent(this.db, row.id)) await this.files.remove(row.storage_name)
    }
    return rows.length
  }

  /** Uploading is part of writing: the same people who may start a conversation in the project or write in one of its threads. */
  private async assertMayUpload(
    caller: Caller,
    projectId: string,
    projectName: string,
  ): Promise<void> {
    if (isAdmin(caller)) return
    if (await isProjectMember(this.db, projectId, caller.id)) return
    if (!(await inAThreadOf(this.db, projectId, caller.id)))
      throw forbidden(
        `You cannot attach files in ${projectName}: you are not on this project or any of its conversations.`,
      )
  }
}
