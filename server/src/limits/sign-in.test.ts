import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import { addressKey, SIGN_IN_LIMITS, SignInLimiter, type SignInParty } from './sign-in'
import { testDatabases } from './stores/test-databases'

/**
 * The sign-in limiter over the real SQLite store, with addresses no test can send from over
 * loopback (tests/server/limits-sign-in.test.ts covers the HTTP side). No test waits for a
 * window to end: they check locks and the ways out.
 */

const databases = testDatabases('portal-limits-')
const limiter = async () => new SignInLimiter(await databases.store())

const carla = (ip: string, passwordHash = 'scrypt$carla-1'): SignInParty => ({
  email: 'carla@example.test',
  ip,
  passwordHash,
})

/** The refusal check() throws, or null when it lets the party try its password. */
async function refusal(l: SignInLimiter, party: SignInParty) {
  try {
    await l.check(party)
    return null
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return err
  }
}

const OFFICE_NAT = '203.0.113.7'

describe('sign-in limits', () => {
  it('a person who knows the password gets in past 50 failures for their email from elsewhere and 60 from their own NAT address', async () => {
    const l = await limiter()
    await l.check(carla(OFFICE_NAT))
    await l.succeeded(carla(OFFICE_NAT))

    // Distributed guessing: 50 addresses, one try each (no pair comes near its own limit).
    for (let i = 1; i <= 50; i++) await l.failed(carla(`198.51.100.${i}`))
    // Someone behind the office's NAT tries 60 other accounts.
    for (let i = 1; i <= 60; i++)
      await l.failed({ email: `guess${i}@example.test`, ip: OFFICE_NAT, passwordHash: null })

    // Carla at the office signed in there before: neither lock applies to her.
    expect(await refusal(l, carla(OFFICE_NAT))).toBeNull()

    // Both locks are on for everyone else: a new device of hers, a colleague behind the same NAT.
    const newDevice = await refusal(l, carla('192.0.2.44'))
    expect(newDevice?.code).toBe('RATE_LIMITED')
    expect(newDevice?.details).toMatchObject({ lock: 'account' })
    expect(newDevice?.message).toMatch(/choose “Forgot password\?” to get a reset link by email/)
    const colleague = await refusal(l, {
      email: 'chris@example.test',
      ip: OFFICE_NAT,
      passwordHash: 'scrypt$chris',
    })
    expect(colleague?.details).toMatchObject({ lock: 'address' })
    expect(colleague?.message).toMatch(/^Too many failed sign-ins from your network\./)
    const { retryAfterSeconds } = colleague?.details as { retryAfterSeconds: number }
    expect(retryAfterSeconds).toBeGreaterThan(0)
    expect(retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.address.seconds)

    // The reset link opened on the new device: the account's lock is gone from everywhere.
    await l.passwordSet('carla@example.test', '192.0.2.44')
    expect(await refusal(l, carla('192.0.2.44', 'scrypt$carla-2'))).toBeNull()
    expect(await refusal(l, carla('192.0.2.99', 'scrypt$carla-2'))).toBeNull()
  })

  it('8 failures from one address lock that account there, even where it signed in before; a new password ends the lock', async () => {
    const l = await limiter()
    await l.succeeded(carla(OFFICE_NAT))
    for (let i = 0; i < 7; i++) await l.failed(carla(OFFICE_NAT))
    expect(await refusal(l, carla(OFFICE_NAT))).toBeNull()
    await l.failed(carla(OFFICE_NAT))

    const locked = await refusal(l, carla(OFFICE_NAT))
    expect(locked?.details).toMatchObject({ lock: 'account-and-address' })
    expect(locked?.message).toMatch(
      /^Too many failed sign-ins from here\. Wait \d+ minutes?, or choose “Forgot password\?” to get a reset link by email\.$/,
    )
    // Only there: the same account elsewhere and other accounts there are untouched.
    expect(await refusal(l, carla('192.0.2.10'))).toBeNull()
    expect(
      await refusal(l, { email: 'chris@example.test', ip: OFFICE_NAT, passwordHash: 'h' }),
    ).toBeNull()
    // Refused attempts are not counted, so trying on does not make the lock last longer.
    for (let i = 0; i < 20; i++) await refusal(l, carla(OFFICE_NAT))
    const again = await refusal(l, carla(OFFICE_NAT))
    expect((again?.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(
      (locked?.details as { retryAfterSeconds: number }).retryAfterSeconds,
    )

    // A new password (set through the emailed link) starts the pair's count afresh.
    await l.passwordSet('carla@example.test', OFFICE_NAT)
    expect(await refusal(l, carla(OFFICE_NAT, 'scrypt$carla-2'))).toBeNull()
  })

  it('a success forgives the place its own mistakes', async () => {
    const l = await limiter()
    for (let i = 0; i < 7; i++) await l.failed(carla(OFFICE_NAT))
    await l.succeeded(carla(OFFICE_NAT))
    for (let i = 0; i < 7; i++) await l.failed(carla(OFFICE_NAT))
    expect(await refusal(l, carla(OFFICE_NAT))).toBeNull()
  })

  it('reset links: three an hour per email without a refusal, then none; a place asking too often is refused', async () => {
    const l = await limiter()
    const answers = []
    for (let i = 0; i < 5; i++)
      answers.push(await l.resetRequested('carla@example.test', `198.51.100.${i}`))
    expect(answers).toEqual([true, true, true, false, false])

    for (let i = 0; i < SIGN_IN_LIMITS.resetAddress.points; i++)
      await l.resetRequested(`someone${i}@example.test`, OFFICE_NAT)
    await expect(l.resetRequested('more@example.test', OFFICE_NAT)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^You asked for reset links several times in a short while/),
    })
  })

  it('counts an IPv6 address by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1')
  })
})
