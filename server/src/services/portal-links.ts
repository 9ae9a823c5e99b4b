import type { PortalDb } from '../db/handle'
import { isoIn, nowIso, type Clock } from '../../../src/shared/clock'
import type { UserRow } from '../db/schema'
import { isStaff } from '../domain/caller'
import { parsePreferences } from '../domain/settings'
import { AppError } from '../errors'
import type { MailLinks, MailQueue, SignInDestination } from '../mail/queue'
import { loadCompany } from '../repositories/companies'
import { personByEmail, personById, updatePerson } from '../repositories/people'
import {
  issueSignInLink,
  signInLinkRow,
  unsubscribeTokenOwner,
  useSignInLinks,
} from '../repositories/portal-links'
import { bool } from '../util'

export const SIGN_IN_LINK_MINUTES = 15

/** What a used, expired or unknown sign-in link answers; the page offers a new one beside it. */
const LINK_USED =
  'This sign-in link has expired or was already used (each link works once, for 15 minutes). Ask for a new one below, or sign in with your password.'

/**
 * Links in mail that act without a password: the one-click unsubscribe of message alerts, and
 * the sign-in link a customer or subcontractor asks for on the sign-in page.
 *
 * Sign-in links are for customers and subcontractors only. Staff sign in to the desktop app
 * with their password, and their accounts see every customer's conversations: a mailbox alone
 * should not open that.
 */
export class PortalLinkService {
  constructor(
    private readonly db: PortalDb,
    private readonly ports: { mail: MailQueue; links: MailLinks; clock: Clock },
  ) {}

  /**
   * Turns off the message alerts of the person the token was mailed to, and answers their
   * address. Doing it twice changes nothing more; a token that is no one's changes nothing.
   */
  async unsubscribe(token: string): Promise<{ email: string }> {
    const userId = await unsubscribeTokenOwner(this.db, token)
    if (!userId)
      throw new AppError(
        'NOT_FOUND',
        'This unsubscribe link is not complete, so nothing was changed. Open it again from the email, or sign in to your portal and turn message emails off in Settings.',
      )
    const row = await personById(this.db, userId)
    const prefs = parsePreferences(row.preferences, row.role)
    if (prefs.emailOnNewMessage) {
      const next = { ...prefs, emailOnNewMessage: false }
      await updatePerson(this.db, row, { preferences: JSON.stringify(next) }, { visible: false })
    }
    return { email: row.email }
  }

  /**
   * Mails a one-time sign-in link, valid for 15 minutes, to the customer or subcontractor with
   * this email who may use the portal. Answers whether a link was queued; the route tells the
   * caller the same either way.
   */
  async requestSignInLink(email: string, where: SignInDestination): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const user = await personByEmail(trx, email)
      if (!user || isStaff(user) || !bool(user.portal_access)) return false
      const company = await loadCompany(trx, user.company_id)
      const token = await issueSignInLink(trx, {
        userId: user.id,
        email: user.email,
        now: nowIso(this.ports.clock),
        expiresAt: isoIn(this.ports.clock, SIGN_IN_LINK_MINUTES * 60_000),
      })
      const link = this.ports.links.signIn(token, where)
      await this.ports.mail.enqueue(trx, {
        companyId: user.company_id,
        kind: 'sign-in-link',
        to: user.email,
        subject: `Your sign-in link for the ${company.row.name} client portal`,
        text: [
          `Hello ${user.name},`,
          '',
          `Someone, hopefully you, asked for a link to sign in to the ${company.row.name} client portal without a password.`,
          '',
          `Sign in here (the link works once, for ${SIGN_IN_LINK_MINUTES} minutes): ${link}`,
          '',
          'If you did not ask for this, ignore this email: nobody can sign in without the link, and your password stays as it is.',
        ].join('\n'),
      })
      return true
    })
  }

  /** The person a sign-in link is for; the link and every other one they were sent are used up. */
  async useSignInLink(token: string): Promise<UserRow> {
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso(this.ports.clock)
      const link = await signInLinkRow(trx, token)
      if (!link || link.used_at || link.expires_at <= now)
        throw new AppError('INVITATION_INVALID', LINK_USED)
      const user = await personById(trx, link.user_id)
      // A new email address is a new identity to sign in with: the old mailbox's link is void.
      if (user.email !== link.email) throw new AppError('INVITATION_INVALID', LINK_USED)
      await useSignInLinks(trx, link.user_id, now)
      return user
    })
  }
}
