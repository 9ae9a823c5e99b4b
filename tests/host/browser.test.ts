import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { newContext } from '../support/browser'
import { serverForFile } from '../support/file-server'
import { browserForFile, engineForFile, hostForFile, requireBuilt } from '../support/file-hooks'

const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer')

const portal = serverForFile({ people: {}, before: () => requireBuilt(rendererDir, 'renderer') })
const engine = engineForFile({ serverUrl: () => portal.server.url, email: 'staff@demo.test' })
const host = hostForFile(engine, () => rendererDir)
const browser = browserForFile()

describe('the real renderer in Chromium through the headless host', () => {
  it('reaches the real engine over the WebSocket and takes the token out of the address bar', async () => {
    const page = await (await newContext(browser())).newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on(
      'console',
      (m) => m.type() === 'error' && errors.push(`${m.text()} @ ${m.location().url}`),
    )
    await page.goto(host().openUrl)
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
    const page = await (await newContext(browser())).newPage()
    await page.goto(host().url)
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not reachable/)
    await page.close()
  })
})
