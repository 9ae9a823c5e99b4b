import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileTypeFromBuffer } from 'file-type'
import type { Kysely } from 'kysely'
import type { Attachment } from '../../../src/shared/protocol'
import {
  checkFileBytes,
  checkFileName,
  fileTooLargeMessage,
  formatBytes,
  sanitizeFileName,
} from '../../../src/shared/files'
import type { Database } from '../db/schema'
import { messageVisible, projectVisible } from '../domain/access'
import { isAdmin, type Caller } from '../domain/caller'
import { assertMaySend } from '../domain/rules'
import { AppError, forbidden, notFound } from '../errors'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import { newId } from '../util'
import { loadCompany } from './companies'
import { toAttachment } from './entities'

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
 * Attachment files live under <data>/attachments, outside anything served, under generated names.
 * An upload streams into <data>/attachments/.incoming with the size limit enforced as bytes
 * arrive; the type is decided from the first bytes; only then is it moved into place and
 * recorded. Whatever goes wrong, the partial file is removed.
 */
export class AttachmentStore {
  readonly root: string
  private readonly incoming: string

  constructor(
    private readonly db: Kysely<Database>,
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.root = path.join(dataDir, 'attachments')
    this.incoming = path.join(this.root, '.incoming')
  }

  async init(): Promise<void> {
    await fs.mkdir(this.incoming, { recursive: true })
    // Leftovers of uploads cut off by a crash.
    for (const name of await fs.readdir(this.incoming))
      await fs.rm(path.join(this.incoming, name), { force: true })
  }

  /** The upload limit for a project right now: the per-file limit or the storage left, whichever is smaller. */
  async limitsFor(caller: Caller, projectId: string) {
    // A project the caller may not see is answered as missing, in words that name nothing.
    const project = await this.db
      .selectFrom('projects as p')
      .selectAll('p')
      .where('p.id', '=', projectId)
      .where(projectVisible(caller, 'p'))
      .executeTakeFirst()
    if (!project) throw notFound('The project')
    const { settings } = await loadCompany(this.db, caller.companyId)
    const used = await this.usedBytes(projectId)
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
      const existing = await this.db
        .selectFrom('attachments')
        .selectAll()
        .where('uploader_id', '=', caller.id)
        .where('client_id', '=', clientId)
        .executeTakeFirst()
      if (existing) {
        file.stream.resume()
        // The caller's right to upload here was checked above; the first upload is handed back
        // only while it is still theirs to see (not yet sent, or in a message they may read).
        if (existing.project_id !== projectId)
          throw new AppError(
            'CLIENT_ID_CONFLICT',
            'This client id was already used for another upload. Send the file with a new client id.',
          )
        if (existing.message_id !== null) {
          const visible = await this.db
            .selectFrom('messages as m')
            .select('m.id')
            .where('m.id', '=', existing.message_id)
            .where(messageVisible(caller, 'm'))
            .executeTakeFirst()
          if (!visible) throw notFound('The file')
        }
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
    const tempPath = path.join(this.incoming, `${newId()}.part`)
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
    const sink = createWriteStream(tempPath, { flags: 'wx' })
    try {
      await pipeline(file.stream, meter, sink)
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
      const storageName = path.join(id.slice(-2), id)
      await fs.mkdir(path.join(this.root, id.slice(-2)), { recursive: true })
      const row = await this.db.transaction().execute(async (trx) => {
        // Checked again inside the write: two uploads racing for the last of the quota cannot both win.
        const used = await this.usedBytes(projectId, trx)
        if (used + size > settings.projectQuotaBytes) {
          throw new AppError(
            'PROJECT_STORAGE_FULL',
            `${project.name} has ${formatBytes(Math.max(0, settings.projectQuotaBytes - used))} of storage left; "${name}" is ${formatBytes(size)}.`,
          )
        }
        const values = {
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
        await trx.insertInto('attachments').values(values).execute()
        await fs.rename(tempPath, path.join(this.root, storageName))
        return values
      })
      return { attachment: toAttachment(row), created: true }
    } catch (err) {
      file.stream.resume()
      // A pipeline that failed early may not have opened the file yet: removing it before the
      // open completes would leave the file behind. Wait until the stream has closed.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()))
      await fs.rm(tempPath, { force: true })
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
    const row = await this.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', attachmentId)
      .where('company_id', '=', caller.companyId)
      .executeTakeFirst()
    if (!row) throw notFound('The file')
    if (row.message_id === null) {
      if (row.uploader_id !== caller.id) throw notFound('The file')
    } else {
      const visible = await this.db
        .selectFrom('messages as m')
        .select('m.id')
        .where('m.id', '=', row.message_id)
        .where(messageVisible(caller, 'm'))
        .executeTakeFirst()
      if (!visible) throw notFound('The file')
    }
    const file = path.join(this.root, row.storage_name)
    await fs.access(file).catch(() => {
      throw new AppError(
        'NOT_FOUND',
        `The file "${row.name}" is missing from storage. Ask the sender to attach it again.`,
      )
    })
    return { attachment: toAttachment(row), stream: createReadStream(file) }
  }

  /** Uploads never attached to a message within a day are removed with their files. */
  async removeAbandoned(olderThanMs = 24 * 3600_000): Promise<number> {
    const cutoff = isoIn(this.clock, -olderThanMs)
    const rows = await this.db
      .selectFrom('attachments')
      .select(['id', 'storage_name'])
      .where('message_id', 'is', null)
      .where('created_at', '<', cutoff)
      .execute()
    for (const row of rows) {
      await this.db
        .deleteFrom('attachments')
        .where('id', '=', row.id)
        .where('message_id', 'is', null)
        .execute()
      await fs.rm(path.join(this.root, row.storage_name), { force: true })
    }
    return rows.length
  }

  private async usedBytes(
    projectId: string,
    db: Pick<Kysely<Database>, 'selectFrom'> = this.db,
  ): Promise<number> {
    const row = await db
      .selectFrom('attachments')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.val(0)).as('used'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow()
    return Number(row.used)
  }

  /** Uploading is part of writing: the same people who may start a conversation in the project or write in one of its threads. */
  private async assertMayUpload(
    caller: Caller,
    projectId: string,
    projectName: string,
  ): Promise<void> {
    if (isAdmin(caller)) return
    const member = await this.db
      .selectFrom('project_members')
      .select('user_id')
      .where('project_id', '=', projectId)
      .where('user_id', '=', caller.id)
      .executeTakeFirst()
    if (member) return
    const participant = await this.db
      .selectFrom('thread_participants as p')
      .innerJoin('threads as t', 't.id', 'p.thread_id')
      .select('p.user_id')
      .where('t.project_id', '=', projectId)
      .where('p.user_id', '=', caller.id)
      .executeTakeFirst()
    if (!participant)
      throw forbidden(
        `You cannot attach files in ${projectName}: you are not on this project or any of its conversations.`,
      )
  }
}
