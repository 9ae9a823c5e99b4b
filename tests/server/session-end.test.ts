import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { startPortalServer, type PortalServer } from '../../server/src/server'
import { ServerConfig } from '../../server/src/config'
import { ManualClock } from '../../src/shared/clock'
import { ErrorBodySchema, Session, SessionsEnded } from '../../src/shared/protocol'
import { Api, DEMO_PASSWORD, signIn } from '../support/api'
import { testClock } from '../support/clock'
import { serverSuite } from '../support/fixtures'
import { connectLive, type LiveSocket } from '../support/live'
import { setPasswordLink, waitForEml } from '../support/mail'

/**
 * What ends a session, everywhere at once: a password change or reset, an email change, an
 * admin's "sign out everywhere", portal access turned off, and time. Each ends the REST token and
 * closes the live connections opened with it; a socket never outlives its session.
 */

const it = serverSuite({ env: { PORTAL_SCHEDULER_MS: '200' } }, (base) =>
  base
    .extend(
      'setPasswordToken',
      { scope: 'file' },
      ({ server }) =>
        /** The set-password token of the newest invitation mail to `to`. */
        async (to: string) =>
          setPasswordLink(await waitForEml(server.dataDir, 'invitation', to)).token,
    )
    .extend('signedInLive', { scope: 'file' }, ({ server, dir, live }) =>
      /** A new session of `email` with a live socket on it, and the person's id, for a case to end. */
      async (email: string) => {
        const api = await signIn(server.url, email)
        return { api, socket: await live(api), person: dir.person(email) }
      },
    ),
)
// Signed in before the first test, as the suite always was: later tests end sessions.
it.beforeAll(async ({ admin, dir }) => void [admin, dir])

const status = async (who: Api) => (await who.get('/me')).status
const code = (body: unknown) => ErrorBodySchema.parse(body).error.code

/** The socket was told its session ended, and closed. */
async function expectEnded(socket: LiveSocket, message: RegExp) {
  await socket.closed
  expect(socket.ended.map((e) => e.message).join(' | ')).toMatch(message)
  expect(socket.socket.connected).toBe(false)
}

describe('a password change', () => {
  it('ends every other session and its sockets; the one it was made in stays', async ({
    server,
    signedInLive,
  }) => {
    const { api: other, socket: otherSocket } = await signedInLive('staff@demo.test')
    const { api: here, socket: hereSocket } = await signedInLive('staff@demo.test')

    const wrong = await here.post('/me/password', {
      currentPassword: 'not-the-password',
      newPassword: 'a-new-long-password',
    })
    expect(wrong.status).toBe(401)
    expect(code(wrong.body)).toBe('INVALID_CREDENTIALS')
    expect(await status(other)).toBe(200)

    const changed = await here.post('/me/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'a-new-long-password',
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(SessionsEnded.parse(changed.body).sessionsEnded).toBeGreaterThanOrEqual(1)
    await expectEnded(otherSocket, /password was changed/)
    expect(await status(other)).toBe(401)
    expect(await status(here)).toBe(200)
    expect(hereSocket.socket.connected).toBe(true)
    // The new password signs in; the old one does not.
    expect(
      (
        await new Api(server.url).post('/auth/sign-in', {
          email: 'staff@demo.test',
          password: DEMO_PASSWORD,
        })
      ).status,
    ).toBe(401)
    await signIn(server.url, 'staff@demo.test', 'a-new-long-password')
  })
})

describe('a password reset through an emailed link', () => {
  it('ends every earlier session and socket of that person', async ({
    server,
    admin,
    signedInLive,
    setPasswordToken,
  }) => {
    const { api: tess, socket, person } = await signedInLive('staff2@demo.test')
    expect((await admin.post(`/admin/people/${person}/invitation`)).status).toBe(200)
    const token = await setPasswordToken('staff2@demo.test')

    const reset = await new Api(server.url).post('/auth/set-password', {
      token,
      password: 'tess-new-password',
    })
    expect(reset.status, JSON.stringify(reset.body)).toBe(200)
    await expectEnded(socket, /password was changed/)
    expect(await status(tess)).toBe(401)
    const fresh = new Api(server.url, Session.parse(reset.body).token)
    expect(await status(fresh)).toBe(200)
  })
})

describe("an admin's changes to a person", () => {
  it('correcting an email ends their sessions; they sign in with the new address', async ({
    server,
    admin,
    signedInLive,
  }) => {
    const { api: chris, socket, person } = await signedInLive('customer3@demo.test')
    const newEmail = `chris.mendes.${randomUUID().slice(0, 6)}@example.test`
    const res = await admin.patch(`/admin/people/${person}`, { email: newEmail })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    await expectEnded(socket, /email address was changed/)
    expect(await status(chris)).toBe(401)
    await signIn(server.url, newEmail)
    // An address another account has is refused, and changes nothing.
    const taken = await admin.patch(`/admin/people/${person}`, { email: 'customer@demo.test' })
    expect(taken.status).toBe(409)
    expect(code(taken.body)).toBe('EMAIL_TAKEN')
  })

  it('"sign out everywhere" ends every session and socket of that person, and nobody else\'s', async ({
    server,
    admin,
    dir,
    signedInLive,
  }) => {
    const { api: phone, socket: phoneSocket, person } = await signedInLive('customer2@demo.test')
    const { api: laptop, socket: laptopSocket } = await signedInLive('customer2@demo.test')
    const { api: bystander, socket: bystanderSocket } = await signedInLive('customer@demo.test')
    const res = await admin.post(`/admin/people/${person}/sign-out`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(SessionsEnded.parse(res.body).sessionsEnded).toBeGreaterThanOrEqual(2)
    await expectEnded(phoneSocket, /signed you out on every device/)
    await expectEnded(laptopSocket, /signed you out on every device/)
    expect([await status(phone), await status(laptop)]).toEqual([401, 401])
    expect(await status(bystander)).toBe(200)
    expect(bystanderSocket.socket.connected).toBe(true)
    // Only admins may.
    const carla = await signIn(server.url, 'customer@demo.test')
    expect(
      (await carla.post(`/admin/people/${dir.person('staff@demo.test')}/sign-out`)).status,
    ).toBe(403)
  })

  it('portal access turned off ends the token for good: turning it on again does not revive it', async ({
    server,
    admin,
    signedInLive,
  }) => {
    const { api: erin, socket, person } = await signedInLive('customer4@demo.test')
    expect((await admin.patch(`/admin/people/${person}`, { portalAccess: false })).status).toBe(200)
    await expectEnded(socket, /portal access was turned off/)
    expect(code((await erin.get('/me')).body)).toBe('PORTAL_ACCESS_DISABLED')
    expect((await admin.patch(`/admin/people/${person}`, { portalAccess: true })).status).toBe(200)
    expect(await status(erin)).toBe(401)
    await signIn(server.url, 'customer4@demo.test')
  })
})

describe('time', () => {
  // The server runs in this process on a clock the test moves: a session's end comes without
  // waiting thirty days.
  let portal: PortalServer
  let dataDir: string
  const clock = new ManualClock(testClock.now())

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-expiry-'))
    portal = await startPortalServer(
      ServerConfig.parse({ port: 0, dataDir, demo: true, schedulerMs: 100, logLevel: 'silent' }),
      clock,
    )
  })
  afterAll(async () => {
    await portal?.close()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  it('a socket opened before its session expired is closed when it expires, and hears nothing after', async () => {
    const carla = await signIn(portal.url, 'customer@demo.test')
    const socket = await connectLive(carla)
    clock.advance(30 * 86_400_000 + 1000)
    await expectEnded(socket, /session has expired/)
    expect(code((await carla.get('/me')).body)).toBe('SESSION_EXPIRED')

    // A staff reply now reaches nobody on the old connection.
    const sam = await signIn(portal.url, 'staff@demo.test')
    const threads = (await sam.get('/threads?limit=5')).body.threads as { id: string }[]
    const clientId = randomUUID()
    await sam.post(`/threads/${threads[0]!.id}/messages`, { clientId, body: 'After expiry.' })
    expect(socket.gotMessage(clientId)).toBe(false)
  })
})
