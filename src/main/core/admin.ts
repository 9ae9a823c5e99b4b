import type { z } from 'zod'
import type { ipcInputs } from '../../shared/ipc'
import type {
  CompanySettings,
  DigestPreviewResult,
  DigestSchedule,
  HeldReply,
  InboundMailResult,
  InvitationResult,
  Person,
  Project,
  WhoIsNotified,
} from '../../shared/protocol'
// issue 14: settings
import type { EmailAlerts, MailLogEntry, Preferences } from '../../shared/protocol'
import type { PortalApi } from './api'
import { EngineError, engineErrorFrom, notSignedIn } from './errors'
import type { Sync } from './sync'

type Input<K extends keyof typeof ipcInputs> = z.output<(typeof ipcInputs)[K]>

const OFFLINE =
  'Company settings, projects and people live on the portal server, so admin changes need a connection to it, and it cannot be reached now. Try again when you are back online.'
const INVITE_OFFLINE =
  'An invitation is sent by the portal server, and it cannot be reached now. Try again when you are back online; nothing was sent.'

const HELD_OFFLINE =
  'Replies held for review wait on the portal server, and it cannot be reached now. Try again when you are back online.'
// issue 14: who is notified
const NOTIFIED_OFFLINE =
  'Who is notified is worked out by the portal server from everyone’s settings, and it cannot be reached now. Try again when you are back online.'
// issue 14: settings
const EMAIL_OFFLINE =
  'Email alerts and the delivery log are kept by the portal server, and it cannot be reached now. Try again when you are back online; nothing was changed or sent.'

// issue 14: settings
/** The email part of the person's preferences (the desktop part is DesktopAlertSettings'). */
const emailPart = ({ desktop: _desktop, ...email }: Preferences): EmailAlerts => email

/** How long a write waits for the change feed to bring it into the cache before it answers. */
const REFRESH_WAIT_MS = 10_000

/**
 * Admin → Company Settings → Client Portal, projects and people (and the person's own password,
 * and invitations by email into a thread): online only, straight to the server (nothing is
 * queued in the outbox: an admin wants to know at once whether a change took, and whoever
 * invites someone whether the address could be used).
 * The server decides who is an admin; its refusals (FORBIDDEN for staff, VALIDATION_FAILED,
 * EMAIL_TAKEN, NOT_FOUND…) come back as EngineErrors with its code and sentence. After a write the
 * change feed is pulled, so the cache, and the `changed` event it fires, reflect the change
 * before the call resolves.
 */
export class Admin {
  constructor(private readonly sync: Sync) {}

  getCompanySettings(): Promise<CompanySettings> {
    return this.call((api) => api.companySettings())
  }

  updateCompanySettings(patch: Input<'updateCompanySettings'>): Promise<CompanySettings> {
    return this.write((api) => api.updateCompanySettings(patch))
  }

  createProject(body: Input<'createProject'>): Promise<Project> {
    return this.write((api) => api.createProject(body))
  }

  updateProject({ projectId, patch }: Input<'updateProject'>): Promise<Project> {
    return this.write((api) => api.updateProject(projectId, patch))
  }

  createPerson(body: Input<'createPerson'>): Promise<Person> {
    return this.write((api) => api.createPerson(body))
  }

  updatePerson({ personId, patch }: Input<'updatePerson'>): Promise<Person> {
    return this.write((api) => api.updatePerson(personId, patch))
  }

  /** Every session of the person ends at once; nothing in the cache changes, so no pull. */
  async signOutPerson({ personId }: Input<'signOutPerson'>): Promise<{ sessionsEnded: number }> {
    const { sessionsEnded } = await this.call((api) => api.signOutPerson(personId))
    return { sessionsEnded }
  }

  /** A new invitation link by mail; the one sent before stops working only when it expires. */
  resendInvitation({ personId }: Input<'resendInvitation'>): Promise<Person> {
    return this.call((api) => api.resendInvitation(personId), INVITE_OFFLINE)
  }

  getDigestSchedule(): Promise<DigestSchedule> {
    return this.call((api) => api.digestSchedule())
  }

  previewDigest(): Promise<DigestPreviewResult> {
    return this.call((api) => api.previewDigest())
  }

  /**
   * Someone invited by email into one thread (any staff member who sees it). Not through the
   * outbox: the server decides who the address belongs to, and mails them, so the answer is
   * wanted now; a retry later would mail a second time.
   */
  inviteToThread({ threadId, ...body }: Input<'inviteToThread'>): Promise<InvitationResult> {
    return this.write((api) => api.inviteToThread(threadId, body), INVITE_OFFLINE)
  }

  /** Replies by email held for review (sender checks failed): online only, as staff decide now. */
  heldReplies(): Promise<HeldReply[]> {
    return this.call((api) => api.heldReplies(), HELD_OFFLINE)
  }

  /** Posts a held reply after all; the server answers what became of it (posted or refused). */
  postHeldReply({ heldId }: Input<'postHeldReply'>): Promise<InboundMailResult> {
    return this.write((api) => api.postHeldReply(heldId), HELD_OFFLINE)
  }

  discardHeldReply({ heldId }: Input<'discardHeldReply'>): Promise<{ ok: true }> {
    return this.call((api) => api.discardHeldReply(heldId), HELD_OFFLINE)
  }

  /** The person's own password, online only like the rest here: they must know at once whether it took. */
  async changePassword(input: Input<'changePassword'>): Promise<{ sessionsEnded: number }> {
    const { sessionsEnded } = await this.call((api) => api.changePassword(input))
    return { sessionsEnded }
  }

  // issue 14: who is notified
  /** Who a new message in the thread reaches (staff): the server knows everyone's settings. */
  whoIsNotified({ threadId }: Input<'whoIsNotified'>): Promise<WhoIsNotified> {
    return this.call((api) => api.whoIsNotified(threadId), NOTIFIED_OFFLINE)
  }

  // issue 14: settings
  /** The person's own email alerts, as the server has them now (not a copy from sign-in). */
  async getEmailAlerts(): Promise<EmailAlerts> {
    return emailPart((await this.call((api) => api.me(), EMAIL_OFFLINE)).preferences)
  }

  async setEmailAlerts(patch: Input<'setEmailAlerts'>): Promise<EmailAlerts> {
    return emailPart(await this.call((api) => api.setEmailAlerts(patch), EMAIL_OFFLINE))
  }

  myMail(): Promise<MailLogEntry[]> {
    return this.call((api) => api.myMail(), EMAIL_OFFLINE)
  }

  /** Queued at the server, at most 5 an hour (a 429 comes back as its sentence). */
  sendTestMail(): Promise<MailLogEntry> {
    return this.call((api) => api.sendTestMail(), EMAIL_OFFLINE)
  }

  personMail({ personId }: Input<'personMail'>): Promise<MailLogEntry[]> {
    return this.call((api) => api.personMail(personId), EMAIL_OFFLINE)
  }

  private async call<T>(run: (api: PortalApi) => Promise<T>, offline = OFFLINE): Promise<T> {
    const api = this.sync.api
    const state = this.sync.connection().state
    if (!api || state === 'signed-out') throw notSignedIn()
    // Offline is known already: say so at once instead of waiting for a request to time out.
    if (state === 'offline') throw new EngineError('OFFLINE', offline)
    try {
      return await run(api)
    } catch (err) {
      throw engineErrorFrom(err, offline)
    }
  }

  private async write<T>(run: (api: PortalApi) => Promise<T>, offline = OFFLINE): Promise<T> {
    const result = await this.call(run, offline)
    // The write is done whatever happens next; a pull that fails or stalls only delays the cache,
    // which the socket's push or the next catch-up brings up to date.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.sync.pull('catch-up').catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, REFRESH_WAIT_MS)
        timer.unref()
      }),
    ])
    clearTimeout(timer)
    return result
  }
}
