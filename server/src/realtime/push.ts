import {
  changeSetOf,
  serverEvents,
  type ChangeSet,
  type ChangesEvent,
  type ReadReceipt,
} from '../../../src/shared/protocol'
import type { Changed } from '../domain/changed'
import { publicSettings } from '../domain/settings'
import { toRead } from '../repositories/entities'
import type { DirectoryPush, LiveRepository, ThreadPush } from '../repositories/live'
import { rooms, type PortalIo } from './sockets'

function maxSeq(set: ChangeSet): number {
  return Math.max(
    0,
    ...[...set.people, ...set.projects, ...set.threads, ...set.messages, ...set.reads].map(
      (e) => e.seq,
    ),
  )
}

/**
 * Pushes what a committed write changed to every room that may see it, in the shape of a feed
 * page: staff rooms get the whole thread, customer rooms its public part, and each audience the
 * settings it may see.
 */
export class ChangePusher {
  constructor(
    private readonly io: PortalIo,
    private readonly live: LiveRepository,
  ) {}

  async push(changed: Changed): Promise<void> {
    const threads = await this.live.threadPush(changed)
    if (threads) this.pushThreads(changed, threads)
    this.pushDirectory(changed.companyId, await this.live.directoryPush(changed))
    for (const { userId, threadId } of changed.removed)
      this.emit([rooms.user(userId)], { removedThreadIds: [threadId] })
  }

  private pushThreads(changed: Changed, push: ThreadPush): void {
    for (const row of push.rows) {
      const inThread = push.messages.filter((m) => m.threadId === row.id)
      const reads: ReadReceipt[] = push.reads.filter((r) => r.thread_id === row.id).map(toRead)
      this.emit(
        [
          rooms.companyAdmin(row.company_id),
          rooms.projectStaff(row.project_id),
          rooms.threadStaff(row.id),
        ],
        { threads: push.staffThreads.filter((t) => t.id === row.id), messages: inThread, reads },
      )

      const publicMessages = inThread.filter((m) => !m.internal)
      const onlyInternal = inThread.length > 0 && publicMessages.length === 0
      const threadTouched = changed.threadIds.has(row.id) && !onlyInternal
      if (publicMessages.length || threadTouched) {
        this.emit([rooms.threadCustomer(row.id)], {
          threads: push.customerThreads.filter((t) => t.id === row.id),
          messages: publicMessages,
        })
      }
      // Customers learn only their own read marks (for their unread counts on other devices).
      for (const read of reads.filter((r) => !push.staffReaderIds.has(r.userId)))
        this.emit([rooms.user(read.userId)], { reads: [read] })
    }
  }

  private pushDirectory(companyId: string, push: DirectoryPush): void {
    if (push.projects) {
      this.emit([rooms.companyStaff(companyId)], { projects: push.projects })
      for (const project of push.projects)
        this.emit([rooms.projectCustomer(project.id)], { projects: [project] })
    }
    if (push.people) this.emit([rooms.companyStaff(companyId)], { people: push.people })
    if (push.settings) {
      this.emit([rooms.companyStaff(companyId)], { settings: push.settings })
      this.emit([rooms.companyCustomer(companyId)], { settings: publicSettings(push.settings) })
    }
  }

  /** Emits a change set made of `part` (the rest empty). */
  private emit(target: string[], part: Partial<ChangeSet>): void {
    const changes = changeSetOf(part)
    const event: ChangesEvent = { seq: maxSeq(changes), changes }
    this.io.to(target).emit(serverEvents.changes, event)
  }
}
