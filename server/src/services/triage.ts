import type { PortalDb } from '../db/handle'
import type { z } from 'zod'
import type { Thread, ThreadPatch } from '../../../src/shared/protocol'
import { isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { AppError, forbidden } from '../errors'
import { lookUpForCaller } from '../repositories/find'
import { canSee } from '../repositories/participants'
import type { SearchIndex } from '../repositories/search'
import { threadFor, touchThread, triageColumns, visibleThreadRow } from '../repositories/threads'
import type { ParticipantService } from './participants'
import type { Created } from './written'

/** Triage: a thread's status, assignee, snooze and subject. Staff only. */
export class TriageService {
  constructor(
    private readonly db: PortalDb,
    private readonly search: SearchIndex,
    private readonly participants: ParticipantService,
  ) {}

  async update(
    caller: Caller,
    threadId: string,
    patch: z.output<typeof ThreadPatch>,
  ): Promise<Created<Thread>> {
    if (!isStaff(caller))
      throw forbidden('Only staff can change a conversation’s status, assignee or snooze.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      if (patch.assigneeId) {
        const assignee = await lookUpForCaller(trx, caller, {
          kind: 'person',
          id: patch.assigneeId,
          in: 'company',
        })
        if (!assignee || (assignee.role !== 'admin' && assignee.role !== 'staff')) {
          throw new AppError(
            'VALIDATION_FAILED',
            'Conversations can only be assigned to staff members of your company.',
          )
        }
        // An assignee must be able to read what they are assigned: add them when they are not on the project.
        if (!(await canSee(trx, assignee.id, thread)))
          await this.participants.addParticipant(
            trx,
            { caller, thread, userId: assignee.id },
            changed,
          )
      }
      await touchThread(trx, caller.companyId, threadId, triageColumns(patch))
      if (patch.subject !== undefined) await this.search.renameThread(trx, threadId, patch.subject)
      changed.threadIds.add(threadId)
      return { result: await threadFor(trx, caller, threadId), created: false, changed }
    })
  }
}
