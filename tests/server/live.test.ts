import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SOCKETS_PER_PERSON, MAX_SOCKETS_PER_SESSION } from '../../server/src/realtime'
import { ThreadWithMessage } from '../../src/shared/protocol'
import { type Api, demoDirectory, signIn } from '../support/api'
import { connectLive, type LiveSocket } from '../support/live'
import { startServer, type RunningServer } from '../support/server'

/**
 * Live delivery of what did not exist when a socket connected (a new conversation and its
 * replies), and the cap on live connections per sign-in and per person.
 */

let server: RunningServer
let sam: Api
let carla: Api
let chris: Api
let sid: Api
let dir: Awaited<ReturnType<typeof demoDirectory>>
const opened: LiveSocket[] = []

beforeAll(async () => {
  server = await startServer()
  const admin = await signIn(server.url, 'admin@demo.test')
  ;[sam, carla, chris, sid] = await Promise.all([
    signIn(server.url, 'staff@demo.test'),
    signIn(server.url, 'customer@demo.test'),
    signIn(server.url, 'customer3@demo.test'),
    signIn(server.url, 'sub@demo.test'),
  ])
  dir = await demoDirectory(admin)
})
afterAll(async () => {
  for (const s of opened) s.close()
  await server?.stop()
})

const live = async (who: Api) => {
  const socket = await connectLive(who)
  opened.push(socket)
  return socket
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25))
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

describe('a conversation that did not exist when the socket connected', () => {
  it('reaches every participant live, with its replies: customers, another contact, a subcontractor added at creation', async () => {
    const [carlaLive, chrisLive, sidLive] = [await live(carla), await live(chris), await live(sid)]

    // Staff start it, adding the electrician.
    const start = await sam.post('/threads', {
      clientId: randomUUID(),
      projectId: dir.project('Maple'),
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
      await until(() => socket.gotMessage(message.clientId), `${name} to get the new thread`)

    const reply = { clientId: randomUUID(), body: 'Please leave the side gate open.' }
    expect((await sam.post(`/threads/${thread.id}/messages`, reply)).status).toBe(201)
    for (const socket of [carlaLive, chrisLive, sidLive])
      await until(() => socket.gotMessage(reply.clientId), 'the reply')
  })

  it('one customer contact starting it reaches the other live', async () => {
    const chrisLive = await live(chris)
    const clientId = randomUUID()
    const res = await carla.post('/threads', {
      clientId,
      projectId: dir.project('Maple'),
      subject: 'Garage paint',
      body: 'Chris and I picked grey for the garage.',
    })
    expect(res.status).toBe(201)
    await until(() => chrisLive.gotMessage(clientId), 'Chris to get Carla’s new thread')
  })
})

describe('live connections per sign-in and per person', () => {
  it(`one sign-in holds ${MAX_SOCKETS_PER_SESSION}; the next is refused with a reason, and a closed one makes room`, async () => {
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
    let again: LiveSocket | null = null
    for (let i = 0; i < 40 && !again; i++) {
      again = await live(ben).catch(() => null)
      if (!again) await new Promise((r) => setTimeout(r, 25))
    }
    expect(again?.socket.connected).toBe(true)
    for (const s of held) s.close()
  })

  it(`one person holds ${MAX_SOCKETS_PER_PERSON} over all their sign-ins`, async () => {
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
