import { randomUUID } from 'node:crypto'
import { describe, expect, vi } from 'vitest'
import { MAX_SOCKETS_PER_PERSON, MAX_SOCKETS_PER_SESSION } from '../../server/src/realtime'
import { ThreadWithMessage } from '../../src/shared/protocol'
import { type Api, signIn } from '../support/api'
import { serverSuite } from '../support/fixtures'
import { connectLive, type LiveSocket } from '../support/live'

/**
 * Live delivery of what did not exist when a socket connected (a new conversation and its
 * replies), and the cap on live connections per sign-in and per person.
 */

const it = serverSuite()
/** How long a live push may take: 400 polls 25 ms apart, as the suite always allowed. */
const inTime = { timeout: 10_000, interval: 25 }

describe('a conversation that did not exist when the socket connected', () => {
  it('reaches every participant live, with its replies: customers, another contact, a subcontractor added at creation', async ({
    sam,
    carla,
    chris,
    sid,
    dir,
    live,
    newThread,
  }) => {
    const [carlaLive, chrisLive, sidLive] = [await live(carla), await live(chris), await live(sid)]

    // Staff start it, adding the electrician.
    const start = await newThread(sam, {
      subject: 'Panel inspection date',
      body: 'The inspector comes Tuesday morning.',
      participantIds: [dir.person('sub@demo.test')],
    })
    expect(start.status, JSON.stringify(start.body)).toBe(201)
    const { thread, message } = ThreadWithMessage.parse(start.body)
    for (const [name, socket] of [
      ['Carla', carlaLive],
      ['Chris', chrisLive],
      ['Sid', sidLive],
    ] as const)
      await expect
        .poll(() => socket.gotMessage(message.clientId), {
          ...inTime,
          message: `${name} to get the new thread`,
        })
        .toBe(true)

    const reply = { clientId: randomUUID(), body: 'Please leave the side gate open.' }
    expect((await sam.post(`/threads/${thread.id}/messages`, reply)).status).toBe(201)
    for (const socket of [carlaLive, chrisLive, sidLive])
      await expect
        .poll(() => socket.gotMessage(reply.clientId), { ...inTime, message: 'the reply' })
        .toBe(true)
  })

  it('one customer contact starting it reaches the other live', async ({
    carla,
    chris,
    live,
    newThread,
  }) => {
    const chrisLive = await live(chris)
    const clientId = randomUUID()
    const res = await newThread(carla, {
      clientId,
      subject: 'Garage paint',
      body: 'Chris and I picked grey for the garage.',
    })
    expect(res.status).toBe(201)
    await expect
      .poll(() => chrisLive.gotMessage(clientId), {
        ...inTime,
        message: 'Chris to get Carla’s new thread',
      })
      .toBe(true)
  })
})

describe('live connections per sign-in and per person', () => {
  it(`one sign-in holds ${MAX_SOCKETS_PER_SESSION}; the next is refused with a reason, and a closed one makes room`, async ({
    server,
    live,
  }) => {
    const ben = await signIn(server.url, 'customer2@demo.test')
    const held: LiveSocket[] = []
    for (let i = 0; i < MAX_SOCKETS_PER_SESSION; i++) held.push(await live(ben))
    const refused = await connectLive(ben).then(
      () => null,
      (err: Error & { data?: { code: string; message: string } }) => err.data,
    )
    expect(refused?.code).toBe('TOO_MANY_CONNECTIONS')
    expect(refused?.message).toMatch(/Close some portal tabs or app windows/)
    held[0]!.close()
    await held[0]!.closed
    const again = await vi
      .waitFor(() => live(ben), { timeout: 40 * 25, interval: 25 })
      .catch(() => null)
    expect(again?.socket.connected).toBe(true)
    for (const s of held) s.close()
  })

  it(`one person holds ${MAX_SOCKETS_PER_PERSON} over all their sign-ins`, async ({
    server,
    live,
  }) => {
    const sessions: Api[] = []
    for (let i = 0; i < Math.ceil(MAX_SOCKETS_PER_PERSON / MAX_SOCKETS_PER_SESSION) + 1; i++)
      sessions.push(await signIn(server.url, 'customer4@demo.test'))
    const held: LiveSocket[] = []
    for (let i = 0; i < MAX_SOCKETS_PER_PERSON; i++)
      held.push(await live(sessions[Math.floor(i / MAX_SOCKETS_PER_SESSION)]!))
    const last = sessions[sessions.length - 1]!
    const refused = await connectLive(last).then(
      () => null,
      (err: Error & { data?: { code: string; message: string } }) => err.data,
    )
    expect(refused?.code).toBe('TOO_MANY_CONNECTIONS')
    expect(refused?.message).toMatch(/Your account already has/)
    for (const s of held) s.close()
  })
})
