import type { PortalDb } from '../db/handle'
import type { Thread } from '../../../src/shared/protocol'
import type { ProjectRow, ThreadRow } from '../db/schema'
import { isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { AppError, forbidden } from '../errors'
import { nowIso, type Clock } from '../../../src/shared/clock'
import { loadCompany, type CompanyContext } from '../repositories/companies'
import { findForCaller } from '../repositories/find'
import {
  addParticipants,
  canSee,
  grantThreadAccess,
  isParticipant,
  isProjectMember,
  recordRevocation,
  removeParticipant,
  touchPerson,
} from '../repositories/participants'
import { projectOf, threadFor, touchThread, visibleThreadRow } from '../repositories/threads'
import type { Created } from './written'

type Db = PortalDb

/** Who is in a conversation: staff add and remove people by the rules of who may join. */
export class ParticipantService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async add(caller: Caller, threadId: string, userId: string): Promise<Created<Thread>> {
    if (!isStaff(caller)) throw forbidden('Only staff can add people to a conversation.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      const added = await this.join(trx, { caller, thread, userId }, changed)
      return { result: await threadFor(trx, caller, threadId), created: added, changed }
    })
  }

  /**
   * Puts a person of the caller's company in a thread the caller may see, by the rules of who may
   * join; false when they were in it already. `asGuest` lets in a customer who is not a contact on
   * the project, as a guest of this thread (an invitation by email, which names them on purpose).
   */
  async join(
    trx: Db,
    j: { caller: Caller; thread: ThreadRow; userId: string; asGuest?: boolean },
    changed: Changed,
  ): Promise<boolean> {
    if (await isParticipant(trx, j.thread.id, j.userId)) return false
    const company = await loadCompany(trx, j.caller.companyId)
    const project = await projectOf(trx, j.thread)
    await assertMayJoin(trx, { ...j, company, project })
    await this.addParticipant(trx, j, changed)
    return true
  }

  async remove(caller: Caller, threadId: string, userId: string): Promise<Created<Thread>> {
    if (!isStaff(caller)) throw forbidden('Only staff can remove people from a conversation.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      if (await removeParticipant(trx, threadId, userId)) {
        await touchThread(trx, caller.companyId, threadId)
        changed.threadIds.add(threadId)
        changed.accessUserIds.add(userId)
        if (!(await canSee(trx, userId, thread)))
          await recordRevocation(trx, { companyId: caller.companyId, userId, threadId }, changed)
      }
      return { result: await threadFor(trx, caller, threadId), created: false, changed }
    })
  }

  /** The person's place in the thread, with the thread's history theirs to pull. */
  async addParticipant(
    trx: Db,
    a: { caller: Caller; thread: ThreadRow; userId: string },
    changed: Changed,
  ): Promise<void> {
    const { caller, thread, userId } = a
    await addParticipants(trx, {
      threadId: thread.id,
      userIds: [userId],
      addedBy: caller.id,
      addedAt: nowIso(this.clock),
    })
    await grantThreadAccess(
      trx,
      { companyId: caller.companyId, threadId: thread.id, userId },
      changed,
    )
    // The newcomer needs to know the people already in the thread, and they need to know the newcomer.
    await touchPerson(trx, caller.companyId, userId)
    changed.personIds.add(userId)
    changed.accessUserIds.add(userId)
  }
}

/**
 * Who may join a thread: a person of the caller's company, added by staff; a subcontractor only
 * where the company allows them; a customer only as a contact on the project, or as a guest.
 */
export async function assertMayJoin(
  trx: Db,
  j: {
    caller: Caller
    company: CompanyContext
    project: ProjectRow
    userId: string
    asGuest?: boolean
  },
): Promise<void> {
  if (!isStaff(j.caller)) throw forbidden('Only staff can add people to a conversation.')
  const user = await findForCaller(trx, j.caller, { kind: 'person', id: j.userId, in: 'company' })
  if (user.role === 'subcontractor' && !j.company.settings.subcontractorsAllowed) {
    throw new AppError(
      'SUBCONTRACTORS_NOT_ALLOWED',
      'Subcontractors cannot be added to conversations. An admin can allow it in Admin → Company Settings → Client Portal.',
    )
  }
  if (
    user.role === 'customer' &&
    !j.asGuest &&
    !(await isProjectMember(trx, j.project.id, user.id))
  )
    throw forbidden(
      `${user.name} is not a customer contact on ${j.project.name}. Add them to the project first.`,
    )
}
