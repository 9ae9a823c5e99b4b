import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IpcEvents } from '../../src/shared/ipc'
import { ThreadWithMessage } from '../../src/shared/protocol'
import { demoPdf } from '../../server/src/demo/seed'
import { signIn, startThread } from '../support/api'
import { ManualClock } from '../../src/shared/clock'
import { testClock } from '../support/clock'
import { openEngine, type TestEngine } from '../support/engine'
import { serverForFile } from '../support/file-server'

/** The portal server on a fixed port behind a fault proxy, so a test can cut Sam off or restart it. */
const portal = serverForFile({
  people: { admin: 'admin@demo.test', carla: 'customer@demo.test' },
  viaProxy: true,
})
let sam: TestEngine

/** Carla asks on Maple; answers once Sam's engine has the conversation. */
const carlaAsks = (subject: string, body: string) =>
  sam.sees(startThread(portal.carla, portal.dir.project('Maple'), subject, body))

/** The server's view of a thread, as staff. */
async function serverMessages(threadId: string) {
  return ((await portal.admin.get(`/threads/${threadId}/messages?limit=500`)).body.messages ??
    []) as {
    id: string
    clientId: string
    body: string
  }[]
}

beforeAll(async () => {
  sam = await openEngine()
})

afterAll(async () => {
  await sam?.close()
})

describe('sign-in and initial sync', () => {
  it('signs in, downloads everything Sam may see with progress, and nothing he may not', async () => {
    const progress: IpcEvents['syncProgress'][] = []
    const off = sam.engine.events.on('syncProgress', (p) => progress.push(p))
    const connection = await sam.api.signIn({
      serverUrl: portal.proxy.url,
      email: 'staff@demo.test',
      password: 'portal-demo',
    })
    off()
    expect(connection.user?.email).toBe('staff@demo.test')
    expect(progress.length).toBeGreaterThan(0)
    const last = progress.at(-1)!
    expect(last.done).toBe(last.total)

    const { threads } = await sam.api.listThreads({ view: 'all', limit: 200 })
    const subjects = threads.map((t) => t.subject)
    expect(subjects).toContain('Tile selection for the primary bath')
    expect(subjects).toContain('Window package quote')
    // Cedar Court is Ada's only: Sam is not on it.
    expect(threads.every((t) => t.projectName !== 'Cedar Court Kitchen')).toBe(true)
    const tile = threads.find((t) => t.subject === 'Tile selection for the primary bath')!
    expect(tile.unreadCount).toBe(1)
    expect(tile.customerNames).toEqual(expect.arrayContaining(['Carla Mendes', 'Chris Mendes']))

    const detail = await sam.api.openThread({ threadId: tile.id })
    expect(detail.messages.map((m) => m.body)).toEqual([
      expect.stringContaining('we picked the tile'),
      expect.stringContaining('Great choice'),
      expect.stringContaining('Warm Gray'),
    ])
    expect(detail.messages[0]?.attachments[0]?.name).toBe('showroom-tile.png')
    expect(detail.reads.length).toBeGreaterThan(0)

    await sam.until(async () => (await sam.api.getConnection({})).state === 'online', 'online')
  })

  it('counts per view, and the internal note is there for staff', async () => {
    const counts = await sam.api.viewCounts({})
    expect(counts.views.all).toBeGreaterThan(3)
    expect(counts.views.urgent).toBeGreaterThanOrEqual(1)
    const leak = (await sam.api.listThreads({ view: 'urgent' })).threads.find((t) =>
      t.subject.includes('basement'),
    )!
    const detail = await sam.api.openThread({ threadId: leak.id })
    expect(detail.messages.some((m) => m.internal)).toBe(true)
  })
})

describe('live delivery and notifications', () => {
  it('a customer message posted through the API is in the cache at once, and an urgent one notifies', async () => {
    const notified = sam.next('notification', (n) => n.body.includes('Burst pipe'))
    const res = await portal.carla.post('/threads', {
      clientId: randomUUID(),
      projectId: portal.dir.project('Maple'),
      subject: 'Burst pipe',
      body: 'Emergency: water everywhere in the laundry room.',
    })
    const { thread } = ThreadWithMessage.parse(res.body)
    const notification = await notified
    expect(notification.kind).toBe('urgent')
    expect(notification.title).toContain('Carla Mendes')
    expect(notification.title).toContain('Maple Street Remodel')
    const detail = await sam.api.openThread({ threadId: thread.id })
    expect(detail.messages[0]?.body).toContain('water everywhere')
  })

  it('the thread open and focused gets no notification; marking read clears the unread count everywhere', async () => {
    const threadId = await carlaAsks('Focus test', 'First')
    await sam.api.setFocus({ threadId: threadId, windowFocused: true })
    let notified = false
    const off = sam.engine.events.on('notification', (n) => {
      if (n.threadId === threadId) notified = true
    })
    await portal.carla.post(`/threads/${threadId}/messages`, {
      clientId: randomUUID(),
      body: 'Second, while Sam reads',
    })
    await sam.until(() => sam.engine.store.thread(threadId)?.unreadCount === 2, 'second message')
    off()
    expect(notified).toBe(false)
    await sam.api.setFocus({ threadId: null, windowFocused: false })

    const detail = await sam.api.openThread({ threadId: threadId })
    await sam.api.markRead({ messageIds: detail.messages.map((m) => m.id) })
    expect(sam.engine.store.thread(threadId)?.unreadCount).toBe(0)
    await sam.until(async () => (await sam.api.listOutbox({})).length === 0, 'read marks sent')
    const sams = await signIn(portal.server.url, 'staff@demo.test')
    expect((await sams.get(`/threads/${threadId}`)).body.unreadCount).toBe(0)
  })
})

describe('alerts after a catch-up', () => {
  it('messages missed while cut off raise one alert per kind, counting them, not one each', async () => {
    portal.proxy.set('refuse')
    await sam.api.syncNow({})
    await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
    const alerts: IpcEvents['notification'][] = []
    const off = sam.engine.events.on('notification', (n) => alerts.push(n))
    const created: string[] = []
    try {
      for (const [i, urgent] of [true, false, true, false, true].entries()) {
        created.push(
          await startThread(
            portal.carla,
            portal.dir.project('Maple'),
            `Missed while away ${i}`,
            `Question number ${i} about the schedule`,
            { urgent },
          ),
        )
      }
      portal.proxy.set('pass')
      await sam.until(
        () => created.every((id) => sam.engine.store.thread(id)),
        'the catch-up to bring all five',
        15_000,
      )
    } finally {
      off()
      portal.proxy.set('pass')
    }
    expect(alerts.map((a) => [a.kind, a.count, a.title])).toEqual([
      ['urgent', 3, '3 new urgent messages'],
      ['normal', 2, '2 new messages'],
    ])
    // Each points at the newest message of its kind.
    expect(alerts[0]!.threadId).toBe(created[4])
    expect(alerts[0]!.body).toBe(
      'Newest: Missed while away 4: Question number 4 about the schedule',
    )
    expect(alerts[1]!.threadId).toBe(created[3])
  })
})

describe('offline', () => {
  it('a reply written with the server down waits in the outbox and arrives exactly once when it is back', async () => {
    const threadId = await carlaAsks('Offline reply', 'Question before the outage')

    let messageId = ''
    await portal.restart(async () => {
      await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
      ;({ messageId } = await sam.api.reply({
        threadId: threadId,
        body: 'Answer written on the train',
      }))
      const pending = await sam.api.openThread({ threadId: threadId })
      expect(pending.messages.find((m) => m.id === messageId)?.pending).toBe(true)
      expect((await sam.api.listOutbox({}))[0]?.state).toBe('pending')
      // Reading and search work offline.
      expect((await sam.api.search({ query: 'outage' })).map((h) => h.threadId)).toContain(threadId)
    })
    await sam.until(
      async () => (await sam.api.listOutbox({})).length === 0,
      'outbox drained',
      20_000,
    )
    const onServer = (await serverMessages(threadId)).filter(
      (m) => m.body === 'Answer written on the train',
    )
    expect(onServer).toHaveLength(1)
    const local = await sam.api.openThread({ threadId: threadId })
    expect(local.messages.filter((m) => m.body === 'Answer written on the train')).toEqual([
      expect.objectContaining({ pending: false, id: onServer[0]!.id }),
    ])
  })

  it('a conversation started offline, with a reply and a file, arrives in order after the engine restarts', async () => {
    portal.proxy.set('refuse')
    await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
    const file = await sam.api.stageBytes({
      name: 'site-plan.pdf',
      bytes: new Uint8Array(demoPdf('site plan')),
    })
    const { threadId } = await sam.api.createThread({
      projectId: portal.dir.project('Maple'),
      subject: 'Started on the train',
      body: 'First words',
      stagedFileIds: [file.id],
    })
    await sam.api.reply({ threadId, body: 'Second words' })
    expect((await sam.api.listOutbox({})).map((e) => e.kind)).toEqual(['new-thread', 'reply'])

    // The app is closed and opened again before the network returns.
    const { dataDir, tokens } = sam
    await sam.close()
    sam = await openEngine({ dataDir, tokens })
    expect((await sam.api.listOutbox({})).length).toBe(2)
    portal.proxy.set('pass')
    await sam.until(
      async () => (await sam.api.listOutbox({})).length === 0,
      'outbox drained',
      20_000,
    )

    const threads = (await sam.api.listThreads({ view: 'all', limit: 500 })).threads.filter(
      (t) => t.subject === 'Started on the train',
    )
    expect(threads).toHaveLength(1)
    const onServer = await serverMessages(threads[0]!.id)
    expect(onServer.map((m) => m.body)).toEqual(['First words', 'Second words'])
    const detail = await sam.api.openThread({ threadId: threads[0]!.id })
    expect(detail.messages[0]?.attachments[0]?.name).toBe('site-plan.pdf')
    expect(detail.messages.every((m) => !m.pending)).toBe(true)
  })

  it('a reply is held when customer messages arrived after it was written offline; edit or send anyway delivers it', async () => {
    const threadId = await carlaAsks('Collision', 'Can you come Monday?')
    const heldAfter = async (reply: string, customer: string) => {
      portal.proxy.set('refuse')
      await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
      await sam.api.reply({ threadId: threadId, body: reply })
      await portal.carla.post(`/threads/${threadId}/messages`, {
        clientId: randomUUID(),
        body: customer,
      })
      portal.proxy.set('pass')
      return sam.until(
        async () => (await sam.api.listOutbox({})).find((e) => e.state === 'held'),
        'held entry',
      )
    }

    const first = await heldAfter('Yes, Monday works.', 'Actually, Monday is bad. Tuesday?')
    expect(first.error).toMatch(/^1 new customer message arrived after you wrote this reply/)
    expect((await serverMessages(threadId)).some((m) => m.body === 'Yes, Monday works.')).toBe(
      false,
    )
    await sam.api.editOutbox({ id: first.id, body: 'Tuesday works too.' })
    await sam.until(
      async () => (await sam.api.listOutbox({})).length === 0,
      'edited reply delivered',
    )

    const second = await heldAfter('See you Tuesday at 8.', 'Also, can you bring the tile samples?')
    await sam.api.sendHeldAnyway({ id: second.id })
    await sam.until(
      async () => (await sam.api.listOutbox({})).length === 0,
      'held reply sent anyway',
    )
    expect((await serverMessages(threadId)).map((m) => m.body)).toEqual([
      'Can you come Monday?',
      'Actually, Monday is bad. Tuesday?',
      'Tuesday works too.',
      'Also, can you bring the tile samples?',
      'See you Tuesday at 8.',
    ])
  })

  it('a permanent refusal is kept with its reason; discard removes the optimistic message', async () => {
    const tess = await openEngine()
    try {
      await tess.api.signIn({
        serverUrl: portal.proxy.url,
        email: 'staff2@demo.test',
        password: 'portal-demo',
      })
      const windows = (await tess.api.listThreads({ view: 'all' })).threads.find(
        (t) => t.subject === 'Window package quote',
      )!
      await tess.until(async () => (await tess.api.getConnection({})).state === 'online', 'online')
      portal.proxy.set('refuse')
      await tess.until(
        async () => (await tess.api.getConnection({})).state === 'offline',
        'offline',
      )
      await tess.api.reply({ threadId: windows.id, body: 'Will this arrive?' })
      // While Tess is offline an admin moves her off Oak Ridge and out of the conversation.
      await portal.admin.patch(`/admin/projects/${portal.dir.project('Oak')}`, {
        teamIds: [portal.dir.person('staff@demo.test')],
      })
      expect(
        (
          await portal.admin.delete(
            `/threads/${windows.id}/participants/${portal.dir.person('staff2@demo.test')}`,
          )
        ).status,
      ).toBe(200)
      portal.proxy.set('pass')
      // Either the catch-up removes the thread first, or the send is refused: both end in a failed entry.
      const failed = await tess.until(
        async () => (await tess.api.listOutbox({})).find((e) => e.state === 'failed'),
        'failed entry',
        15_000,
      )
      expect(failed.errorCode).toBe('NOT_FOUND')
      expect(failed.error).toMatch(/not found|access/)
      await tess.api.discardOutbox({ id: failed.id })
      expect(await tess.api.listOutbox({})).toEqual([])
      expect(
        (await tess.api.listThreads({ view: 'all' })).threads.find((t) => t.id === windows.id),
      ).toBeUndefined()
    } finally {
      await portal.admin.patch(`/admin/projects/${portal.dir.project('Oak')}`, {
        teamIds: [portal.dir.person('staff@demo.test'), portal.dir.person('staff2@demo.test')],
      })
      await tess.close()
    }
  })

  it('reconnect catch-up: what was posted while the engine was away arrives by pull', async () => {
    portal.proxy.set('refuse')
    await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
    const missed: string[] = []
    for (let i = 0; i < 5; i++)
      missed.push(
        await startThread(
          portal.carla,
          portal.dir.project('Maple'),
          `Missed ${i}`,
          `While away ${i}`,
        ),
      )
    portal.proxy.set('pass')
    await sam.until(
      () => missed.every((id) => sam.engine.store.thread(id)),
      'missed threads arrive',
      15_000,
    )
    await portal.restart()
    await sam.until(
      async () => (await sam.api.getConnection({})).state === 'online',
      'online after server restart',
      20_000,
    )
  })
})

describe('files', () => {
  it('refuses an oversize or disallowed file before any upload, naming the limit', async () => {
    await expect(
      sam.api.stageBytes({ name: 'huge.pdf', bytes: new Uint8Array(26 * 1024 * 1024) }),
    ).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: '"huge.pdf" is 26 MB; the limit is 25 MB per file.',
    })
    await expect(
      sam.api.stageBytes({ name: 'setup.exe', bytes: new Uint8Array(10) }),
    ).rejects.toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' })
  })

  it('downloads an attachment into the content-addressed cache and opens it offline afterwards', async () => {
    const tile = (await sam.api.search({ query: 'showroom' }))[0]!
    const detail = await sam.api.openThread({ threadId: tile.threadId })
    const attachment = detail.messages[0]!.attachments[0]!
    const { path } = await sam.api.downloadAttachment({ attachmentId: attachment.id })
    expect((await fs.stat(path)).size).toBe(attachment.size)
    portal.proxy.set('refuse')
    await sam.until(async () => (await sam.api.getConnection({})).state === 'offline', 'offline')
    expect((await sam.api.downloadAttachment({ attachmentId: attachment.id })).path).toBe(path)
    portal.proxy.set('pass')
  })

  it('search finds a message by a word in an attachment name', async () => {
    const hits = await sam.api.search({ query: 'spec-sheet' })
    expect(hits[0]?.subject).toBe('Tile selection for the primary bath')
  })
})

describe('sign-out', () => {
  it('wipes the cache', async () => {
    await sam.api.signOut({})
    expect((await sam.api.listThreads({ view: 'all' })).threads).toEqual([])
    expect(await sam.api.search({ query: 'tile' })).toEqual([])
    expect((await sam.api.getConnection({})).state).toBe('signed-out')
  })
})

describe('prefetch', () => {
  it('fetches small attachments after the initial sync, so they open offline', async () => {
    const ada = await openEngine({ prefetch: true })
    try {
      await ada.api.signIn({
        serverUrl: portal.server.url,
        email: 'admin@demo.test',
        password: 'portal-demo',
      })
      const attachments = ada.engine.store.db
        .prepare('SELECT count(*) AS n FROM attachments')
        .get() as { n: number }
      expect(attachments.n).toBeGreaterThan(0)
      await ada.until(
        () =>
          (
            ada.engine.store.db.prepare('SELECT count(*) AS n FROM file_cache').get() as {
              n: number
            }
          ).n === attachments.n,
        'all small attachments cached',
      )
    } finally {
      await ada.close()
    }
  })
})

describe('time, from the engine clock', () => {
  it('a snoozed thread leaves the inbox until its time comes, then is back, without the wall clock moving', async () => {
    const clock = new ManualClock(testClock.now())
    const tess = await openEngine({ clock })
    try {
      await tess.api.signIn({
        serverUrl: portal.server.url,
        email: 'staff2@demo.test',
        password: 'portal-demo',
      })
      const ids = async (view: 'all' | 'snoozed') =>
        (await tess.api.listThreads({ view })).threads.map((t) => t.id)
      const target = (await tess.api.listThreads({ view: 'all' })).threads[0]!
      const until = new Date(clock.now() + 3 * 3600_000).toISOString()
      await tess.api.updateThread({ threadIds: [target.id], snoozedUntil: until })
      expect(await ids('snoozed')).toContain(target.id)
      expect(await ids('all')).not.toContain(target.id)

      clock.advance(3 * 3600_000 + 60_000)
      expect(await ids('snoozed')).not.toContain(target.id)
      expect(await ids('all')).toContain(target.id)
      expect((await tess.api.viewCounts({})).views.snoozed).toBe(0)
      await tess.api.updateThread({ threadIds: [target.id], snoozedUntil: null })
      await tess.until(async () => (await tess.api.listOutbox({})).length === 0, 'triage sent')
    } finally {
      await tess.close()
    }
  })
})
