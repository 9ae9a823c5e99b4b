import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../src/shared/clock'
import { buildApp, type PortalApp } from './app'
import { ServerConfig } from './config'
import { DEMO_PASSWORD } from './demo/seed'

/** The app as fastify/demo's test helper uses it: built, never listening, answered through inject. */
let app: PortalApp | null = null
let dataDir = ''
afterEach(async () => {
  await app?.close()
  app = null
  await fs.rm(dataDir, { recursive: true, force: true })
})

async function build(): Promise<PortalApp> {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-app-'))
  const config = ServerConfig.parse({ dataDir, demo: true, schedulerMs: 50, logLevel: 'silent' })
  app = await buildApp(config, new ManualClock(Date.parse('2026-12-07T10:00:00Z')))
  return app
}

describe('buildApp', () => {
  it('builds the whole server without listening, and answers a signed-in request through inject', async () => {
    const app = await build()
    await app.ready()
    expect(app.server.listening).toBe(false)
    expect(app.demoLogins.length).toBeGreaterThan(0)
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'staff@demo.test', password: DEMO_PASSWORD },
    })
    expect(signIn.statusCode).toBe(200)
    const me = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${signIn.json<{ token: string }>().token}` },
    })
    expect(me.statusCode).toBe(200)
    expect(me.json<{ user: { email: string } }>().user.email).toBe('staff@demo.test')
  })

  it('runs the schedule once ready and stops it on close', async () => {
    const app = await build()
    const sweep = vi.spyOn(app.limitStore, 'sweep')
    await app.ready()
    await vi.waitFor(() => expect(sweep).toHaveBeenCalled())
    await app.close()
    const calls = sweep.mock.calls.length
    // Several scheduler periods later, nothing more ran.
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(sweep.mock.calls.length).toBe(calls)
  })
})
