import path from 'node:path'
import { _electron as electron } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { electronBinary } from '../../scripts/electron-binary'
import { rebuildNative } from '../../scripts/rebuild-native'
import { startServer, type RunningServer } from '../support/server'

/**
 * Launches the real Electron app against a test server wherever an Electron binary is available.
 * On machines that cannot download it (the build machines), it is reported as skipped, with why.
 */
const binary = electronBinary()
const reason = binary
  ? ''
  : ' [skipped: no Electron binary on this machine; Electron downloads it on first use and this network is closed]'
const root = path.resolve(import.meta.dirname, '../..')
if (!binary) console.info(`Electron smoke test${reason}`)

describe.skipIf(!binary)(`Electron smoke test${reason}`, () => {
  let server: RunningServer
  beforeAll(async () => {
    if (!rebuildNative())
      throw new Error('better-sqlite3 could not be built for Electron (see above)')
    server = await startServer()
  })
  afterAll(async () => server?.stop())

  it('launches, signs in to a test server and opens a thread', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.join(root, 'out/main/index.js')],
      env: { ...process.env, PORTAL_INBOX_SIGNIN: `${server.url} staff@demo.test portal-demo` },
    })
    try {
      const page = await app.firstWindow()
      await expect.poll(() => page.title()).toBe('Portal Inbox')
      const threads = await page.evaluate(async () => {
        const bridge = (
          globalThis as unknown as {
            portalInbox: {
              listThreads(i: unknown): Promise<{ threads: { id: string; subject: string }[] }>
            }
          }
        ).portalInbox
        return (await bridge.listThreads({ view: 'all' })).threads
      })
      expect(threads.length).toBeGreaterThan(0)
      const detail = await page.evaluate(async (threadId) => {
        const bridge = (
          globalThis as unknown as {
            portalInbox: { openThread(i: unknown): Promise<{ messages: unknown[] }> }
          }
        ).portalInbox
        return bridge.openThread({ threadId })
      }, threads[0]!.id)
      expect(detail.messages.length).toBeGreaterThan(0)
    } finally {
      await app.close()
    }
  })
})
