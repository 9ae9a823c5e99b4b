import type { PortalDb } from '../db/handle'
import { nowIso, type Clock } from '../../../src/shared/clock'
import { isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { AppError } from '../errors'
import type { MailLinks, MailQueue } from '../mail/queue'
import { hashPassword, verifyPassword } from '../passwords'
import { loadCompany } from '../repositories/companies'
import {
  personByEmail,
  personById,
  tokenRow,
  updatePerson,
  useTokens,
} from '../repositories/people'
import { revokeSessionsOf } from '../repositories/sessions'
import { sha256 } from '../util'
import { RESET_LINK_MINUTES, type PeopleService } from './people'
import type { Written } from './written'

/** Passwords: changing one, setting one from an emailed link, asking for a reset link. */
export class PasswordService {
  constructor(
    private readonly db: PortalDb,
    private readonly people: PeopleService,
    private readonly ports: { mail: MailQueue; links: MailLinks; clock: Clock },
  ) {}

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
    const row = await personById(this.db, caller.id)
    if (!(await verifyPassword(current, row.password_hash)))
      throw new AppError(
        'INVALID_CREDENTIALS',
        'Your current password is not right. Type it again, or sign out and use “Forgot password?”.',
      )
    const hash = await hashPassword(next)
    return this.db.transaction().execute(async (trx) => {
      await updatePerson(trx, row, { password_hash: hash }, { visible: false })
      const exceptHash = sha256(token)
      const sessionsEnded = await revokeSessionsOf(trx, this.ports.clock, caller.id, exceptHash)
      const changed = new Changed(caller.companyId)
      changed.endedSessions.push({
        userId: caller.id,
        exceptHash,
        message: 'Your password was changed. Sign in again with the new password.',
      })
      return { result: { sessionsEnded }, changed }
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
      const invitation = await tokenRow(trx, token)
      if (!invitation || invitation.used_at || invitation.expires_at <= nowIso(this.ports.clock)) {
        throw new AppError(
          'INVITATION_INVALID',
          !invitation
            ? 'This link has expired or was already used. Ask your builder for a new invitation, or choose “Forgot password?” on the sign-in page for a new link.'
            : invitation.kind === 'password-reset'
              ? 'This reset link has expired or was already used. Choose “Forgot password?” on the sign-in page for a new one.'
              : 'This link has expired or was already used. Ask your builder to send a new invitation.',
        )
      }
      await useTokens(trx, invitation, nowIso(this.ports.clock))
      const user = await personById(trx, invitation.user_id)
      const changed = new Changed(user.company_id)
      // Staff see whether someone has signed in yet (Person.passwordSet): the first password
      // is news for every staff cache.
      const first = user.password_hash === null
      await updatePerson(trx, user, { password_hash: hash }, { visible: first })
      if (first) changed.personIds.add(invitation.user_id)
      // A new password ends every earlier sign-in, and their live connections after the commit.
      await revokeSessionsOf(trx, this.ports.clock, invitation.user_id)
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
      const user = await personByEmail(trx, email)
      // Without portal access the person could not sign in with the new password either.
      if (!user || (!isStaff(user) && !user.portal_access)) return false
      const company = await loadCompany(trx, user.company_id)
      const token = await this.people.issueToken(trx, user.id, 'password-reset')
      const where = isStaff(user)
        ? `Portal Inbox and the ${company.row.name} portal`
        : `the ${company.row.name} client portal`
      await this.ports.mail.enqueue(trx, {
        companyId: user.company_id,
        kind: 'password-reset',
        to: user.email,
        subject: `Reset your password for ${where}`,
        text: [
          `Hello ${user.name},`,
          '',
          `Someone, hopefully you, asked to reset the password you use to sign in to ${where}.`,
          '',
          `Choose a new password here (the link works once, for ${RESET_LINK_MINUTES} minutes): ${this.ports.links.resetPassword(token)}`,
          '',
          'Setting a new password also lifts any hold on your account after failed sign-ins.',
          'If you did not ask for this, ignore this email: your password stays as it is.',
        ].join('\n'),
      })
      return true
    })
  }
}
