import { describe, expect, it } from 'vitest'
import { testClock } from '../support/clock'
import { serverForFile } from '../support/file-server'
import { engineForFile } from '../support/file-hooks'

/**
 * A 429 is a "later", not a "no": the desktop outbox keeps the entry pending, asks again no
 * sooner than the server's Retry-After, and sends nothing else meanwhile (the limit is the
 * person's, so the rest would be refused too). The real server refuses for real: its write
 * limits are scaled down (PORTAL_WRITE_LIMITS=0.005 gives staff 3 messages per 10 minutes).
 */

const portal = serverForFile({
  people: { admin: 'admin@demo.test' },
  env: { PORTAL_WRITE_LIMITS: '0.005' },
  fixedPort: true,
})
const samsEngine = engineForFile({ serverUrl: () => portal.server.url, email: 'staff@demo.test' })

async function serverBodies(threadId: string): Promise<string[]> {
  const res = await portal.admin.get(`/threads/${threadId}/messages?limit=500`)
  return (res.body.messages as { body: string }[]).map((m) => m.body)
}

describe('the outbox under a write limit', () => {
  it('keeps a refused reply pending until the Retry-After, holds the rest, and delivers each once when the server lets it', async () => {
    const sam = samsEngine()
    const { threads } = await sam.api.listThreads({ view: 'all', limit: 50 })
    const [first, second] = threads
    if (!first || !second) throw new Error('the demo has two threads for Sam')

    for (let i = 1; i <= 4; i++)
      await sam.api.reply({ threadId: first.id, body: `Limited reply ${i}` })
    // The first three fit Sam's (scaled) allowance; the fourth is refused with a 429.
    const refused = await sam.until(async () => {
      const entries = await sam.api.listOutbox({})
      return entries.length === 1 && entries[0]?.attempts === 1 ? entries[0] : null
    }, 'the fourth reply refused')
    expect(refused.state).toBe('pending')
    expect(refused.errorCode).toBe('RATE_LIMITED')
    expect(refused.error).toMatch(/^You have sent many messages in a short time/)
    // Not the half-second backoff of a first retry: the ten-minute window the server named.
    const waitMs = Date.parse(refused.nextAttemptAt ?? '') - testClock.now()
    expect(waitMs).toBeGreaterThan(5 * 60_000)
    expect(waitMs).toBeLessThanOrEqual(10 * 60_000 + 5_000)

    // A reply in another thread waits behind it instead of being refused in its turn.
    await sam.api.reply({ threadId: second.id, body: 'Limited reply in another thread' })
    await sam.engine.outbox.idle
    const waiting = await sam.api.listOutbox({})
    expect(waiting.map((e) => [e.state, e.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
    ])
    expect(await serverBodies(first.id)).toEqual(
      expect.arrayContaining(['Limited reply 1', 'Limited reply 2', 'Limited reply 3']),
    )
    expect(await serverBodies(first.id)).not.toContain('Limited reply 4')

    // The same server comes back without the limit: on reconnect both go, once each.
    await portal.restart(undefined, { env: { PORTAL_WRITE_LIMITS: 'off' } })
    await sam.until(
      async () => (await sam.api.listOutbox({})).length === 0,
      'the outbox drained after the restart',
      20_000,
    )
    const bodies = await serverBodies(first.id)
    for (let i = 1; i <= 4; i++)
      expect(bodies.filter((b) => b === `Limited reply ${i}`)).toHaveLength(1)
    expect(await serverBodies(second.id)).toContain('Limited reply in another thread')
  })
})
