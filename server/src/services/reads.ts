import type { PortalDb } from '../db/handle'
import type { ReadReceipt } from '../../../src/shared/protocol'
import type { Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { nowIso, type Clock } from '../../../src/shared/clock'
import { toRead } from '../repositories/entities'
import { insertReads, readsOf, unreadAmong } from '../repositories/reads'
import { visibleMessageIds } from '../repositories/messages'
import { visibleThreadRow } from '../repositories/threads'
import type { Created } from './written'

/** Read state: a person marks messages read, once each; the first read time is kept. */
export class ReadService {
  constructor(
    private readonly db: PortalDb,
    private readonly clock: Clock,
  ) {}

  /** Marks messages read for the caller; ids the caller cannot see are ignored. */
  async markRead(caller: Caller, messageIds: string[]): Promise<Created<ReadReceipt[]>> {
    return this.db.transaction().execute(async (trx) => {
      const changed = new Changed(caller.companyId)
      const messages = await unreadAmong(trx, caller, messageIds)
      if (messages.length) {
        await insertReads(
          trx,
          { companyId: caller.companyId, userId: caller.id, readAt: nowIso(this.clock) },
          messages,
        )
        for (const m of messages) changed.reads.push({ messageId: m.id, userId: caller.id })
      }
      // Only read marks of messages the caller may still see: a repeat of an old request after
      // losing a thread must not hand back that thread's ids and times.
      const rows = await readsOf(trx, caller, messageIds)
      return { result: rows.map(toRead), created: messages.length > 0, changed }
    })
  }

  async markThreadRead(caller: Caller, threadId: string): Promise<Created<ReadReceipt[]>> {
    await visibleThreadRow(this.db, caller, threadId)
    const ids = await visibleMessageIds(this.db, caller, { threadId })
    if (!ids.length) return { result: [], created: false, changed: new Changed(caller.companyId) }
    return this.markRead(caller, ids)
  }
}
