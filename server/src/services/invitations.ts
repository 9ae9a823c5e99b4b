import type { PortalDb } from '../db/handle'
import type { z } from 'zod'
import type { InvitationBody, InvitationResult } from '../../../src/shared/protocol'
import { callUs } from '../../../src/shared/contact'
import type { ProjectRow, ThreadRow, UserRow } from '../db/schema'
import { isStaff, type Caller } from '../domain/caller'
import { Changed } from '../domain/changed'
import { AppError, forbidden } from '../errors'
import type { MailLinks, MailQueue } from '../mail/queue'
import { bool } from '../util'
import { loadCompany, type CompanyContext } from '../repositories/companies'
import { toPerson } from '../repositories/entities'
import { personByEmail } from '../repositories/people'
import { projectOf, threadFor, visibleThreadRow } from '../repositories/threads'
import type { ParticipantService } from './participants'
import { INVITATION_DAYS, type PeopleService } from './people'
import type { Created } from './written'

type Trx = PortalDb
type Mailed = InvitationResult['mailed']

/**
 * Staff invite someone by email into one thread: an architect, a designer or a new trade who
 * has no account yet. They become a person of the company with portal access (a guest is a
 * customer who is no contact on any project; a trade is a subcontractor), a participant of this
 * thread, and get a mail naming the thread and who invited them, with a link to set a password
 * that opens the thread. Because access follows participation (repositories/visibility.ts), the thread
 * is all they see, and as nobody's project contact they can reply but start nothing.
 *
 * No client id: a repeat is meant to do something. The state is the same however often it runs
 * (one person per email, one place in the thread), and every repeat mails the link again, which
 * is what "Resend" is for. The write limits bound how often (limits/writes.ts).
 */
export class InvitationService {
  constructor(
    private readonly db: PortalDb,
    private readonly participants: ParticipantService,
    private readonly people: PeopleService,
    private readonly ports: { mail: MailQueue; links: MailLinks },
  ) {}

  async invite(
    caller: Caller,
    threadId: string,
    body: z.output<typeof InvitationBody>,
  ): Promise<Created<InvitationResult>> {
    // First, so that a customer's answer is the same for any thread id and reveals nothing.
    if (!isStaff(caller)) throw forbidden('Only staff can invite people to a conversation.')
    return this.db.transaction().execute(async (trx) => {
      const thread = await visibleThreadRow(trx, caller, threadId)
      const changed = new Changed(caller.companyId)
      const found = await personByEmail(trx, body.email)
      // Emails are unique on the whole server, so someone with an account at another builder
      // cannot be one of this company's people too. The refusal says only that this address
      // cannot be used: never whose it is, where, or in what role. (That the address is in use
      // somewhere is what any unique email says; an admin adding a person learns it as well.)
      if (found && found.company_id !== caller.companyId)
        throw new AppError(
          'EMAIL_TAKEN',
          `${body.email} can’t be invited here. Ask them for another email address, such as their work address, and invite that one.`,
        )
      const person =
        found ??
        (await this.people.insertPerson(
          trx,
          {
            caller,
            person: {
              role: body.kind === 'trade' ? 'subcontractor' : 'customer',
              name: body.name,
              email: body.email,
              portalAccess: true,
            },
          },
          changed,
        ))
      // A customer of the company who is no contact on this project joins as a guest of this
      // thread, as a new guest would: the Participants picker asks for project contacts, so that
      // choosing from every customer of the company cannot put someone into the wrong project by
      // a slip; an invitation names the person by their address, on purpose. A guest gets this
      // thread only: no other thread of the project, and no new conversations there (only
      // project contacts start them). A subcontractor still needs the company's permission.
      const added = await this.participants.join(
        trx,
        { caller, thread, userId: person.id, asGuest: true },
        changed,
      )
      const mailed = await this.mailTo(trx, caller, thread, person)
      if (mailed !== 'nothing') changed.mail = true
      return {
        result: {
          thread: await threadFor(trx, caller, thread.id),
          person: toPerson(person, caller),
          existing: Boolean(found),
          mailed,
        },
        created: added,
        changed,
      }
    })
  }

  /**
   * Someone without a password gets the invitation with a link that sets it and opens the
   * thread; someone who signs in already gets the thread's link. Staff see the thread in their
   * inbox, and a person whose portal access is off could not open either link.
   */
  private async mailTo(trx: Trx, caller: Caller, thread: ThreadRow, person: UserRow) {
    if (isStaff(person) || !bool(person.portal_access)) return 'nothing' satisfies Mailed
    const company = await loadCompany(trx, caller.companyId)
    const project = await projectOf(trx, thread)
    const firstTime = person.password_hash === null
    const link = firstTime
      ? this.ports.links.threadInvitation(
          await this.people.issueToken(trx, person.id, 'invitation'),
          thread.id,
        )
      : this.ports.links.portalThread(thread.id)
    await this.ports.mail.enqueue(trx, {
      companyId: caller.companyId,
      kind: 'invitation',
      threadId: thread.id,
      to: person.email,
      subject: `${caller.name} at ${company.row.name} invited you to “${thread.subject}”`,
      text: invitationText({ caller, company, project, thread, person, link, firstTime }),
    })
    return (firstTime ? 'set-password-link' : 'thread-link') satisfies Mailed
  }
}

function invitationText(m: {
  caller: Caller
  company: CompanyContext
  project: ProjectRow
  thread: ThreadRow
  person: UserRow
  link: string
  firstTime: boolean
}): string {
  const companyName = m.company.row.name
  return [
    `Hello ${m.person.name},`,
    '',
    `${m.caller.name} at ${companyName} invited you to a conversation in their client portal:`,
    `“${m.thread.subject}” (${m.project.name}).`,
    '',
    'There you can read it, reply and share files with the team.',
    '',
    ...(m.firstTime
      ? [
          `Set your password to join; the conversation opens as soon as it is set (the link works for ${INVITATION_DAYS} days):`,
          m.link,
        ]
      : ['Open the conversation (sign in with your usual password):', m.link]),
    '',
    `For urgent matters, please ${callUs(m.company.settings)}.`,
    'If you did not expect this invitation, you can ignore this email.',
  ].join('\n')
}
