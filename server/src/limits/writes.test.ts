import { describe, expect, it } from 'vitest'
import type { Caller } from '../domain/caller'
import { testDatabases } from './stores/test-databases'
import {
  scaleWriteLimits,
  WRITE_LIMITS,
  WriteLimiter,
  type WriteKind,
  type WriteLimitSizes,
} from './writes'

/** Write limits over the real SQLite store, with small sizes so a test never waits for a window. */

const databases = testDatabases('portal-writes-')
/** A server node: its own connection to the one database file. */
const node = async (sizes: WriteLimitSizes) => new WriteLimiter(await databases.store(), sizes)

const small: WriteLimitSizes = {
  people: { burst: { points: 5, seconds: 60 }, sustained: { points: 50, seconds: 3600 } },
  staff: { burst: { points: 8, seconds: 600 }, sustained: { points: 50, seconds: 3600 } },
  reads: { points: 3, seconds: 60 },
  invites: { burst: { points: 2, seconds: 600 }, sustained: { points: 50, seconds: 86_400 } },
  invitesTo: { points: 2, seconds: 3600 },
  company: { points: 6, seconds: 600 },
}

const person = (id: string, role: Caller['role'] = 'customer', companyId = 'harbor'): Caller => ({
  id,
  companyId,
  role,
  name: id,
  email: `${id}@example.test`,
  portalAccess: true,
})

async function outcome(l: WriteLimiter, caller: Caller, kind: WriteKind) {
  try {
    await l.take(caller, kind)
    return 'ok'
  } catch (err) {
    return err as { code: string; message: string; details: Record<string, unknown> }
  }
}

describe('write limits', () => {
  it('refuse a flooding customer after their allowance, not the next customer, until the company cap', async () => {
    const l = await node(small)
    const flooder = person('carla')
    const results = []
    for (let i = 0; i < 30; i++) results.push(await outcome(l, flooder, 'message'))
    expect(results.filter((r) => r === 'ok')).toHaveLength(5)
    const refused = results[5]
    expect(refused).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'person', retryAfterSeconds: expect.any(Number) },
    })
    expect(typeof refused === 'object' && refused.message).toMatch(
      /^You have sent many messages in a short time, more than the portal accepts\. Wait (\d+ seconds?|1 minute), then send this one again\.$/,
    )
    // Files share the allowance, with their own words.
    const upload = await outcome(l, flooder, 'upload')
    expect(typeof upload === 'object' && upload.message).toMatch(/^You have uploaded many files/)
    // Read marks are counted apart: the flooder can still read.
    expect(await outcome(l, flooder, 'read')).toBe('ok')

    // The 25 refused writes did not count for the company: the next customer gets in...
    const chris = person('chris')
    expect(await outcome(l, chris, 'message')).toBe('ok')
    // ...until the company's cap (6: carla's 5 and this one).
    expect(await outcome(l, chris, 'message')).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'company' },
      message: expect.stringMatching(/^The portal is receiving more messages than it accepts/),
    })
    // Another company is not affected.
    expect(await outcome(l, person('ben', 'customer', 'oak'), 'message')).toBe('ok')
  })

  it('staff have the larger allowance their outbox needs; read marks have their own', async () => {
    const l = await node({ ...small, company: { points: 100, seconds: 600 } })
    const sam = person('sam', 'staff')
    const results = []
    for (let i = 0; i < 10; i++) results.push(await outcome(l, sam, 'message'))
    expect(results.filter((r) => r === 'ok')).toHaveLength(8)
    const reads = []
    for (let i = 0; i < 4; i++) reads.push(await outcome(l, sam, 'read'))
    expect(reads.slice(0, 3)).toEqual(['ok', 'ok', 'ok'])
    expect(reads[3]).toMatchObject({ details: { limit: 'person' } })
  })

  it('invitations have their own, smaller allowance, and an address gets only so many from one company', async () => {
    const l = await node(small)
    const sam = person('sam', 'staff')
    expect(await outcome(l, sam, 'invite')).toBe('ok')
    expect(await outcome(l, sam, 'invite')).toBe('ok')
    const refused = await outcome(l, sam, 'invite')
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'person' } })
    expect(typeof refused === 'object' && refused.message).toMatch(
      /^You have sent many invitations in a short time, more than the portal accepts\. Wait \d+ minutes?, then invite again\.$/,
    )
    // Messages are counted apart: Sam can still write.
    expect(await outcome(l, sam, 'message')).toBe('ok')

    // Two mails to one address, then a refusal that says why and when, before anything is done.
    const anna = 'anna@studio.test'
    for (let i = 0; i < 2; i++) {
      await l.mayMailInvitation(sam, anna)
      await l.invitationMailed(sam, anna)
    }
    await expect(l.mayMailInvitation(person('tess', 'staff'), anna)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'recipient' },
      message: expect.stringMatching(/^anna@studio\.test has had 2 invitations in the last hour\./),
    })
    // Another company's invitations are its own: nothing of this one's shows there.
    await l.mayMailInvitation(person('ben', 'staff', 'oak'), anna)
  })

  it('two server nodes on one database share the counts', async () => {
    const first = await node(small)
    const second = await node(small)
    const carla = person('carla')
    for (let i = 0; i < 3; i++) expect(await outcome(first, carla, 'message')).toBe('ok')
    for (let i = 0; i < 2; i++) expect(await outcome(second, carla, 'message')).toBe('ok')
    expect(await outcome(first, carla, 'message')).toMatchObject({ code: 'RATE_LIMITED' })
    expect(await outcome(second, carla, 'message')).toMatchObject({ code: 'RATE_LIMITED' })
  })

  it('PORTAL_WRITE_LIMITS scales every limit and keeps the windows', () => {
    const scaled = scaleWriteLimits(WRITE_LIMITS, 0.05)
    expect(scaled.people.burst).toEqual({ points: 3, seconds: 60 })
    expect(scaled.staff.burst).toEqual({ points: 30, seconds: 600 })
    expect(scaleWriteLimits(WRITE_LIMITS, 0.0001).reads.points).toBe(1)
  })
})
