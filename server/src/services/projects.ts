import type { PortalDb } from '../db/handle'
import type { z } from 'zod'
import type { NewProjectBody, Project, ProjectPatch } from '../../../src/shared/protocol'
import { nowIso, type Clock } from '../../../src/shared/clock'
import type { ProjectRow, UserRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import type { Changed } from '../domain/changed'
import { AppError, notFound } from '../errors'
import { findForCaller } from '../repositories/find'
import {
  grantThreadAccess,
  isParticipant,
  projectPeople,
  recordRevocation,
  roleOf,
} from '../repositories/participants'
import { peopleOfCompany } from '../repositories/people'
import {
  addMember,
  insertProject,
  leaveThreads,
  projectById,
  removeMember,
  threadIdsOf,
  updateProject,
  visibleProjects,
} from '../repositories/projects'
import { touchThread } from '../repositories/threads'
import { newId } from '../util'
import { adminWrite } from './admin'
import type { Written } from './written'

type Db = PortalDb
type Membership = { caller: Caller; project: ProjectRow; userId: string }

/** Projects and who is on them: an admin names a project's customer contacts and its team. */
export class ProjectService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  projects(caller: Caller): Promise<Project[]> {
    return visibleProjects(this.db, caller)
  }

  async createProject(
    caller: Caller,
    body: z.output<typeof NewProjectBody>,
  ): Promise<Written<Project>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      const id = newId()
      await insertProject(trx, {
        id,
        company_id: caller.companyId,
        name: body.name,
        stage: body.stage,
        created_at: nowIso(this.clock),
      })
      const project = await companyProject(trx, caller, id)
      await setMembers(trx, { caller, project, kind: 'customer', ids: body.customerIds }, changed)
      await setMembers(trx, { caller, project, kind: 'team', ids: body.teamIds }, changed)
      changed.projectIds.add(id)
      return await projectById(trx, caller.companyId, id)
    })
  }

  async updateProject(
    caller: Caller,
    projectId: string,
    patch: z.output<typeof ProjectPatch>,
  ): Promise<Written<Project>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      const project = await companyProject(trx, caller, projectId)
      if (patch.customerIds)
        await setMembers(
          trx,
          { caller, project, kind: 'customer', ids: patch.customerIds },
          changed,
        )
      if (patch.teamIds)
        await setMembers(trx, { caller, project, kind: 'team', ids: patch.teamIds }, changed)
      await updateProject(trx, project, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.stage !== undefined && { stage: patch.stage }),
      })
      changed.projectIds.add(projectId)
      return await projectById(trx, caller.companyId, projectId)
    })
  }
}

export const companyProject = (db: Db, caller: Caller, id: string) =>
  findForCaller(db, caller, { kind: 'project', id, in: 'company' })

/** Replaces the project's customer contacts or its team with `ids`, granting and revoking thread access to match. */
async function setMembers(
  trx: Db,
  s: { caller: Caller; project: ProjectRow; kind: 'customer' | 'team'; ids: string[] },
  changed: Changed,
): Promise<void> {
  const { caller, project, kind } = s
  const roles: UserRow['role'][] = kind === 'customer' ? ['customer'] : ['admin', 'staff']
  const wanted = [...new Set(s.ids)]
  if (wanted.length) {
    const people = await peopleOfCompany(trx, caller.companyId, wanted)
    for (const id of wanted) {
      const person = people.find((p) => p.id === id)
      if (!person) throw notFound(`Person ${id}`)
      if (!roles.includes(person.role)) {
        throw new AppError(
          'VALIDATION_FAILED',
          kind === 'customer'
            ? `${person.name} is not a customer; only customers can be customer contacts.`
            : `${person.name} is not on the staff; only staff can be team members.`,
        )
      }
    }
  }
  const have = new Set((await projectPeople(trx, project.id, roles)).map((p) => p.id))
  for (const userId of wanted)
    if (!have.has(userId)) await joinProject(trx, { caller, project, userId }, changed)
  for (const userId of have)
    if (!wanted.includes(userId)) await leaveProject(trx, { caller, project, userId }, changed)
}

/** A person joins the project; a team member sees every thread of it from now on, history included. */
export async function joinProject(trx: Db, m: Membership, changed: Changed): Promise<void> {
  const { caller, project, userId } = m
  await addMember(trx, project.id, userId)
  if ((await roleOf(trx, userId)) === 'staff') {
    for (const threadId of await threadIdsOf(trx, project.id))
      await grantThreadAccess(trx, { companyId: caller.companyId, threadId, userId }, changed)
  }
  changed.projectIds.add(project.id)
  changed.accessUserIds.add(userId)
}

async function leaveProject(trx: Db, m: Membership, changed: Changed): Promise<void> {
  const { caller, project, userId } = m
  await removeMember(trx, project.id, userId)
  const role = await roleOf(trx, userId)
  const threadIds = await threadIdsOf(trx, project.id)
  if (role === 'customer' && threadIds.length) {
    // A customer taken off a project leaves its conversations too.
    await leaveThreads(trx, userId, threadIds)
    for (const threadId of threadIds) {
      await touchThread(trx, caller.companyId, threadId)
      changed.threadIds.add(threadId)
    }
  }
  if (role !== 'admin') {
    for (const threadId of threadIds) {
      if (!(await isParticipant(trx, threadId, userId)))
        await recordRevocation(trx, { companyId: caller.companyId, userId, threadId }, changed)
    }
  }
  changed.projectIds.add(project.id)
  changed.accessUserIds.add(userId)
}
