import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { v7 as uuidv7 } from 'uuid'
import {
  checkFileName,
  fileTooLargeMessage,
  formatBytes,
  knownFileTypeKeys,
  sanitizeFileName,
} from '../../shared/files'
import type { StagedFile } from '../../shared/ipc'
import type { Attachment, CompanySettings, PublicSettings } from '../../shared/protocol'
import type { PortalApi } from './api'
import type { StagedFileRow } from './cache/files-table'
import type { CacheStore } from './cache/store'
import { EngineError } from './errors'
import type { EngineEvents } from './events'
import { nowIso, type Clock } from '../../shared/clock'

/** Attachments at or under this size are fetched ahead of time, so they open offline. */
export const PREFETCH_MAX_BYTES = 2 * 1024 * 1024

/**
 * The largest file readAttachment hands to the page: its bytes cross IPC (or the headless host's
 * WebSocket, as base64) and sit in the renderer's memory. Larger files are opened or saved.
 */
export const READ_MAX_BYTES = 50 * 1024 * 1024

/**
 * Files on this machine: attachments staged for sending (copied in, so the outbox can upload them
 * after a restart even if the original moved) and downloaded attachments in a content-addressed
 * cache (<dir>/files/ab/<sha256>), checked against the server's hash before they are kept.
 */
export class FileStore {
  private readonly stagedDir: string
  private readonly filesDir: string
  private readonly inflight = new Map<string, Promise<string>>()

  constructor(
    private readonly store: CacheStore,
    dir: string,
    private readonly events: EngineEvents,
    private readonly clock: Clock,
  ) {
    this.stagedDir = path.join(dir, 'staged')
    this.filesDir = path.join(dir, 'files')
  }

  async init(): Promise<void> {
    await fs.mkdir(this.stagedDir, { recursive: true })
    await fs.mkdir(this.filesDir, { recursive: true })
  }

  /** Checks a file against the company's limits and types before anything is uploaded. */
  check(name: string, size: number): { name: string; contentType: string } {
    const settings = this.store.settings() as CompanySettings | PublicSettings | null
    const clean = sanitizeFileName(name)
    if (!clean)
      throw new EngineError(
        'FILE_NAME_INVALID',
        'The file has no usable name; rename it and try again.',
      )
    if (size === 0) throw new EngineError('FILE_EMPTY', `"${clean}" is empty (0 bytes).`)
    if (settings) {
      if (size > settings.maxFileBytes)
        throw new EngineError(
          'FILE_TOO_LARGE',
          fileTooLargeMessage(clean, size, settings.maxFileBytes),
        )
      const check = checkFileName(clean, settings.allowedFileTypes)
      if (!check.ok) throw new EngineError(check.code, check.message)
      return { name: clean, contentType: check.contentType }
    }
    return { name: clean, contentType: 'application/octet-stream' }
  }

  async stageBytes(name: string, bytes: Uint8Array): Promise<StagedFile> {
    const checked = this.check(name, bytes.byteLength)
    const id = uuidv7()
    const file = path.join(this.stagedDir, id)
    await fs.writeFile(file, bytes)
    return this.recordStaged(
      id,
      checked,
      bytes.byteLength,
      file,
      createHash('sha256').update(bytes).digest('hex'),
    )
  }

  async stagePath(source: string): Promise<StagedFile> {
    let stat
    try {
      stat = await fs.stat(source)
    } catch {
      throw new EngineError(
        'FILE_NOT_FOUND',
        `The file ${path.basename(source)} could not be read. It may have been moved or deleted.`,
      )
    }
    if (!stat.isFile())
      throw new EngineError('FILE_NOT_FOUND', `${path.basename(source)} is a folder, not a file.`)
    const checked = this.check(path.basename(source), stat.size)
    const id = uuidv7()
    const file = path.join(this.stagedDir, id)
    const hash = createHash('sha256')
    await pipeline(createReadStream(source), hashing(hash), createWriteStream(file))
    return this.recordStaged(id, checked, stat.size, file, hash.digest('hex'))
  }

  private recordStaged(
    id: string,
    checked: { name: string; contentType: string },
    size: number,
    file: string,
    sha256: string,
  ): StagedFile {
    this.store.files.insertStagedFile({
      id,
      name: checked.name,
      size,
      content_type: checked.contentType,
      path: file,
      sha256,
      created_at: nowIso(this.clock),
    })
    return { id, name: checked.name, size, contentType: checked.contentType }
  }

  staged(ids: string[]): StagedFileRow[] {
    return ids.map((id) => {
      const row = this.store.files.stagedFile(id)
      if (!row)
        throw new EngineError(
          'FILE_NOT_FOUND',
          'An attached file is no longer staged. Attach it again.',
        )
      return row
    })
  }

  async unstage(id: string): Promise<void> {
    const row = this.store.files.stagedFile(id)
    this.store.files.deleteStagedFile(id)
    if (row) await fs.rm(row.path, { force: true })
  }

  /** Uploads staged files that are not on the server yet; the staged id is the upload's client id, so a retry never doubles a file. */
  async upload(api: PortalApi, projectId: string, ids: string[]): Promise<string[]> {
    const result: string[] = []
    for (const row of this.staged(ids)) {
      if (row.uploaded_attachment_id) {
        result.push(row.uploaded_attachment_id)
        continue
      }
      const blob = await openAsBlob(row.path, { type: row.content_type })
      const { attachment } = await api.upload(projectId, row.id, row.name, blob, (done, total) =>
        this.events.emit('transfer', { id: row.id, direction: 'upload', done, total }),
      )
      this.store.files.setUploaded(row.id, attachment.id)
      result.push(attachment.id)
    }
    return result
  }

  /** The local path of an attachment, downloading it (once, however many ask at the same time) when it is not cached. */
  async download(
    api: PortalApi | null,
    attachment: Pick<Attachment, 'id' | 'sha256' | 'size' | 'name'>,
  ): Promise<string> {
    const cached = await this.cachedPath(attachment.sha256)
    if (cached) return cached
    if (!api)
      throw new EngineError(
        'OFFLINE',
        `"${attachment.name}" has not been downloaded yet, and you are offline. It downloads when the connection is back.`,
      )
    const running = this.inflight.get(attachment.sha256)
    if (running) return running
    const job = this.fetch(api, attachment).finally(() => this.inflight.delete(attachment.sha256))
    this.inflight.set(attachment.sha256, job)
    return job
  }

  private async cachedPath(sha256: string): Promise<string | null> {
    const cached = this.store.files.cachedFilePath(sha256)
    if (!cached) return null
    try {
      await fs.access(cached)
      return cached
    } catch {
      this.store.files.forgetCachedFile(sha256)
      return null
    }
  }

  private async fetch(
    api: PortalApi,
    attachment: Pick<Attachment, 'id' | 'sha256' | 'size' | 'name'>,
  ): Promise<string> {
    const dir = path.join(this.filesDir, attachment.sha256.slice(0, 2))
    await fs.mkdir(dir, { recursive: true })
    const final = path.join(dir, attachment.sha256)
    const temp = `${final}.${process.pid}.part`
    const hash = createHash('sha256')
    try {
      const stream = await api.download(attachment.id, (done, total) =>
        this.events.emit('transfer', {
          id: attachment.id,
          direction: 'download',
          done,
          total: total || attachment.size,
        }),
      )
      await pipeline(stream as Readable, hashing(hash), createWriteStream(temp))
      if (hash.digest('hex') !== attachment.sha256)
        throw new EngineError(
          'SERVER_UNREACHABLE',
          `"${attachment.name}" arrived damaged; it will be downloaded again.`,
        )
      await fs.rename(temp, final)
    } catch (err) {
      await fs.rm(temp, { force: true })
      throw err
    }
    this.store.files.rememberCachedFile({
      sha256: attachment.sha256,
      path: final,
      size: attachment.size,
      fetchedAt: nowIso(this.clock),
    })
    return final
  }

  /** An attachment's bytes, downloaded first when not cached: thumbnails and "Save as" in the page. */
  async read(api: PortalApi | null, attachment: Attachment): Promise<Uint8Array> {
    const tooLarge = (size: number) =>
      new EngineError(
        'FILE_TOO_LARGE',
        `"${attachment.name}" is ${formatBytes(size)}, too large to show here (the limit is ${formatBytes(READ_MAX_BYTES)}). Use Open or Download instead.`,
      )
    if (attachment.size > READ_MAX_BYTES) throw tooLarge(attachment.size)
    const file = await this.download(api, attachment)
    const { size } = await fs.stat(file)
    if (size > READ_MAX_BYTES) throw tooLarge(size)
    const buffer = await fs.readFile(file)
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  }

  /**
   * A copy of an attachment under its own name, for the system's app to open: the cache names
   * files by their hash, which no app knows what to do with. A copy rather than a link, so an app
   * that saves into it cannot change the cached original. Only the known document and image types
   * are handed to the system (the server accepts nothing else; this guards against a name that
   * would run as a program if it ever got through).
   */
  async openableCopy(api: PortalApi | null, attachment: Attachment): Promise<string> {
    const name = sanitizeFileName(attachment.name)
    if (!name || !checkFileName(name, knownFileTypeKeys).ok)
      throw new EngineError(
        'FILE_TYPE_NOT_ALLOWED',
        `Portal Inbox does not open "${attachment.name}" with another app because of its type. Use Download to save it instead.`,
      )
    const source = await this.download(api, attachment)
    const dir = path.join(this.filesDir, 'open', attachment.id)
    const target = path.join(dir, name)
    try {
      await fs.access(target)
      return target
    } catch {
      // Not copied yet.
    }
    await fs.mkdir(dir, { recursive: true })
    const temp = path.join(dir, `.${process.pid}.part`)
    await fs.copyFile(source, temp)
    await fs.rename(temp, target)
    return target
  }

  /** Small attachments not cached yet, newest first: what prefetch fetches while online. */
  prefetchCandidates(limit = 20): Attachment[] {
    return this.store.files.uncachedAttachments(PREFETCH_MAX_BYTES, limit)
  }

  /** An attachment the cache knows, with its project; null when unknown or not yet on the server. */
  attachment(id: string): Attachment | null {
    return this.store.files.attachmentById(id)
  }

  async wipe(): Promise<void> {
    await fs.rm(this.stagedDir, { recursive: true, force: true })
    await fs.rm(this.filesDir, { recursive: true, force: true })
    await this.init()
  }
}

/** Passes bytes through while hashing them. */
function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    },
  })
}
