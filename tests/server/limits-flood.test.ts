import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorBodySchema, ThreadWithMessage } from '../../src/shared/protocol'
import { type Api, demoDirectory, signIn } from '../support/api'
import { IN_BUSINESS_HOURS, testClock, testClockAt } from '../support/clock'
import { mailDelivered, MailSink } from '../support/mail'
import { startServer, type RunningServer } from '../support/server'

/**
 * Issue 11's flood, end to end: a customer posts 300 messages as fast as the server answers,
 * half of them with the urgent keyword "flood", against the real server with its default write
 * limits and a real SMTP receiver that takes 20 ms more per message (a slow relay), so mail queues
 * up. Another customer of the company writes meanwhile, and an admin sends an invitation in the
 * middle of it.
 */

const FLOOD = 300
const SUBJECT = 'Water in the basement'
const MAPLE = 'Maple Street Remodel'
const STAFF = ['admin@demo.test', 'staff@demo.test']

const sink = new MailSink({ delayMs: 20 })
let server: RunningServer
let admin: Api
let carla: Api
let chris: Api
let dir: Awaited<ReturnType<typeof demoDirectory>>

const smtpEnv = () => ({
  PORTAL_SMTP_URL: sink.url,
  PORTAL_PUBLIC_URL: 'https://portal.example.test',
  PORTAL_SCHEDULER_MS: '200',
})

beforeAll(async () => {
  await sink.listen()
  // Inside business hours, said rather than assumed: no auto-replies join the mail.
  server = await startServer({ clock: testClockAt(IN_BUSINESS_HOURS), env: smtpEnv() })
  admin = await signIn(server.url, 'admin@demo.test')
  carla = await signIn(server.url, 'customer@demo.test')
  chris = await signIn(server.url, 'customer3@demo.test')
  dir = await demoDirectory(admin)
  // Ada and Sam also want an email per customer message: the ordinary alerts an invitation
  // used to wait behind.
  for (const email of STAFF) {
    const staff = await signIn(server.url, email)
    expect((await staff.patch('/me/preferences', { emailOnNewMessage: true })).status).toBe(200)
  }
})

afterAll(async () => {
  await server?.stop()
  await sink.close()
  if (server) await fs.rm(server.dataDir, { recursive: true, force: true })
})

function outboxCounts(dataDir: string) {
  const db = new SQLite(path.join(dataDir, 'portal.sqlite'), { readonly: true })
  try {
    return db
      .prepare(
        'SELECT kind, count(*) AS mails, sum(message_count) AS messages FROM mail_outbox GROUP BY kind ORDER BY kind',
      )
      .all() as { kind: string; mails: number; messages: number }[]
  } finally {
    db.close()
  }
}

describe('a customer flooding the portal', () => {
  it('is refused with a clear 429 after the limit, the next customer is not, urgent mail is 1 + a summary, and an invitation overtakes the queued alerts', async () => {
    const start = await carla.post('/threads', {
      clientId: randomUUID(),
      projectId: dir.project('Maple'),
      subject: SUBJECT,
      body: 'There is a flood in the basement, water everywhere.',
    })
    expect(start.status, JSON.stringify(start.body)).toBe(201)
    const { thread } = ThreadWithMessage.parse(start.body)
    expect(ThreadWithMessage.parse(start.body).message.urgent).toBe(true)

    const results: { body: string; status: number; error?: unknown; retryAfter: string | null }[] =
      []
    let invitation: Promise<{ countAtReturn: number; returnedAt: number }> | null = null
    const email = `ivy-${randomUUID().slice(0, 8)}@example.test`
    let next = 0
    const worker = async () => {
      while (next < FLOOD) {
        const i = next++
        if (i === FLOOD / 2)
          invitation = admin
            .post('/admin/people', {
              role: 'customer',
              name: 'Ivy Invitee',
              email,
              projectIds: [dir.project('Maple')],
              invite: true,
            })
            .then((res) => {
              expect(res.status, JSON.stringify(res.body)).toBe(201)
              return { countAtReturn: sink.received.length, returnedAt: performance.now() }
            })
        const body = i % 2 ? `Update ${i}: the water is still rising.` : `Flood ${i}: call us!`
        const res = await carla.post(`/threads/${thread.id}/messages`, {
          clientId: randomUUID(),
          body,
        })
        results.push({
          body,
          status: res.status,
          error: res.status === 201 ? undefined : res.body,
          retryAfter: res.headers.get('retry-after'),
        })
      }
    }
    // Chris, on the same project, writes in his own thread while Carla floods.
    const chrisWrites = (async () => {
      const statuses: number[] = []
      const own = await chris.post('/threads', {
        clientId: randomUUID(),
        projectId: dir.project('Maple'),
        subject: 'Paint colours',
        body: 'Could we see the paint samples on Friday?',
      })
      statuses.push(own.status)
      const ownId = ThreadWithMessage.parse(own.body).thread.id
      for (let i = 0; i < 4; i++) {
        const res = await chris.post(`/threads/${ownId}/messages`, {
          clientId: randomUUID(),
          body: `And one more question, number ${i}.`,
        })
        statuses.push(res.status)
      }
      return statuses
    })()
    const floodStarted = performance.now()
    await Promise.all([...Array.from({ length: 10 }, worker), chrisWrites])
    const floodMs = performance.now() - floodStarted

    // ---- the limit ----
    const accepted = results.filter((r) => r.status === 201)
    const refused = results.filter((r) => r.status !== 201)
    // 60 a minute per customer; the thread Carla started was the first.
    expect(accepted).toHaveLength(59)
    expect(refused).toHaveLength(FLOOD - 59)
    for (const r of refused) {
      expect(r.status).toBe(429)
      const error = ErrorBodySchema.parse(r.error).error
      expect(error.code).toBe('RATE_LIMITED')
      expect(error.message).toMatch(
        /^You have sent many messages in a short time, more than the portal accepts\. Wait (\d+ seconds?|1 minute), then send this one again\.$/,
      )
      expect(error.details).toMatchObject({ limit: 'person' })
      expect(r.retryAfter).toBe(
        String((error.details as { retryAfterSeconds: number }).retryAfterSeconds),
      )
    }
    // The other customer of the company was not refused.
    expect(await chrisWrites).toEqual([201, 201, 201, 201, 201])
    // Nothing of a refused message was written.
    const messages = await admin.get(`/threads/${thread.id}/messages?limit=500`)
    expect(messages.body.messages).toHaveLength(1 + accepted.length)

    // ---- the invitation, in the middle of it ----
    if (!invitation) throw new Error('the invitation was not sent')
    const sent = await (invitation as Promise<{ countAtReturn: number; returnedAt: number }>)
    const invite = await sink.waitFor((m) => m.envelopeTo.includes(email), 20_000)
    const arrivedMs = performance.now() - sent.returnedAt
    const at = sink.received.indexOf(invite)
    // At most the mail that was already on the wire went before it...
    expect(at - sent.countAtReturn).toBeLessThanOrEqual(1)
    await mailDelivered(server, testClock, 60_000)
    // ...while alerts queued before it were still waiting, and went after it.
    const acceptedBefore = new Set(
      results
        .slice(0, FLOOD / 2)
        .filter((r) => r.status === 201)
        .map((r) => r.body),
    )
    const overtaken = sink.received
      .slice(at + 1)
      .filter((m) => [...acceptedBefore].some((body) => m.text.includes(body)))
    expect(overtaken.length).toBeGreaterThan(0)

    // ---- urgent mail: one alert each, the rest gathered ----
    const urgentAccepted = accepted.filter((r) => r.body.startsWith('Flood')).length
    const urgentTo = (person: string) => sink.to(person, (m) => m.subject.startsWith('URGENT:'))
    for (const person of STAFF) {
      expect(urgentTo(person).map((m) => m.subject)).toEqual([
        `URGENT: Carla Mendes (${MAPLE}): ${SUBJECT}`,
      ])
    }
    const queued = outboxCounts(server.dataDir)

    // The window ends on the server's clock: the same data, a server 16 minutes later.
    const later = testClockAt(new Date(testClock.now() + 16 * 60_000).toISOString())
    await server.stop()
    server = await startServer({ dataDir: server.dataDir, clock: later, env: smtpEnv() })
    for (const person of STAFF) {
      const summary = await sink.waitFor(
        (m) => m.envelopeTo.includes(person) && m.subject.includes('more urgent message'),
        20_000,
      )
      expect(summary.subject).toBe(
        `URGENT: ${urgentAccepted} more urgent messages (${MAPLE}): ${SUBJECT}`,
      )
      expect(summary.text).toContain(`https://portal.example.test/portal/open/${thread.id}`)
    }
    await mailDelivered(server, later)
    for (const person of STAFF) expect(urgentTo(person)).toHaveLength(2)

    console.log(
      [
        `flood: ${FLOOD} messages in ${Math.round(floodMs)} ms: ${accepted.length} accepted, ${refused.length} refused (429); Chris: 5 of 5 accepted`,
        `mail queued: ${queued.map((q) => `${q.kind} ${q.mails}${q.kind === 'urgent-summary' ? ` (telling of ${q.messages} messages)` : ''}`).join(', ')}`,
        `invitation: arrived ${Math.round(arrivedMs)} ms after it was queued, ${at - sent.countAtReturn} mail ahead of it, ${overtaken.length} earlier alerts overtaken`,
        `urgent mails per staff member: ${STAFF.map((p) => `${p} ${urgentTo(p).length}`).join(', ')} (for ${urgentAccepted + 1} urgent messages)`,
      ].join('\n'),
    )
  }, 120_000)
})
