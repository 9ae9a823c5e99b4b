import type { DigestPreviewResult, DigestSchedule } from '../../../src/shared/protocol'
import { isoIn, nowDate, nowIso, type Clock } from '../../../src/shared/clock'
import type { PortalDb } from '../db/handle'
import type { Caller } from '../domain/caller'
import { parsePreferences } from '../domain/settings'
import { digestMail, latestDigestPeriod, nextDigestRun } from '../mail/digest'
import type { MailLinks, MailQueue } from '../mail/queue'
import { loadCompany } from '../repositories/companies'
import { peopleInRoles, personById } from '../repositories/people'
import { queueOwnMail } from './mail-log'
import type { Written } from './written'

/** Previews an admin may send themselves in an hour: enough to check a change, not a mail cannon. */
const PREVIEWS_PER_HOUR = 5
const DAY_MS = 86_400_000
const NOTHING_NEW =
  'Nothing new yet, and nothing is waiting for an answer: a scheduled digest like this one is not sent.'

/**
 * Admin → People: when the company's digest next goes out, by the same schedule the scheduler
 * runs (the server's clock, the company's time zone), and a preview of it to the admin alone.
 */
export class DigestScheduleService {
  constructor(
    private readonly db: PortalDb,
    private readonly ports: { mail: MailQueue; links: MailLinks; clock: Clock },
  ) {}

  async schedule(caller: Caller): Promise<DigestSchedule> {
    const { settings } = await loadCompany(this.db, caller.companyId)
    const now = nowDate(this.ports.clock)
    const staff = await peopleInRoles(this.db, caller.companyId, ['admin', 'staff'])
    const off = settings.digest.frequency === 'off'
    return {
      ...settings.digest,
      timezone: settings.businessHours.timezone,
      now: now.toISOString(),
      nextRunAt: nextDigestRun(settings, now),
      lastRunAt: latestDigestPeriod(settings, now)?.end ?? null,
      recipients: off
        ? 0
        : staff.filter((p) => parsePreferences(p.preferences, p.role).emailDigest).length,
    }
  }

  /**
   * What the next digest says so far (since the last run; the last day when the digest is off),
   * sent to the admin who asked and to nobody else, whatever their own digest setting, and sent
   * even when it has nothing to say, so the admin sees that too.
   */
  async preview(caller: Caller): Promise<Written<DigestPreviewResult>> {
    const { clock, links } = this.ports
    const company = await loadCompany(this.db, caller.companyId)
    const end = nowIso(clock)
    const start = latestDigestPeriod(company.settings, nowDate(clock))?.end ?? isoIn(clock, -DAY_MS)
    const { result: mail, changed } = await queueOwnMail(
      this.db,
      this.ports,
      caller,
      {
        kind: 'digest-preview',
        perHour: PREVIEWS_PER_HOUR,
        refusal: `You asked for ${PREVIEWS_PER_HOUR} digest previews in the last hour. Check your inbox for them, and try again later.`,
      },
      async (trx) => {
        const person = await personById(trx, caller.id)
        const to = { company: company.row, person, period: { start, end } }
        const digest = await digestMail(trx, links, to, NOTHING_NEW)
        return { ...digest!, kind: 'digest-preview', subject: `Preview: ${digest!.subject}` }
      },
    )
    return { result: { mail, periodStart: start, periodEnd: end }, changed }
  }
}
