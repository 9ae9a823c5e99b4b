import { createHash, randomUUID } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect } from 'vitest'
import {
  ChangesPage,
  ErrorBodySchema,
  MessagePage,
  ThreadList,
  ThreadWithMessage,
} from '../../src/shared/protocol'
import { type Api, signIn } from '../support/api'
import { serverSuite } from '../support/fixtures'
import { nextChange } from '../support/live-changes'

const it = serverSuite()

describe('threads and messages', () => {
  it('a customer starts a conversation; staff see it newest first with an unread count and the preview', async ({
    sam: staff,
    carla,
    dir,
    newThread,
  }) => {
    const res = await newThread(carla, {
      subject: 'Paint colours for the hallway',
      body: 'We chose Swiss Coffee for the hallway walls.',
    })
    expect(res.status).toBe(201)
    const { thread, message } = ThreadWithMessage.parse(res.body)
    expect(thread.participantIds).toEqual(
      expect.arrayContaining([
        dir.person('customer@demo.test'),
        dir.person('customer3@demo.test'),
        dir.person('staff@demo.test'),
      ]),
    )
    expect(message.body).toBe('We chose Swiss Coffee for the hallway walls.')

    const list = ThreadList.parse((await staff.get('/threads?limit=5')).body)
    expect(list.threads[0]?.id).toBe(thread.id)
    expect(list.threads[0]?.unreadCount).toBe(1)
    expect(list.threads[0]?.lastMessagePreview).toBe('We chose Swiss Coffee for the hallway walls.')
    expect(list.threads[0]?.waitingSince).not.toBeNull()

    // Staff replying answers the customer: the thread no longer waits on us.
    await staff.post(`/threads/${thread.id}/read`)
    const reply = await staff.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'Noted, we will order it.',
    })
    expect(reply.status).toBe(201)
    const after = ThreadList.parse((await staff.get('/threads?limit=5')).body).threads.find(
      (t) => t.id === thread.id,
    )
    expect(after?.unreadCount).toBe(0)
    expect(after?.waitingSince).toBeNull()
    const forCarla = ThreadList.parse((await carla.get('/threads?limit=5')).body).threads.find(
      (t) => t.id === thread.id,
    )
    expect(forCarla?.unreadCount).toBe(1)
  })

  it('the same create sent 10 times at once yields one message, and each answer is the original', async ({
    sam: staff,
    carla,
    dir,
  }) => {
    const clientId = randomUUID()
    const body = {
      clientId,
      projectId: dir.project('Maple'),
      subject: 'Retry storm',
      body: 'Sent from a train with one bar.',
    }
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => carla.post('/threads', body)),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ])
    const ids = new Set(answers.map((a) => ThreadWithMessage.parse(a.body).message.id))
    expect(ids.size).toBe(1)
    const threadId = ThreadWithMessage.parse(answers[0]?.body).thread.id
    const page = MessagePage.parse((await staff.get(`/threads/${threadId}/messages`)).body)
    expect(page.messages).toHaveLength(1)

    const replyId = randomUUID()
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        carla.post(`/threads/${threadId}/messages`, { clientId: replyId, body: 'Again and again' }),
      ),
    )
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1)
    expect(
      MessagePage.parse((await staff.get(`/threads/${threadId}/messages`)).body).messages,
    ).toHaveLength(2)
  })

  it('a client id reused with other content is a 409 that names the original', async ({
    carla,
    newThread,
  }) => {
    // A retry's client id and subject with other words: a conflict, not a replay.
    const gutters = { clientId: randomUUID(), subject: 'Gutters' }
    const first = await newThread(carla, { ...gutters, body: 'When do the gutters go up?' })
    expect(first.status).toBe(201)
    const second = await newThread(carla, { ...gutters, body: 'Different words' })
    expect(second.status).toBe(409)
    expect(ErrorBodySchema.parse(second.body).error.code).toBe('CLIENT_ID_CONFLICT')
    expect(second.body.error.details.messageId).toBe(ThreadWithMessage.parse(first.body).message.id)
  })

  it('urgent keywords flag a customer message on the server; staff messages are never flagged by keywords', async ({
    sam: staff,
    carla,
    newThread,
  }) => {
    const res = await newThread(carla, {
      subject: 'Kitchen',
      body: 'There is a gas smell near the new range.',
    })
    const { thread, message } = ThreadWithMessage.parse(res.body)
    expect(message.urgent).toBe(true)
    const urgent = ThreadList.parse((await staff.get('/threads?view=urgent')).body)
    expect(urgent.threads.map((t) => t.id)).toContain(thread.id)
    const staffMsg = await staff.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'This is an emergency visit, on our way.',
    })
    expect(ThreadWithMessage.parse(staffMsg.body).message.urgent).toBe(false)
    // The staff answer clears the thread's urgent mark.
    expect(ThreadWithMessage.parse(staffMsg.body).thread.urgent).toBe(false)
  })

  it('internal notes never reach customers: not in messages, previews, search or the feed', async ({
    sam: staff,
    carla,
    newThread,
  }) => {
    const res = await newThread(carla, {
      subject: 'Change order question',
      body: 'How much would heated floors add?',
    })
    const { thread } = ThreadWithMessage.parse(res.body)
    const note = await staff.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'Zebracode internal margin is 30 percent',
      internal: true,
    })
    expect(note.status).toBe(201)

    const staffView = MessagePage.parse((await staff.get(`/threads/${thread.id}/messages`)).body)
    expect(staffView.messages.map((m) => m.internal)).toEqual([false, true])
    const customerView = MessagePage.parse((await carla.get(`/threads/${thread.id}/messages`)).body)
    expect(customerView.messages).toHaveLength(1)
    const summary = (await carla.get(`/threads/${thread.id}`)).body
    expect(summary.lastMessagePreview).toBe('How much would heated floors add?')
    expect(summary.unreadCount).toBe(0)
    expect((await carla.get('/search?q=zebracode')).body.hits).toEqual([])
    expect((await staff.get('/search?q=zebracode')).body.hits).toHaveLength(1)
    const feed = ChangesPage.parse((await carla.get('/changes?after=0&limit=5000')).body)
    expect(JSON.stringify(feed)).not.toContain('Zebracode')

    // A customer cannot write one.
    const attempt = await carla.post(`/threads/${thread.id}/messages`, {
      clientId: randomUUID(),
      body: 'sneaky',
      internal: true,
    })
    expect(attempt.status).toBe(403)
    expect(attempt.body.error.code).toBe('FORBIDDEN')
  })
})

describe('the help page: "Customer can\'t send messages"', () => {
  it('Messages disabled: MESSAGES_DISABLED, and sending works again once enabled', async ({
    admin,
    sam: staff,
    carla,
    newThread,
  }) => {
    await admin.patch('/admin/settings', { messagesEnabled: false })
    try {
      const res = await newThread(carla, { subject: 'Hello', body: 'Anyone there?' })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('MESSAGES_DISABLED')
      expect(res.body.error.message).toMatch(/call or email your builder/)
      // Staff can still write: the switch is about the customer portal.
      const staffRes = await newThread(staff, {
        subject: 'Staff note',
        body: 'Still works for staff.',
      })
      expect(staffRes.status).toBe(201)
    } finally {
      await admin.patch('/admin/settings', { messagesEnabled: true })
    }
    const ok = await newThread(carla, { subject: 'Hello again', body: 'Now it works.' })
    expect(ok.status).toBe(201)
  })

  it('no portal access: PORTAL_ACCESS_DISABLED at sign-in and on every request of an open session', async ({
    server,
    admin,
    dir,
    newThread,
  }) => {
    const res = await signIn(server.url, 'noaccess@demo.test').catch((e: Error) => e.message)
    expect(String(res)).toContain('PORTAL_ACCESS_DISABLED')

    const chris = await signIn(server.url, 'customer3@demo.test')
    await admin.patch(`/admin/people/${dir.person('customer3@demo.test')}`, { portalAccess: false })
    try {
      const send = await newThread(chris, { subject: 'Hi', body: 'Hello' })
      expect(send.status).toBe(403)
      expect(send.body.error.code).toBe('PORTAL_ACCESS_DISABLED')
    } finally {
      await admin.patch(`/admin/people/${dir.person('customer3@demo.test')}`, {
        portalAccess: true,
      })
    }
  })

  it('project stage not open: PROJECT_STAGE_CLOSED naming the stage', async ({
    server,
    newThread,
  }) => {
    const erin = await signIn(server.url, 'customer4@demo.test')
    const res = await newThread(erin, {
      project: 'Cedar',
      subject: 'Kitchen plans',
      body: 'Can we start?',
    })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('PROJECT_STAGE_CLOSED')
    expect(res.body.error.message).toContain('lead')
  })

  it('a customer cannot write into another project, which is answered as missing', async ({
    ben,
    newThread,
  }) => {
    const res = await newThread(ben, { subject: 'Hi', body: 'Hello' })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('NOT_FOUND')
    expect(res.body.error.message).not.toContain('Maple')
  })
})

describe('change feed and live events', () => {
  it('pages from 0 to the end without gaps or repeats, and an idle pull returns nothing', async ({
    sam: staff,
  }) => {
    const seen = new Map<string, number>()
    let cursor = 0
    let pages = 0
    for (;;) {
      const page = ChangesPage.parse((await staff.get(`/changes?after=${cursor}&limit=7`)).body)
      pages++
      for (const m of page.changes.messages) seen.set(m.id, (seen.get(m.id) ?? 0) + 1)
      expect(page.cursor).toBeGreaterThanOrEqual(cursor)
      cursor = page.cursor
      if (!page.hasMore) break
    }
    expect(pages).toBeGreaterThan(2)
    const all = ChangesPage.parse((await staff.get('/changes?after=0&limit=5000')).body)
    expect([...seen.keys()].sort()).toEqual(all.changes.messages.map((m) => m.id).sort())
    expect([...seen.values()].every((n) => n === 1)).toBe(true)
    const idle = ChangesPage.parse((await staff.get(`/changes?after=${cursor}`)).body)
    expect(idle.changes.messages).toHaveLength(0)
    expect(idle.cursor).toBe(cursor)
  })

  it('a customer message is pushed to staff live with the thread and the message', async ({
    sam: staff,
    carla,
    newThread,
    live: connect,
  }) => {
    const socket = await connect(staff)
    try {
      const clientId = randomUUID()
      const pushed = nextChange(socket, (e) =>
        e.changes.messages.some((m) => m.clientId === clientId),
      )
      await newThread(carla, { clientId, subject: 'Live one', body: 'Hello in real time' })
      const event = await pushed
      expect(event.changes.threads[0]?.subject).toBe('Live one')
      expect(event.seq).toBeGreaterThan(0)
    } finally {
      socket.close()
    }
  })

  it('a token that is missing or forged cannot open a socket', async ({
    server,
    sam: staff,
    live: connect,
  }) => {
    await expect(
      connect(new (staff.constructor as typeof Api)(server.url, 'forged-token')),
    ).rejects.toThrow(/not valid/)
    await expect(connect(new (staff.constructor as typeof Api)(server.url))).rejects.toThrow(
      /Sign in/,
    )
  })

  it('adding a participant gives them the whole history through the feed and live rooms', async ({
    server,
    sam: staff,
    carla,
    dir,
    newThread,
    live: connect,
  }) => {
    const tess = await signIn(server.url, 'staff2@demo.test')
    const created = ThreadWithMessage.parse(
      (await newThread(carla, { subject: 'Need Tess', body: 'First message before Tess' })).body,
    )
    const before = ChangesPage.parse((await tess.get('/changes?after=0&limit=5000')).body)
    expect(before.changes.threads.map((t) => t.id)).not.toContain(created.thread.id)

    const socket = await connect(tess)
    try {
      const add = await staff.post(`/threads/${created.thread.id}/participants`, {
        userId: dir.person('staff2@demo.test'),
      })
      expect(add.status).toBe(201)
      const pulled = ChangesPage.parse(
        (await tess.get(`/changes?after=${before.cursor}&limit=5000`)).body,
      )
      expect(pulled.changes.threads.map((t) => t.id)).toContain(created.thread.id)
      expect(pulled.changes.messages.map((m) => m.id)).toContain(created.message.id)

      const live = nextChange(socket, (e) =>
        e.changes.messages.some((m) => m.body === 'Welcome Tess'),
      )
      await carla.post(`/threads/${created.thread.id}/messages`, {
        clientId: randomUUID(),
        body: 'Welcome Tess',
      })
      await live

      // Removed again: the feed tells her to drop it.
      await staff.delete(
        `/threads/${created.thread.id}/participants/${dir.person('staff2@demo.test')}`,
      )
      const removed = ChangesPage.parse(
        (await tess.get(`/changes?after=${pulled.cursor}&limit=5000`)).body,
      )
      expect(removed.changes.removedThreadIds).toContain(created.thread.id)
      expect((await tess.get(`/threads/${created.thread.id}`)).status).toBe(404)
    } finally {
      socket.close()
    }
  })
})

describe('sessions', () => {
  it('sign-out revokes the token, and the socket opened with it is told and closed', async ({
    server,
    live: connect,
  }) => {
    const session = await signIn(server.url, 'customer2@demo.test')
    const socket = await connect(session)
    const ended = new Promise<unknown>((resolve) => socket.socket.once('session:ended', resolve))
    expect((await session.post('/auth/sign-out')).status).toBe(200)
    expect(await ended).toMatchObject({ code: 'SESSION_EXPIRED' })
    const after = await session.get('/me')
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('SESSION_EXPIRED')
  })

  it('an expired session is refused with SESSION_EXPIRED', async ({ server }) => {
    const session = await signIn(server.url, 'customer2@demo.test')
    const db = new Database(path.join(server.dataDir, 'portal.sqlite'))
    try {
      const hash = createHash('sha256')
        .update(session.token ?? '')
        .digest('hex')
      db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(
        '2020-01-01T00:00:00.000Z',
        hash,
      )
    } finally {
      db.close()
    }
    const res = await session.get('/me')
    expect(res.status).toBe(401)
    expect(res.body.error).toMatchObject({
      code: 'SESSION_EXPIRED',
      message: 'Your session has expired. Sign in again.',
    })
  })

  it('failed sign-ins are limited per email; the limit says how long to wait', async ({
    server,
    sam: staff,
  }) => {
    const anon = new (staff.constructor as typeof Api)(server.url)
    for (let i = 0; i < 8; i++)
      expect(
        (await anon.post('/auth/sign-in', { email: 'sub2@demo.test', password: 'wrong-password' }))
          .status,
      ).toBe(401)
    const blocked = await anon.post('/auth/sign-in', {
      email: 'sub2@demo.test',
      password: 'portal-demo',
    })
    expect(blocked.status).toBe(429)
    expect(blocked.body.error.code).toBe('RATE_LIMITED')
    expect(blocked.body.error.message).toMatch(/Wait \d+ minutes/)
    // Other people are not affected.
    expect(
      (await anon.post('/auth/sign-in', { email: 'sub@demo.test', password: 'portal-demo' }))
        .status,
    ).toBe(200)
  })
})

describe('the portal page’s cookie session', () => {
  it('is HttpOnly and SameSite=Strict, never shows the token, and refuses a write without the page’s header', async ({
    server,
  }) => {
    const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portal-client': 'web' },
      body: JSON.stringify({ email: 'customer@demo.test', password: 'portal-demo' }),
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { token: string }).token).toBe('')
    const setCookie = res.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^portal_session=[^;]+;/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    const cookie = setCookie.split(';')[0]!

    const me = await fetch(`${server.url}/api/v1/me`, { headers: { cookie } })
    expect(me.status).toBe(200)
    const forged = await fetch(`${server.url}/api/v1/threads/${randomUUID()}/read`, {
      method: 'POST',
      headers: { cookie },
    })
    expect(forged.status).toBe(403)
    const real = await fetch(`${server.url}/api/v1/reads`, {
      method: 'POST',
      headers: { cookie, 'x-portal-client': 'web', 'content-type': 'application/json' },
      body: JSON.stringify({ messageIds: [randomUUID()] }),
    })
    expect(real.status).toBe(200)

    const out = await fetch(`${server.url}/api/v1/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, 'x-portal-client': 'web' },
    })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/portal_session=;/)
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { cookie } })).status).toBe(401)
  })
})
