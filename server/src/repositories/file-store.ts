import { createReadStream, createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { newId } from '../util'

/** One upload on its way in: bytes go to `sink`; then it is kept under a name, or discarded. */
export interface IncomingUpload {
  readonly sink: Writable
  keep(storageName: string): Promise<void>
  /** Removes whatever arrived; safe whether or not the sink opened. */
  discard(): Promise<void>
}

/**
 * Where attachment files live: local disk today, object storage (S3) next. Files are named by
 * the store (`storageNameFor`), never by what a person called them.
 */
export interface FileStore {
  /** Makes the store ready and removes the leftovers of uploads cut off by a crash. */
  init(): Promise<void>
  storageNameFor(id: string): string
  receive(): IncomingUpload
  /** The file's bytes, or null when it is missing from storage. */
  open(storageName: string): Promise<Readable | null>
  remove(storageName: string): Promise<void>
}

/**
 * Files under <data>/attachments, outside anything served, under generated names. An upload
 * streams into <data>/attachments/.incoming and is moved into place only once it is accepted.
 */
export class DiskFileStore implements FileStore {
  private readonly root: string
  private readonly incoming: string

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'attachments')
    this.incoming = path.join(this.root, '.incoming')
  }

  async init(): Promise<void> {
    await fs.mkdir(this.incoming, { recursive: true })
    for (const name of await fs.readdir(this.incoming))
      await fs.rm(path.join(this.incoming, name), { force: true })
  }

  storageNameFor(id: string): string {
    return path.join(id.slice(-2), id)
  }

  receive(): IncomingUpload {
    const tempPath = path.join(this.incoming, `${newId()}.part`)
    const sink = createWriteStream(tempPath, { flags: 'wx' })
    return {
      sink,
      keep: async (storageName) => {
        await fs.mkdir(path.dirname(path.join(this.root, storageName)), { recursive: true })
        await fs.rename(tempPath, path.join(this.root, storageName))
      },
      discard: async () => {
        // A pipeline that failed early may not have opened the file yet: removing it before the
        // open completes would leave the file behind. Wait until the stream has closed.
        if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()))
        await fs.rm(tempPath, { force: true })
      },
    }
  }

  async open(storageName: string): Promise<Readable | null> {
    const file = path.join(this.root, storageName)
    const exists = await fs.access(file).then(
      () => true,
      () => false,
    )
    return exists ? createReadStream(file) : null
  }

  async remove(storageName: string): Promise<void> {
    await fs.rm(path.join(this.root, storageName), { force: true })
  }
}
