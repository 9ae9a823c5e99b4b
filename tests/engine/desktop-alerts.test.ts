import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Me } from '../../src/shared/protocol'
import { openEngine, type TestEngine } from '../support/engine'
import { serverForFile } from '../support/file-server'

/**
 * The desktop alert settings live in the engine (they work offline) and on the server (so a
 * colleague's "Who is notified" can tell): a change is sent when made, one made offline when the
 * engine is back, and another computer signing in as the same person reads them back.
 */
const portal = serverForFile({ people: { tess: 'staff2@demo.test' }, viaProxy: true })
let first: TestEngine
let second: TestEngine

const signInTess = (engine: TestEngine) =>
  engine.api.signIn({
    serverUrl: portal.proxy.url,
    email: 'staff2@demo.test',
    password: 'portal-demo',
  })
const onServer = async () => Me.parse((await portal.tess.get('/me')).body).preferences.desktop

beforeAll(async () => {
  first = await openEngine()
  second = await openEngine()
})
afterAll(async () => {
  await first?.close()
  await second?.close()
})

describe('desktop alert settings on the server', () => {
  it('are sent when changed (not the sound), sent when back online, and read back at sign-in', async () => {
    await signInTess(first)
    await first.api.setNotificationPreferences({ onlyAssignedToMe: true, sound: false })
    await first.until(async () => (await onServer())?.onlyAssignedToMe, 'the change on the server')
    expect(await onServer()).toEqual({
      mutedProjectIds: [],
      onlyAssignedToMe: true,
      quietHours: { enabled: false, start: '22:00', end: '07:00' },
      urgentAlways: true,
    })

    const quiet = { enabled: true, start: '21:00', end: '06:30' }
    await portal.restart(async () => {
      await first.until(
        async () => (await first.api.getConnection({})).state === 'offline',
        'offline',
      )
      await first.api.setNotificationPreferences({ quietHours: quiet })
    })
    await first.until(
      async () => (await onServer())?.quietHours.enabled,
      'the offline change on the server',
      20_000,
    )
    expect((await onServer())?.quietHours).toEqual(quiet)

    await signInTess(second)
    await second.until(
      async () => (await second.api.getNotificationPreferences({})).quietHours.enabled,
      'the settings read back',
    )
    expect(await second.api.getNotificationPreferences({})).toEqual({
      mutedProjectIds: [],
      onlyAssignedToMe: true,
      quietHours: quiet,
      urgentAlways: true,
      // The sound is each computer's own.
      sound: true,
    })
  })
})
