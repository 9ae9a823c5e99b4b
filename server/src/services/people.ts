import type { PortalDb } from '../db/handle'
import type { z } from 'zod'
import type {
  Me,
  NewPersonBody,
  Person,
  PersonPatch,
  Preferences,
} from '../../../src/shared/protocol'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import type { UserRow } from '../db/schema'
import { isStaff, type Caller } from '../domain/caller'
import type { Changed } from '../domain/changed'
import { defaultPreferences, parsePreferences, publicSettings } from '../domain/settings'
import { AppError, forbidden } from '../errors'
import type { MailLinks, MailQueue } from '../mail/queue'
import { loadCompany } from '../repositories/companies'
import { toPerson } from '../repositories/entities'
import { findForCaller } from '../repositories/find'
import {
  insertPerson,
  issueToken,
  personByEmail,
  personById,
  updatePerson,
  visiblePeople,
} from '../repositories/people'
import { takeSeqs } from '../repositories/seq'
import { useSignInLinks } from '../repositories/portal-links'
import { revokeReplyTokensOf } from '../repositories/reply-tokens'
import { revokeSessionsOf } from '../repositories/sessions'
import { int, newId, sha256 } from '../util'
import { adminWrite } from './admin'
import { companyProject, joinProject } from './projects'
import type { Written } from './written'

type Db = PortalDb
export const INVITATION_DAYS = 14
export const RESET_LINK_MINUTES = 60

/** The company's people: who they are, their roles and access, their invitations. */
export class PeopleService {
  constructor(
    private readonly db: Db,
    private readonly ports: { mail: MailQueue; links: MailLinks; clock: Clock },
  ) {}

  async me(caller: Caller): Promise<z.output<typeof Me>> {
    const company = await loadCompany(this.db, caller.companyId)
    const row = await personById(this.db, caller.id)
    return {
      user: toPerson(row, caller),
      company: { id: company.row.id, name: company.row.name },
      preferences: parsePreferences(row.preferences, row.role),
      settings: isStaff(caller) ? company.settings : publicSettings(company.settings),
    }
  }

  async updatePreferences(caller: Caller, patch: Partial<Preferences>): Promise<Preferences> {
    const row = await personById(this.db, caller.id)
    const next = { ...parsePreferences(row.preferences, row.role), ...patch }
    await updatePerson(this.db, row, { preferences: JSON.stringify(next) }, { visible: false })
    return next
  }

  async people(caller: Caller): Promise<Person[]> {
    const rows = await visiblePeople(this.db, caller)
    return rows.map((r) => toPerson(r, caller))
  }

  async createPerson(
    caller: Caller,
    body: z.output<typeof NewPersonBody>,
  ): Promise<Written<Person>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      if (await personByEmail(trx, body.email))
        throw new AppError(
          'EMAIL_TAKEN',
          `${body.email} already has an account. Use a different email, or add the existing person to the project.`,
        )
      const { id } = await this.insertPerson(trx, { caller, person: body }, changed)
      for (const projectId of body.projectIds) {
        const project = await companyProject(trx, caller, projectId)
        await joinProject(trx, { caller, project, userId: id }, changed)
      }
      if (body.invite) await this.invite(trx, caller, id)
      changed.mail = body.invite
      return toPerson(await personById(trx, id), caller)
    })
  }

  /** `token` is the caller's: an admin correcting their own email stays signed in where they did it. */
  async updatePerson(
    caller: Caller,
    personId: string,
    patch: z.output<typeof PersonPatch>,
    token?: string,
  ): Promise<Written<Person>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      const before = await companyPerson(trx, caller, personId)
      if (personId === caller.id && patch.role && patch.role !== 'admin')
        throw forbidden('You cannot remove your own admin role; ask another admin.')
      const newEmail = patch.email !== undefined && patch.email !== before.email
      if (newEmail && (await personByEmail(trx, patch.email!, personId)))
        throw new AppError(
          'EMAIL_TAKEN',
          `${patch.email} already belongs to another account. Use a different email.`,
        )
      await updatePerson(
        trx,
        before,
        {
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.role !== undefined && { role: patch.role }),
          ...(patch.portalAccess !== undefined && { portal_access: int(patch.portalAccess) }),
          ...(newEmail && { email: patch.email }),
        },
        { visible: true },
      )
      changed.personIds.add(personId)
      changed.accessUserIds.add(personId)
      // Turning access off ends every sign-in for good: turning it back on later must not revive
      // a token issued before. A new email address is a new identity to sign in with.
      const accessOff = patch.portalAccess === false && before.portal_access !== 0
      if (accessOff || newEmail) {
        const exceptHash = personId === caller.id && token ? sha256(token) : undefined
        await revokeSessionsOf(trx, this.ports.clock, personId, exceptHash)
        // The reply addresses and sign-in links in mail sent so far stop working too, for good.
        if (accessOff) await revokeReplyTokensOf(trx, personId, nowIso(this.ports.clock))
        await useSignInLinks(trx, personId, nowIso(this.ports.clock))
        changed.endedSessions.push({
          userId: personId,
          exceptHash,
          message: newEmail
            ? 'Your email address was changed. Sign in again with the new address.'
            : 'Your portal access was turned off. Ask your builder to turn it on for you.',
        })
      }
      return toPerson(await personById(trx, personId), caller)
    })
  }

  /** An admin's "sign out everywhere" for one person: every session and live connection ends. */
  async signOutEverywhere(
    caller: Caller,
    personId: string,
  ): Promise<Written<{ sessionsEnded: number }>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      await companyPerson(trx, caller, personId)
      const sessionsEnded = await revokeSessionsOf(trx, this.ports.clock, personId)
      changed.endedSessions.push({
        userId: personId,
        message: 'An admin signed you out on every device. Sign in again.',
      })
      return { sessionsEnded }
    })
  }

  async resendInvitation(caller: Caller, personId: string): Promise<Written<Person>> {
    return adminWrite(this.db, caller, async (trx, changed) => {
      const row = await companyPerson(trx, caller, personId)
      await this.invite(trx, caller, personId)
      changed.mail = true
      return toPerson(row, caller)
    })
  }

  // ---- inside another write's transaction ----

  /**
   * A new person of the caller's company, without a password (their invitation's link sets it).
   * Whether the email is free is the caller's question: each asks it in its own words.
   */
  async insertPerson(
    trx: Db,
    p: {
      caller: Caller
      person: { role: UserRow['role']; name: string; email: string; portalAccess: boolean }
    },
    changed: Changed,
  ): Promise<UserRow> {
    const { caller, person } = p
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
      created_at: nowIso(this.ports.clock),
    }
    await insertPerson(trx, row)
    changed.personIds.add(row.id)
    return row
  }

  /** A single-use link's token: an invitation's works for 14 days, a reset link's for an hour. */
  issueToken(trx: Db, userId: string, kind: 'invitation' | 'password-reset'): Promise<string> {
    const ms = kind === 'invitation' ? INVITATION_DAYS * 86_400_000 : RESET_LINK_MINUTES * 60_000
    return issueToken(trx, { userId, kind, expiresAt: isoIn(this.ports.clock, ms) })
  }

  private async invite(trx: Db, caller: Caller, userId: string): Promise<void> {
    const user = await companyPerson(trx, caller, userId)
    const company = await loadCompany(trx, caller.companyId)
    const token = await this.issueToken(trx, userId, 'invitation')
    await this.ports.mail.enqueue(trx, {
      companyId: caller.companyId,
      kind: 'invitation',
      to: user.email,
      subject: `${company.row.name} invited you to their client portal`,
      text: [
        `Hello ${user.name},`,
        '',
        `${caller.name} at ${company.row.name} invited you to the client portal, where you can message the team about your project and share files.`,
        '',
        `Set your password to get started (the link works for ${INVITATION_DAYS} days): ${this.ports.links.setPassword(token)}`,
      ].join('\n'),
    })
  }
}

const companyPerson = (db: Db, caller: Caller, id: string) =>
  findForCaller(db, caller, { kind: 'person', id, in: 'company' })
