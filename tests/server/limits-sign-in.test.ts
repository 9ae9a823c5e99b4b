import fs from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorBodySchema, ForgotPasswordResult, Session } from '../../src/shared/protocol'
import { DEMO_PASSWORD } from '../support/api'
import { postFrom, otherLoopbackAddresses } from '../support/loopback'
import { mailDelivered, MailSink, type ReceivedMail } from '../support/mail'
import { startServer, type RunningServer } from '../support/server'

/**
 * The sign-in limits and the reset link over HTTP, against the real server and a real SMTP
 * receiver. The attacker and the person send from different addresses of this machine
 * (127.x.y.z, tests/support/loopback.ts); the server trusts no proxy header, so these are the
 * addresses it counts. server/src/limits/sign-in.test.ts covers the same rules for addresses
 * loopback cannot send from (IPv6, other networks).
 */

const PUBLIC_URL = 'https://portal.example.test'
const COMPANY = 'Harbor & Pine Builders'
/** The person's office: one NAT address for everyone there. */
const OFFICE = '127.0.0.1'
const CARLA = 'customer@demo.test'
const CHRIS = 'customer3@demo.test'

const canUseOtherAddresses = await otherLoopbackAddresses()
const sink = new MailSink()
let server: RunningServer

const signInFrom = (address: string, email: string, password: string) =>
  postFrom(address, server.url, '/auth/sign-in', { email, password })
const forgotFrom = (address: string, email: string) =>
  postFrom(address, server.url, '/auth/forgot-password', { email })

function resetLinkIn(mail: ReceivedMail): URL {
  const link = mail.text.match(/https?:\/\/\S+token=\S+/)?.[0]
  if (!link) throw new Error(`no reset link in:\n${mail.text}`)
  return new URL(link)
}

/** Asks for a reset link from `address` and sets `password` through it from there. */
async function resetPassword(address: string, email: string, password: string) {
  const before = sink.to(email).length
  expect((await forgotFrom(address, email)).status).toBe(200)
  await sink.waitFor(() => sink.to(email).length > before)
  const mail = sink.to(email).at(-1)!
  const token = resetLinkIn(mail).searchParams.get('token')
  const set = await postFrom(address, server.url, '/auth/set-password', { token, password })
  expect(set.status, JSON.stringify(set.body)).toBe(200)
  return { mail, token }
}

beforeAll(async () => {
  await sink.listen()
  server = await startServer({
    env: { PORTAL_SMTP_URL: sink.url, PORTAL_PUBLIC_URL: PUBLIC_URL, PORTAL_SCHEDULER_MS: '200' },
  })
})

afterAll(async () => {
  await server?.stop()
  await sink.close()
  if (server) await fs.rm(server.dataDir, { recursive: true, force: true })
})

describe.skipIf(!canUseOtherAddresses)(
  'sign-in limits (needs loopback addresses besides 127.0.0.1, as Linux has)',
  () => {
    it('a person who knows the password signs in despite 50 tries at their password from elsewhere and 60 failures from their own NAT address', async () => {
      expect((await signInFrom(OFFICE, CARLA, DEMO_PASSWORD)).status).toBe(200)

      // Distributed guessing of Carla's password: 10 addresses, 5 tries each. After 30 failures
      // for the account, places that never signed in to it are refused without a check.
      const guesses: number[] = []
      for (let i = 1; i <= 50; i++)
        guesses.push((await signInFrom(`127.0.1.${Math.ceil(i / 5)}`, CARLA, `guess-${i}`)).status)
      expect(guesses).toEqual([...Array<number>(30).fill(401), ...Array<number>(20).fill(429)])
      // Someone in Carla's office (behind the same NAT address) tries 60 other accounts: the
      // address lock closes after 50.
      const statuses: number[] = []
      for (let i = 1; i <= 60; i++)
        statuses.push((await signInFrom(OFFICE, `someone-${i}@example.test`, 'guess')).status)
      expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true)
      expect(statuses.slice(50).every((s) => s === 429)).toBe(true)

      // Carla signed in at the office before: she is in.
      const carla = await signInFrom(OFFICE, CARLA, DEMO_PASSWORD)
      expect(carla.status, JSON.stringify(carla.body)).toBe(200)
      expect(Session.parse(carla.body).user.email).toBe(CARLA)

      // A device of hers that never signed in waits, and is told what to do instead.
      const newDevice = await signInFrom('127.0.2.1', CARLA, DEMO_PASSWORD)
      expect(newDevice.status).toBe(429)
      const refused = ErrorBodySchema.parse(newDevice.body).error
      expect(refused.code).toBe('RATE_LIMITED')
      expect(refused.message).toMatch(
        /^Too many failed sign-ins for this account from different places\. .*wait \d+ minutes?, or choose “Forgot password\?” to get a reset link by email\.$/,
      )
      const details = refused.details as { retryAfterSeconds: number; lock: string }
      expect(details.lock).toBe('account')
      expect(newDevice.headers.get('retry-after')).toBe(String(details.retryAfterSeconds))
      expect(details.retryAfterSeconds).toBeGreaterThan(0)
      expect(details.retryAfterSeconds).toBeLessThanOrEqual(3600)

      // A colleague who never signed in from the office waits too (the address lock)...
      const chris = await signInFrom(OFFICE, CHRIS, DEMO_PASSWORD)
      expect(chris.status).toBe(429)
      expect(ErrorBodySchema.parse(chris.body).error.details).toMatchObject({ lock: 'address' })
      // About 90 password checks (scrypt, by design slow) on a shared 2-core machine.
    }, 120_000)

    it('the reset link unlocks: a new password through the emailed link signs in from anywhere, once', async () => {
      const { mail, token } = await resetPassword('127.0.2.1', CARLA, 'a-new-password-for-carla')
      expect(mail.subject).toBe(`Reset your password for the ${COMPANY} client portal`)
      const link = resetLinkIn(mail)
      expect(link.origin).toBe(PUBLIC_URL)
      expect(link.pathname).toBe('/portal/set-password')
      expect(link.searchParams.get('reset')).toBe('1')
      expect(mail.text).toContain('the link works once, for 60 minutes')

      // The new device, and one more, sign in: the account's lock is gone.
      for (const address of ['127.0.2.1', '127.0.2.2'])
        expect((await signInFrom(address, CARLA, 'a-new-password-for-carla')).status).toBe(200)
      // The old password is over, and the link works once.
      expect((await signInFrom('127.0.2.3', CARLA, DEMO_PASSWORD)).status).toBe(401)
      const again = await postFrom('127.0.2.1', server.url, '/auth/set-password', {
        token,
        password: 'yet-another-password',
      })
      expect(again.status).toBe(400)
      expect(ErrorBodySchema.parse(again.body).error).toMatchObject({
        code: 'INVITATION_INVALID',
        message:
          'This reset link has expired or was already used. Choose “Forgot password?” on the sign-in page for a new one.',
      })

      // The colleague behind the office NAT has the same way out, from the office.
      await resetPassword(OFFICE, CHRIS, 'a-new-password-for-chris')
      expect((await signInFrom(OFFICE, CHRIS, 'a-new-password-for-chris')).status).toBe(200)
    })

    it('8 failures from one place lock that account there, with advice that exists and a Retry-After', async () => {
      for (let i = 0; i < 8; i++)
        expect((await signInFrom('127.0.3.1', 'sub@demo.test', `wrong-${i}`)).status).toBe(401)
      const blocked = await signInFrom('127.0.3.1', 'sub@demo.test', DEMO_PASSWORD)
      expect(blocked.status).toBe(429)
      const error = ErrorBodySchema.parse(blocked.body).error
      expect(error.message).toMatch(
        /^Too many failed sign-ins from here\. Wait \d+ minutes?, or choose “Forgot password\?” to get a reset link by email\.$/,
      )
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
      // Elsewhere the same person signs in.
      expect((await signInFrom('127.0.3.2', 'sub@demo.test', DEMO_PASSWORD)).status).toBe(200)
    })

    it('forgot-password answers the same whether or not the address has an account, and mails only a real one', async () => {
      const unknown = await forgotFrom('127.0.4.1', 'nobody-here@example.test')
      const known = await forgotFrom('127.0.4.2', 'sub2@demo.test')
      expect(unknown.status).toBe(200)
      expect(known.status).toBe(200)
      expect(unknown.body).toEqual(known.body)
      expect(ForgotPasswordResult.parse(unknown.body).message).toBe(
        'If that address has an account, we’ve sent it a link to set a new password. The link works for an hour; check your spam folder if it does not arrive.',
      )
      expect(unknown.headers.get('content-length')).toBe(known.headers.get('content-length'))

      await sink.waitFor((m) => m.envelopeTo.includes('sub2@demo.test'))
      await mailDelivered(server)
      expect(sink.to('nobody-here@example.test')).toEqual([])
    })

    it('forgot-password cannot flood an inbox (3 links an hour, then the same answer and no mail) nor be hammered from one place', async () => {
      const email = 'staff2@demo.test'
      for (let i = 1; i <= 5; i++) {
        const res = await forgotFrom(`127.0.5.${i}`, email)
        expect(res.status).toBe(200)
      }
      await sink.waitFor(() => sink.to(email).length >= 3)
      await mailDelivered(server)
      expect(sink.to(email)).toHaveLength(3)
      // Staff reset the password they use in the desktop app, too.
      expect(sink.to(email)[0]?.subject).toBe(
        `Reset your password for Portal Inbox and the ${COMPANY} portal`,
      )

      const statuses: number[] = []
      for (let i = 0; i < 11; i++)
        statuses.push((await forgotFrom('127.0.6.1', `flood-${i}@example.test`)).status)
      expect(statuses).toEqual([...Array<number>(10).fill(200), 429])
      const refused = await forgotFrom('127.0.6.1', 'one-more@example.test')
      expect(ErrorBodySchema.parse(refused.body).error.message).toMatch(
        /^You asked for reset links several times in a short while\. Check your inbox \(and spam folder\) for the ones already sent, or try again in \d+ minutes?\.$/,
      )
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    })
  },
)
