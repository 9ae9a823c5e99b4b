import fp from 'fastify-plugin'
import { nowDate } from '../../../../src/shared/clock'
import { latestDigestPeriod, queueDigests } from '../../mail/digest'
import { DigestRunRepository } from '../../repositories/digest-runs'

/**
 * The schedule: digests when their time comes, retries of mail that failed, abandoned uploads,
 * sessions that ended under live sockets, ended limiter windows. Starts when the app is ready and
 * stops when it closes; each tick's failure is logged and the next tick tries again.
 */
export default fp(
  async (app) => {
    const digestRuns = new DigestRunRepository(app.db)
    const { clock } = app

    const tick = async () => {
      try {
        for (const company of await digestRuns.companies()) {
          const period = latestDigestPeriod(company.settings, nowDate(clock))
          if (period && (await digestRuns.claim(company.id, period.end)))
            await queueDigests(app.db, app.mailQueue, app.links, company.id, period)
        }
        await app.attachments.removeAbandoned()
        await app.realtime.recheckSessions()
        await app.limitStore.sweep()
        await app.mailer.kick()
      } catch (err) {
        app.log.warn({ err: String(err) }, 'scheduled work failed; will try again')
      }
    }

    let timer: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      // A company's first period is recorded without sending: a new install does not open with a digest of its import.
      for (const company of await digestRuns.companiesWithoutRuns()) {
        const period = latestDigestPeriod(company.settings, nowDate(clock))
        if (period) await digestRuns.claim(company.id, period.end)
      }
      timer = setInterval(() => void tick(), app.config.schedulerMs)
      timer.unref()
      void app.mailer.kick()
    })
    // Before anything closes, so no tick starts on a closing server.
    app.addHook('preClose', async () => clearInterval(timer))
  },
  { name: 'scheduler', dependencies: ['limits', 'repositories', 'realtime', 'mail'] },
)
