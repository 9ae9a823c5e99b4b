import type { Kysely } from 'kysely'
import type {
  CompanySettings,
  Message,
  Person,
  Project,
  Thread,
} from '../../../src/shared/protocol'
import type { Database, ReadRow, ThreadRow } from '../db/schema'
import { threadVisibleAs } from './visibility'
import type { Caller } from '../domain/caller'
import type { Changed } from '../domain/changed'
import { loadCompany } from './companies'
import { loadMessages, loadProjects, loadThreads, toPerson } from './entities'

/** The threads a committed write touched, in each audience's shape, with what came with them. */
export interface ThreadPush {
  rows: ThreadRow[]
  staffThreads: Thread[]
  customerThreads: Thread[]
  messages: Message[]
  reads: ReadRow[]
  /** Of the readers in `reads`, the staff (their marks stay among staff). */
  staffReaderIds: Set<string>
}

/** The company-wide entities a committed write touched. */
export interface DirectoryPush {
  settings: CompanySettings | null
  /** null when the write touched none. */
  projects: Project[] | null
  people: Person[] | null
}

/**
 * What live delivery reads (realtime/): which rooms a person may be in, and the entities a push
 * carries, loaded fresh after the commit in the same shapes as the change feed.
 */
export class LiveRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The projects and threads a person is a member or participant of. */
  async memberships(userId: string): Promise<{ projectIds: string[]; threadIds: string[] }> {
    const projects = await this.db
      .selectFrom('project_members')
      .select('project_id')
      .where('user_id', '=', userId)
      .execute()
    const threads = await this.db
      .selectFrom('thread_participants')
      .select('thread_id')
      .where('user_id', '=', userId)
      .execute()
    return {
      projectIds: projects.map((p) => p.project_id),
      threadIds: threads.map((t) => t.thread_id),
    }
  }

  async threadVisible(caller: Caller, threadId: string): Promise<boolean> {
    const visible = await this.db
      .selectFrom('threads as t')
      .select('t.id')
      .where('t.id', '=', threadId)
      .where(threadVisibleAs(caller, 't'))
      .executeTakeFirst()
    return visible !== undefined
  }

  /** Whether the project is the caller's company's, and whether the caller is on it; null when it is not. */
  async projectFor(caller: Caller, projectId: string): Promise<{ member: boolean } | null> {
    const row = await this.db
      .selectFrom('projects as p')
      .leftJoin('project_members as m', (join) =>
        join.onRef('m.project_id', '=', 'p.id').on('m.user_id', '=', caller.id),
      )
      .select('m.user_id')
      .where('p.id', '=', projectId)
      .where('p.company_id', '=', caller.companyId)
      .executeTakeFirst()
    return row ? { member: row.user_id !== null } : null
  }

  /** The touched threads, their new messages and read marks; null when no thread was touched. */
  async threadPush(changed: Changed): Promise<ThreadPush | null> {
    const messageRows = changed.messageIds.size
      ? await this.db
          .selectFrom('messages')
          .selectAll()
          .where('id', 'in', [...changed.messageIds])
          .execute()
      : []
    const reads = changed.reads.length
      ? await this.db
          .selectFrom('reads')
          .selectAll()
          .where((eb) =>
            eb.or(
              changed.reads.map((r) =>
                eb.and([eb('message_id', '=', r.messageId), eb('user_id', '=', r.userId)]),
              ),
            ),
          )
          .execute()
      : []
    const threadIds = new Set([
      ...changed.threadIds,
      ...messageRows.map((m) => m.thread_id),
      ...reads.map((r) => r.thread_id),
    ])
    if (!threadIds.size) return null
    const rows = await this.db
      .selectFrom('threads')
      .selectAll()
      .where('id', 'in', [...threadIds])
      .execute()
    const [staffThreads, customerThreads, messages] = await Promise.all([
      loadThreads(this.db, rows, 'staff'),
      loadThreads(this.db, rows, 'customer'),
      loadMessages(this.db, messageRows),
    ])
    const readers = reads.length
      ? await this.db
          .selectFrom('users')
          .select(['id', 'role'])
          .where('id', 'in', [...new Set(reads.map((r) => r.user_id))])
          .execute()
      : []
    const staffReaderIds = new Set(
      readers.filter((r) => r.role === 'admin' || r.role === 'staff').map((r) => r.id),
    )
    return { rows, staffThreads, customerThreads, messages, reads, staffReaderIds }
  }

  /** The company's settings (when they changed), touched projects and people. */
  async directoryPush(changed: Changed): Promise<DirectoryPush> {
    const company =
      changed.settings || changed.projectIds.size
        ? await loadCompany(this.db, changed.companyId)
        : null
    let projects: Project[] | null = null
    if (changed.projectIds.size && company) {
      const rows = await this.db
        .selectFrom('projects')
        .selectAll()
        .where('id', 'in', [...changed.projectIds])
        .execute()
      projects = await loadProjects(this.db, rows, company.settings)
    }
    const people = changed.personIds.size
      ? (
          await this.db
            .selectFrom('users')
            .selectAll()
            .where('id', 'in', [...changed.personIds])
            .execute()
        ).map((r) => toPerson(r, null))
      : null
    return { settings: changed.settings && company ? company.settings : null, projects, people }
  }
}
