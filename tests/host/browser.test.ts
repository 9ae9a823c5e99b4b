import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/main/host/host'
import { launchBrowser, newContext } from '../support/browser'
import { openEngine, type TestEngine } from '../support/engine'
import { startServer, type RunningServer } from '../support/server'

const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer')

let server: RunningServer
let engine: TestEngine
let host: RunningHost
let browser: Browser

beforeAll(async () => {
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new Error('Build the renderer first: npm run build')
  server = await startServer()
  engine = await openEngine()
  await engine.api.signIn({
    serverUrl: server.url,
    email: 'staff@demo.test',
    password: 'portal-demo',
  })
  host = await startHost({ engine: engine.engine, rendererDir })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await host?.close()
  await engine?.close()
  await server?.stop()
})

describe('the real renderer in Chromium through the headless host', () => {
  it('reaches the real engine over the WebSocket and takes the token out of the address bar', async () => {
    const page = await (await newContext(browser)).newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on(
      'console',
      (m) => m.type() === 'error' && errors.push(`${m.text()} @ ${m.location().url}`),
    )
    await page.goto(host.openUrl)
    await expect
      .poll(() => page.getByTestId('connection-state').getAttribute('data-state'))
      .toBe('online')
    await expect
      .poll(() =>
        page
          .getByRole('list', { name: /conversations$/ })
          .getByRole('listitem')
          .count(),
      )
      .toBeGreaterThan(0)
    expect(page.url()).not.toContain('token')
    expect(errors).toEqual([])
    await page.close()
  })

  it('a page opened without the token cannot reach the engine', async () => {
    const page = await (await newContext(browser)).newPage()
    await page.goto(host.url)
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not reachable/)
    await page.close()
  })
})
