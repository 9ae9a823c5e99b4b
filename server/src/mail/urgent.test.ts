import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, nowIso } from '../../../src/shared/clock'
import { openDatabase, type OpenDatabase } from '../db/database'
import { MailQueue, type MailLinks } from './queue'
import { queueUrgentAlert, URGENT_WINDOW_MS } from './urgent'

/**
 * The windows of urgent alerts on a clock moved by hand, over the real mail outbox table.
 * tests/server/limits-flood.test.ts shows the same end to end over SMTP.
 */

const open: OpenDatabase[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const o of open.splice(0)) await o.db.destroy()
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true })
})

const links: MailLinks = {
  portalThread: (id) => `https://portal.example.test/portal/threads/${id}`,
  setPassword: () => '',
  threadInvitation: () => '',
  resetPassword: () => '',
  portalSettings: () => '',
  staffThread: (id) => `https://portal.example.test/portal/open/${id}`,
  portalFile: () => '',
  staffFile: () => '',
  unsubscribe: () => '',
  signIn: () => '',
}

async function setUp() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-urgent-'))
  dirs.push(dir)
  const database = await openDatabase(path.join(dir, 'portal.sqlite'))
  open.push(database)
  const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'))
  const queue = new MailQueue(links, clock)
  const { db } = database
  let n = 0
  /** One urgent message in thread t for Sam. */
  const urgent = (threadId = 't1') =>
    db.transaction().execute((trx) =>
      queueUrgentAlert(trx, (item) => queue.enqueue(trx, item), clock, {
        alert: {
          companyId: 'c',
          kind: 'urgent',
          threadId,
          to: 'sam@example.test',
          subject: `URGENT: Carla (Maple): Basement`,
          text: `message ${++n}`,
        },
        threadSubject: 'Basement',
        projectName: 'Maple',
        authorName: 'Carla',
        excerpt: `> flood ${n}`,
        link: `https://portal.example.test/portal/open/${threadId}`,
      }),
    )
  const rows = () =>
    db
      .selectFrom('mail_outbox')
      .select(['id', 'kind', 'thread_id', 'subject', 'message_count', 'next_attempt_at', 'sent_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  /** The sender delivered everything due, at the clock's time. */
  const deliverDue = () =>
    db
      .updateTable('mail_outbox')
      .set({ sent_at: nowIso(clock) })
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', nowIso(clock))
      .execute()
  /** 10:00: an urgent alert went at once; 10:01: the next is folded into a summary due 10:15. */
  const alertSentAndOneFolded = async () => {
    await urgent()
    await deliverDue()
    clock.advance(60_000)
    await urgent()
  }
  /** The queue as [kind, messages told, due]: what the window cases compare. */
  const queued = async () =>
    (await rows()).map((m) => [m.kind, m.message_count, m.next_attempt_at] as const)
  return { clock, urgent, rows, deliverDue, alertSentAndOneFolded, queued }
}

describe('urgent alerts per thread and recipient', () => {
  it('the first goes at once, the rest of the window fold into one summary due at its end', async () => {
    const { clock, urgent, rows, deliverDue } = await setUp()
    await urgent()
    await deliverDue()
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000)
      await urgent()
    }
    await urgent('t2')
    const mail = await rows()
    expect(mail.map((m) => [m.kind, m.thread_id, m.message_count])).toEqual([
      ['urgent', 't1', 1],
      ['urgent-summary', 't1', 5],
      ['urgent', 't2', 1],
    ])
    const summary = mail[1]!
    expect(summary.subject).toBe('URGENT: 5 more urgent messages (Maple): Basement')
    // Due a window after the first alert went (10:00), not after the last message.
    expect(summary.next_attempt_at).toBe(
      new Date(Date.parse('2026-12-07T10:00:00Z') + URGENT_WINDOW_MS).toISOString(),
    )
    expect(summary.sent_at).toBeNull()
  })

  it('messages after the summary went wait for the next window; a quiet window ends the gathering', async () => {
    const { clock, urgent, rows, deliverDue, alertSentAndOneFolded, queued } = await setUp()
    await alertSentAndOneFolded()
    clock.set('2026-12-07T10:15:00Z')
    await deliverDue()
    clock.advance(60_000)
    await urgent() // 10:16: a new summary, due a window after the last one went
    clock.advance(60_000)
    await urgent()
    expect(await queued()).toEqual([
      ['urgent', 1, '2026-12-07T10:00:00.000Z'],
      ['urgent-summary', 1, '2026-12-07T10:15:00.000Z'],
      ['urgent-summary', 2, '2026-12-07T10:30:00.000Z'],
    ])
    clock.set('2026-12-07T10:30:00Z')
    await deliverDue()
    // Nothing more for a whole window: the next urgent message is an alert of its own again.
    clock.set('2026-12-07T10:45:01Z')
    await urgent()
    expect((await rows()).at(-1)).toMatchObject({
      kind: 'urgent',
      next_attempt_at: '2026-12-07T10:45:01.000Z',
    })
  })

  it('a summary already due is not rewritten (the sender may be delivering it); the next one waits', async () => {
    const { clock, urgent, alertSentAndOneFolded, queued } = await setUp()
    await alertSentAndOneFolded()
    clock.set('2026-12-07T10:15:30Z') // due, not yet sent
    await urgent()
    expect(await queued()).toEqual([
      ['urgent', 1, '2026-12-07T10:00:00.000Z'],
      ['urgent-summary', 1, '2026-12-07T10:15:00.000Z'],
      ['urgent-summary', 1, '2026-12-07T10:30:00.000Z'],
    ])
  })
})
