import fp from 'fastify-plugin'
import { nowDate } from '../../../../src/shared/clock'
import { markFirstDigestPeriods, queueDueDigests } from '../../mail/digest'

/**
 * The schedule: digests when their time comes, retries of mail that failed, abandoned uploads,
 * sessions that ended under live sockets, ended limiter windows. Starts when the app is ready and
 * stops when it closes; each tick's failure is logged and the next tick tries again.
 */
export default fp(
  async (app) => {
    const { clock } = app

    const tick = async () => {
      try {
        const { db, jobs, mailQueue: queue, links } = app
        await queueDueDigests({ db, jobs, queue, links }, nowDate(clock))
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
      await markFirstDigestPeriods(app.jobs, nowDate(clock))
      timer = setInterval(() => void tick(), app.config.schedulerMs)
      timer.unref()
      void app.mailer.kick()
    })
    // Before anything closes, so no tick starts on a closing server.
    app.addHook('preClose', async () => clearInterval(timer))
  },
  { name: 'scheduler', dependencies: ['limits', 'repositories', 'realtime', 'mail'] },
)
