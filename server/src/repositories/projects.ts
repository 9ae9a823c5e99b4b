import type { Kysely } from 'kysely'
import type { Project } from '../../../src/shared/protocol'
import type { Database, ProjectRow } from '../db/schema'
import type { Caller } from '../domain/caller'
import { loadCompany } from './companies'
import { loadProjects } from './entities'
import { deleteWhere } from './rows'
import { takeSeqs } from './seq'
import { projectVisible } from './visibility'

type Db = Kysely<Database>

/** The projects the caller may see, by name. */
export async function visibleProjects(db: Db, caller: Caller): Promise<Project[]> {
  const { settings } = await loadCompany(db, caller.companyId)
  const rows = await db
    .selectFrom('projects as p')
    .selectAll('p')
    .where(projectVisible(caller, 'p'))
    .orderBy('p.name')
    .execute()
  return loadProjects(db, rows, settings)
}

/** One project as staff see it. */
export async function projectById(db: Db, companyId: string, projectId: string): Promise<Project> {
  const { settings } = await loadCompany(db, companyId)
  const rows = await db.selectFrom('projects').selectAll().where('id', '=', projectId).execute()
  const [project] = await loadProjects(db, rows, settings)
  return project as Project
}

export async function insertProject(db: Db, row: Omit<ProjectRow, 'seq'>): Promise<void> {
  const seq = await takeSeqs(db, row.company_id)
  await db
    .insertInto('projects')
    .values({ ...row, seq })
    .execute()
}

/** Changes the project's row with a fresh seq. */
export async function updateProject(
  db: Db,
  project: Pick<ProjectRow, 'id' | 'company_id'>,
  set: Partial<Pick<ProjectRow, 'name' | 'stage'>>,
): Promise<void> {
  const seq = await takeSeqs(db, project.company_id)
  await db
    .updateTable('projects')
    .set({ ...set, seq })
    .where('id', '=', project.id)
    .execute()
}

export async function addMember(db: Db, projectId: string, userId: string): Promise<void> {
  await db
    .insertInto('project_members')
    .values({ project_id: projectId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export async function removeMember(db: Db, projectId: string, userId: string): Promise<void> {
  await deleteWhere(db, 'project_members', { project_id: projectId, user_id: userId })
}

export async function threadIdsOf(db: Db, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('threads')
    .select('id')
    .where('project_id', '=', projectId)
    .execute()
  return rows.map((r) => r.id)
}

/** Takes the person out of these threads. */
export async function leaveThreads(db: Db, userId: string, threadIds: string[]): Promise<void> {
  await db
    .deleteFrom('thread_participants')
    .where('user_id', '=', userId)
    .where('thread_id', 'in', threadIds)
    .execute()
}
