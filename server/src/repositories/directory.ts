import type { Kysely, Transaction } from 'kysely'
import type { z } from 'zod'
import type {
  CompanySettings,
  Me,
  NewPersonBody,
  NewProjectBody,
  Person,
  PersonPatch,
  Preferences,
  Project,
  ProjectPatch,
  SettingsPatch,
} from '../../../src/shared/protocol'
import type { Database, ProjectRow, UserRow } from '../db/schema'
import { personVisible, projectVisible } from '../domain/access'
import { isAdmin, isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { defaultPreferences, parsePreferences, publicSettings } from '../domain/settings'
import { AppError, forbidden, notFound } from '../errors'
import type { MailLinks, MailQueue } from '../mail/queue'
import { hashPassword, verifyPassword } from '../passwords'
import { revokeSessionsOf } from './sessions'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import { int, newId, newToken, sha256 } from '../util'
import { loadCompany, saveSettings } from './companies'
import { loadProjects, toPerson } from './entities'
import { takeSeqs } from './seq'
import { grantThreadAccess, isParticipant, recordRevocation } from './threads'

type Db = Kysely<Database>
type Trx = Transaction<Database>
export const INVITATION_DAYS = 14
const RESET_LINK_MINUTES = 60

export interface Written<T> {
  result: T
  changed: Changed
}

/** People, projects, company settings and invitations: what an admin configures. */
export class DirectoryRepository {
  constructor(
    private readonly db: Db,
    private readonly mail: MailQueue,
    private readonly links: MailLinks,
    private readonly clock: Clock,
  ) {}

  async me(caller: Caller): Promise<z.output<typeof Me>> {
    const company = await loadCompany(this.db, caller.companyId)
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', caller.id)
      .executeTakeFirstOrThrow()
    return {
      user: toPerson(row, caller),
      company: { id: company.row.id, name: company.row.name },
      preferences: parsePreferences(row.preferences, row.role),
      settings: isStaff(caller) ? company.settings : publicSettings(company.settings),
    }
  }

  async updatePreferences(caller: Caller, patch: Partial<Preferences>): Promise<Preferences> {
    const row = await this.db
      .selectFrom('users')
      .select(['preferences', 'role'])
      .where('id', '=', caller.id)
      .executeTakeFirstOrThrow()
    const next = { ...parsePreferences(row.preferences, row.role), ...patch }
    await this.db
      .updateTable('users')
      .set({ preferences: JSON.stringify(next) })
      .where('id', '=', caller.id)
      .execute()
    return next
  }

  async people(caller: Caller): Promise<Person[]> {
    const rows = await this.db
      .selectFrom('users as u')
      .selectAll('u')
      .where(personVisible(caller, 'u'))
      .orderBy('u.name')
      .execute()
    return rows.map((r) => toPerson(r, caller))
  }

  async projects(caller: Caller): Promise<Project[]> {
    const { settings } = await loadCompany(this.db, caller.companyId)
    const rows = await this.db
      .selectFrom('projects as p')
      .selectAll('p')
      .where(projectVisible(caller, 'p'))
      .orderBy('p.name')
      .execute()
    return loadProjects(this.db, rows, settings)
  }

  // ---- admin ----

  async updateSettings(
    caller: Caller,
    patch: z.output<typeof SettingsPatch>,
  ): Promise<Written<CompanySettings>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const { settings } = await loadCompany(trx, caller.companyId)
      const next: CompanySettings = { ...settings, ...patch }
      await saveSettings(trx, caller.companyId, next)
      const changed = new Changed(caller.companyId)
      changed.settings = true
      return { result: next, changed }
    })
  }

  async createPerson(
    caller: Caller,
    body: z.output<typeof NewPersonBody>,
  ): Promise<Written<Person>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', body.email)
        .executeTakeFirst()
      if (taken)
        throw new AppError(
          'EMAIL_TAKEN',
          `${body.email} already has an account. Use a different email, or add the existing person to the project.`,
        )
      const changed = new Changed(caller.companyId)
      const { id } = await this.insertPerson(trx, caller, body, changed)
      for (const projectId of body.projectIds) {
        const project = await this.companyProject(trx, caller, projectId)
        await this.addMember(trx, caller, project, id, changed)
      }
      if (body.invite) await this.invite(trx, caller, id)
      const row = await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      changed.mail = body.invite
      return { result: toPerson(row, caller), changed }
    })
  }

  /** `token` is the caller's: an admin correcting their own email stays signed in where they did it. */
  async updatePerson(
    caller: Caller,
    personId: string,
    patch: z.output<typeof PersonPatch>,
    token?: string,
  ): Promise<Written<Person>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const before = await this.companyPerson(trx, caller, personId)
      if (personId === caller.id && patch.role && patch.role !== 'admin')
        throw forbidden('You cannot remove your own admin role; ask another admin.')
      const newEmail = patch.email !== undefined && patch.email !== before.email
      if (newEmail) {
        const taken = await trx
          .selectFrom('users')
          .select('id')
          .where('email', '=', patch.email!)
          .where('id', '!=', personId)
          .executeTakeFirst()
        if (taken)
          throw new AppError(
            'EMAIL_TAKEN',
            `${patch.email} already belongs to another account. Use a different email.`,
          )
      }
      const seq = await takeSeqs(trx, caller.companyId)
      await trx
        .updateTable('users')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.role !== undefined && { role: patch.role }),
          ...(patch.portalAccess !== undefined && { portal_access: int(patch.portalAccess) }),
          ...(newEmail && { email: patch.email }),
          seq,
        })
        .where('id', '=', personId)
        .execute()
      const changed = new Changed(caller.companyId)
      changed.personIds.add(personId)
      changed.accessUserIds.add(personId)
      // Turning access off ends every sign-in for good: turning it back on later must not revive
      // a token issued before. A new email address is a new identity to sign in with.
      const accessOff = patch.portalAccess === false && before.portal_access !== 0
      if (accessOff || newEmail) {
        const exceptHash = personId === caller.id && token ? sha256(token) : undefined
        await revokeSessionsOf(trx, this.clock, personId, exceptHash)
        changed.endedSessions.push({
          userId: personId,
          exceptHash,
          message: newEmail
            ? 'Your email address was changed. Sign in again with the new address.'
            : 'Your portal access was turned off. Ask your builder to turn it on for you.',
        })
      }
      const updated = await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', personId)
        .executeTakeFirstOrThrow()
      return { result: toPerson(updated, caller), changed }
    })
  }

  /** An admin's "sign out everywhere" for one person: every session and live connection ends. */
  async signOutEverywhere(
    caller: Caller,
    personId: string,
  ): Promise<Written<{ sessionsEnded: number }>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      await this.companyPerson(trx, caller, personId)
      const sessionsEnded = await revokeSessionsOf(trx, this.clock, personId)
      const changed = new Changed(caller.companyId)
      changed.endedSessions.push({
        userId: personId,
        message: 'An admin signed you out on every device. Sign in again.',
      })
      return { result: { sessionsEnded }, changed }
    })
  }

  /**
   * A person changes their own password, proving the current one. Every other session ends (a
   * thief holding an old token is locked out); the one the change was made in stays.
   */
  async changePassword(
    caller: Caller,
    token: string,
    current: string,
    next: string,
  ): Promise<Written<{ sessionsEnded: number }>> {
    const row = await this.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', caller.id)
      .executeTakeFirstOrThrow()
    if (!(await verifyPassword(current, row.password_hash)))
      throw new AppError(
        'INVALID_CREDENTIALS',
        'Your current password is not right. Type it again, or sign out and use “Forgot password?”.',
      )
    const hash = await hashPassword(next)
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash })
        .where('id', '=', caller.id)
        .execute()
      const exceptHash = sha256(token)
      const sessionsEnded = await revokeSessionsOf(trx, this.clock, caller.id, exceptHash)
      const changed = new Changed(caller.companyId)
      changed.endedSessions.push({
        userId: caller.id,
        exceptHash,
        message: 'Your password was changed. Sign in again with the new password.',
      })
      return { result: { sessionsEnded }, changed }
    })
  }

  async resendInvitation(caller: Caller, personId: string): Promise<Written<Person>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const row = await this.companyPerson(trx, caller, personId)
      await this.invite(trx, caller, personId)
      const changed = new Changed(caller.companyId)
      changed.mail = true
      return { result: toPerson(row, caller), changed }
    })
  }

  async createProject(
    caller: Caller,
    body: z.output<typeof NewProjectBody>,
  ): Promise<Written<Project>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const changed = new Changed(caller.companyId)
      const id = newId()
      const seq = await takeSeqs(trx, caller.companyId)
      await trx
        .insertInto('projects')
        .values({
          id,
          company_id: caller.companyId,
          name: body.name,
          stage: body.stage,
          seq,
          created_at: nowIso(this.clock),
        })
        .execute()
      const project = await this.companyProject(trx, caller, id)
      await this.setMembers(trx, caller, project, 'customer', body.customerIds, changed)
      await this.setMembers(trx, caller, project, 'team', body.teamIds, changed)
      changed.projectIds.add(id)
      return { result: await this.projectFor(trx, caller, id), changed }
    })
  }

  async updateProject(
    caller: Caller,
    projectId: string,
    patch: z.output<typeof ProjectPatch>,
  ): Promise<Written<Project>> {
    assertAdmin(caller)
    return this.db.transaction().execute(async (trx) => {
      const project = await this.companyProject(trx, caller, projectId)
      const changed = new Changed(caller.companyId)
      if (patch.customerIds)
        await this.setMembers(trx, caller, project, 'customer', patch.customerIds, changed)
      if (patch.teamIds) await this.setMembers(trx, caller, project, 'team', patch.teamIds, changed)
      const seq = await takeSeqs(trx, caller.companyId)
      await trx
        .updateTable('projects')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.stage !== undefined && { stage: patch.stage }),
          seq,
        })
        .where('id', '=', projectId)
        .execute()
      changed.projectIds.add(projectId)
      return { result: await this.projectFor(trx, caller, projectId), changed }
    })
  }

  /**
   * An invited person, or one who asked for a reset link, sets their password with the emailed
   * token, and is signed in. The refusal names the way to a new link for the kind of link it was.
   * Every earlier sign-in ends; a first password also tells staff that the person has joined.
   */
  async acceptInvitation(token: string, password: string): Promise<Written<string>> {
    const hash = await hashPassword(password)
    return this.db.transaction().execute(async (trx) => {
      const invitation = await trx
        .selectFrom('invitations')
        .selectAll()
        .where('token_hash', '=', sha256(token))
        .executeTakeFirst()
      if (!invitation || invitation.used_at || invitation.expires_at <= nowIso(this.clock)) {
        throw new AppError(
          'INVITATION_INVALID',
          !invitation
            ? 'This link has expired or was already used. Ask your builder for a new invitation, or choose “Forgot password?” on the sign-in page for a new link.'
            : invitation.kind === 'password-reset'
              ? 'This reset link has expired or was already used. Choose “Forgot password?” on the sign-in page for a new one.'
              : 'This link has expired or was already used. Ask your builder to send a new invitation.',
        )
      }
      await trx
        .updateTable('invitations')
        .set({ used_at: nowIso(this.clock) })
        .where('token_hash', '=', invitation.token_hash)
        .execute()
      // The new password makes every other reset link still in the person's inbox useless.
      await trx
        .updateTable('invitations')
        .set({ used_at: nowIso(this.clock) })
        .where('user_id', '=', invitation.user_id)
        .where('kind', '=', 'password-reset')
        .where('used_at', 'is', null)
        .execute()
      const user = await trx
        .selectFrom('users')
        .select(['company_id', 'password_hash'])
        .where('id', '=', invitation.user_id)
        .executeTakeFirstOrThrow()
      const changed = new Changed(user.company_id)
      // Staff see whether someone has signed in yet (Person.passwordSet): the first password
      // is news for every staff cache.
      const first = user.password_hash === null
      await trx
        .updateTable('users')
        .set({
          password_hash: hash,
          ...(first && { seq: await takeSeqs(trx, user.company_id) }),
        })
        .where('id', '=', invitation.user_id)
        .execute()
      if (first) changed.personIds.add(invitation.user_id)
      // A new password ends every earlier sign-in, and their live connections after the commit.
      await revokeSessionsOf(trx, this.clock, invitation.user_id)
      changed.endedSessions.push({
        userId: invitation.user_id,
        message: 'Your password was changed. Sign in again with the new password.',
      })
      return { result: invitation.user_id, changed }
    })
  }

  /**
   * Mails a single-use link to set a new password, valid for an hour, to the person with this
   * email, if there is one who may sign in. Answers whether a link was queued; the route tells
   * the caller the same either way.
   */
  async requestPasswordReset(email: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst()
      // Without portal access the person could not sign in with the new password either.
      if (!user || (!isStaff(user) && !user.portal_access)) return false
      const company = await loadCompany(trx, user.company_id)
      const token = await this.issueToken(trx, user.id, 'password-reset')
      const where = isStaff(user)
        ? `Portal Inbox and the ${company.row.name} portal`
        : `the ${company.row.name} client portal`
      await this.mail.enqueue(trx, {
        companyId: user.company_id,
        kind: 'password-reset',
        to: user.email,
        subject: `Reset your password for ${where}`,
        text: [
          `Hello ${user.name},`,
          '',
          `Someone, hopefully you, asked to reset the password you use to sign in to ${where}.`,
          '',
          `Choose a new password here (the link works once, for ${RESET_LINK_MINUTES} minutes): ${this.links.resetPassword(token)}`,
          '',
          'Setting a new password also lifts any hold on your account after failed sign-ins.',
          'If you did not ask for this, ignore this email: your password stays as it is.',
        ].join('\n'),
      })
      return true
    })
  }

  // ---- inside another write's transaction ----

  /**
   * A new person of the caller's company, without a password (their invitation's link sets it).
   * Whether the email is free is the caller's question: each asks it in its own words.
   */
  async insertPerson(
    trx: Trx,
    caller: Caller,
    person: { role: UserRow['role']; name: string; email: string; portalAccess: boolean },
    changed: Changed,
  ): Promise<UserRow> {
    const row: UserRow = {
      id: newId(),
      company_id: caller.companyId,
      role: person.role,
      name: person.name,
      email: person.email,
      password_hash: null,
      portal_access: int(person.portalAccess),
      preferences: JSON.stringify(defaultPreferences(person.role)),
      seq: await takeSeqs(trx, caller.companyId),
      created_at: nowIso(this.clock),
    }
    await trx.insertInto('users').values(row).execute()
    changed.personIds.add(row.id)
    return row
  }

  /**
   * A single-use link's token for the person to set a password with; only its hash is kept. An
   * invitation's works for 14 days, a reset link's for an hour.
   */
  async issueToken(trx: Trx, userId: string, kind: 'invitation' | 'password-reset') {
    const token = newToken()
    await trx
      .insertInto('invitations')
      .values({
        token_hash: sha256(token),
        user_id: userId,
        expires_at: isoIn(
          this.clock,
          kind === 'invitation' ? INVITATION_DAYS * 86_400_000 : RESET_LINK_MINUTES * 60_000,
        ),
        used_at: null,
        kind,
      })
      .execute()
    return token
  }

  // ---- internals ----

  private async invite(trx: Trx, caller: Caller, userId: string): Promise<void> {
    const user = await this.companyPerson(trx, caller, userId)
    const company = await loadCompany(trx, caller.companyId)
    const token = await this.issueToken(trx, userId, 'invitation')
    await this.mail.enqueue(trx, {
      companyId: caller.companyId,
      kind: 'invitation',
      to: user.email,
      subject: `${company.row.name} invited you to their client portal`,
      text: [
        `Hello ${user.name},`,
        '',
        `${caller.name} at ${company.row.name} invited you to the client portal, where you can message the team about your project and share files.`,
        '',
        `Set your password to get started (the link works for ${INVITATION_DAYS} days): ${this.links.setPassword(token)}`,
      ].join('\n'),
    })
  }

  private async companyPerson(trx: Trx, caller: Caller, personId: string) {
    const person = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', personId)
      .where('company_id', '=', caller.companyId)
      .executeTakeFirst()
    if (!person) throw notFound('The person')
    return person
  }

  private async companyProject(trx: Trx, caller: Caller, projectId: string): Promise<ProjectRow> {
    const project = await trx
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', projectId)
      .where('company_id', '=', caller.companyId)
      .executeTakeFirst()
    if (!project) throw notFound('The project')
    return project
  }

  private async projectFor(trx: Trx, caller: Caller, projectId: string): Promise<Project> {
    const { settings } = await loadCompany(trx, caller.companyId)
    const rows = await trx.selectFrom('projects').selectAll().where('id', '=', projectId).execute()
    const [project] = await loadProjects(trx, rows, settings)
    return project as Project
  }

  /** Replaces the project's customer contacts or its team with `ids`, granting and revoking thread access to match. */
  private async setMembers(
    trx: Trx,
    caller: Caller,
    project: ProjectRow,
    kind: 'customer' | 'team',
    ids: string[],
    changed: Changed,
  ): Promise<void> {
    const roles = kind === 'customer' ? ['customer'] : ['admin', 'staff']
    const wanted = [...new Set(ids)]
    if (wanted.length) {
      const people = await trx
        .selectFrom('users')
        .select(['id', 'role', 'name'])
        .where('id', 'in', wanted)
        .where('company_id', '=', caller.companyId)
        .execute()
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
    const current = await trx
      .selectFrom('project_members as pm')
      .innerJoin('users as u', 'u.id', 'pm.user_id')
      .select('pm.user_id')
      .where('pm.project_id', '=', project.id)
      .where('u.role', 'in', roles as ('admin' | 'staff' | 'customer')[])
      .execute()
    const have = new Set(current.map((c) => c.user_id))
    for (const id of wanted)
      if (!have.has(id)) await this.addMember(trx, caller, project, id, changed)
    for (const id of have)
      if (!wanted.includes(id)) await this.removeMember(trx, caller, project, id, changed)
  }

  private async addMember(
    trx: Trx,
    caller: Caller,
    project: ProjectRow,
    userId: string,
    changed: Changed,
  ): Promise<void> {
    await trx
      .insertInto('project_members')
      .values({ project_id: project.id, user_id: userId })
      .onConflict((oc) => oc.doNothing())
      .execute()
    const user = await trx
      .selectFrom('users')
      .select(['role'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    if (user.role === 'staff') {
      // A team member sees every thread of the project from now on, history included.
      const threads = await trx
        .selectFrom('threads')
        .select('id')
        .where('project_id', '=', project.id)
        .execute()
      for (const t of threads) {
        await grantThreadAccess(trx, caller.companyId, t.id, changed)
        await trx
          .deleteFrom('revocations')
          .where('user_id', '=', userId)
          .where('thread_id', '=', t.id)
          .execute()
      }
    }
    changed.projectIds.add(project.id)
    changed.accessUserIds.add(userId)
  }

  private async removeMember(
    trx: Trx,
    caller: Caller,
    project: ProjectRow,
    userId: string,
    changed: Changed,
  ): Promise<void> {
    await trx
      .deleteFrom('project_members')
      .where('project_id', '=', project.id)
      .where('user_id', '=', userId)
      .execute()
    const user = await trx
      .selectFrom('users')
      .select(['role'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    const threads = await trx
      .selectFrom('threads')
      .select('id')
      .where('project_id', '=', project.id)
      .execute()
    if (user.role === 'customer' && threads.length) {
      // A customer taken off a project leaves its conversations too.
      await trx
        .deleteFrom('thread_participants')
        .where('user_id', '=', userId)
        .where(
          'thread_id',
          'in',
          threads.map((t) => t.id),
        )
        .execute()
      for (const t of threads) {
        const seq = await takeSeqs(trx, caller.companyId)
        await trx.updateTable('threads').set({ seq }).where('id', '=', t.id).execute()
        changed.threadIds.add(t.id)
      }
    }
    if (user.role !== 'admin') {
      for (const t of threads) {
        if (!(await isParticipant(trx, t.id, userId)))
          await recordRevocation(trx, caller.companyId, userId, t.id, changed)
      }
    }
    changed.projectIds.add(project.id)
    changed.accessUserIds.add(userId)
  }
}

function assertAdmin(caller: Caller): void {
  if (!isAdmin(caller))
    throw forbidden('Only admins can change company settings, people and projects.')
}
