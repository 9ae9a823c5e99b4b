import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newContext } from '../support/browser'
import { testClock } from '../support/clock'

/**
 * `npm start` as a newcomer runs it (issue 12, set-up): one command gives the portal server on
 * demo data, the staff inbox (here in the browser: this machine cannot run Electron) and the
 * customer portal, and prints where each is with the demo logins. The console stays readable: no
 * line per request at the default log level.
 */

const root = path.resolve(import.meta.dirname, '../..')
let child: ChildProcess
let output = ''
let dataDir: string
let browser: Browser

function waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`npm start did not print ${pattern} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    )
    const check = () => {
      const match = output.match(pattern)
      if (!match) return
      clearTimeout(timer)
      child.stdout?.off('data', check)
      resolve(match)
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`npm start exited (${code}):\n${output}`))
    })
    check()
  })
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-start-'))
  child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts/start.ts'), '--web'],
    {
      cwd: root,
      env: {
        ...withoutLogLevel(process.env),
        ...testClock.env,
        PORTAL_PORT: '0',
        PORTAL_HOST_PORT: '0',
        PORTAL_DATA_DIR: dataDir,
        PORTAL_NO_BROWSER: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  await waitFor(/Press Ctrl\+C to stop\./)
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  if (child && child.exitCode === null) {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  }
  await fs.rm(dataDir, { recursive: true, force: true })
})

/** The default log level is what a newcomer sees: drop one the test run may have set. */
function withoutLogLevel(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PORTAL_LOG_LEVEL: _, ...rest } = env
  return rest
}

const addressOf = (label: string) => {
  const match = output.match(new RegExp(`${label}:\\s+(http://\\S+)`))
  if (!match?.[1]) throw new Error(`no ${label} address in:\n${output}`)
  return match[1]
}

describe('npm start', () => {
  it('prints the staff inbox, the customer portal and the demo logins', () => {
    expect(output).toContain('Portal Inbox is running on demo data (Harbor & Pine Builders).')
    expect(addressOf('Staff inbox')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/)
    expect(addressOf('Customer portal')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/portal\/$/)
    expect(output).toContain('Demo logins, all with the password "portal-demo":')
    for (const email of ['admin@demo.test', 'staff@demo.test', 'customer@demo.test'])
      expect(output).toMatch(new RegExp(`^  ${email.replace('.', '\\.')}\\s+\\S`, 'm'))
  })

  it('the staff inbox opens signed in, and the customer portal signs a customer in', async () => {
    const inbox = await (await newContext(browser)).newPage()
    await inbox.goto(addressOf('Staff inbox'))
    await expect
      .poll(
        () =>
          inbox
            .getByRole('list', { name: /conversations$/ })
            .getByRole('listitem')
            .count(),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0)

    const portal = await (await newContext(browser)).newPage()
    await portal.goto(addressOf('Customer portal'))
    await portal.getByLabel(/^Email/).fill('customer@demo.test')
    await portal.getByLabel(/^Password/).fill('portal-demo')
    await portal.getByRole('button', { name: 'Sign in' }).click()
    await portal.getByTestId('messages-widget').waitFor()
  })

  it('keeps the console readable: no line per request at the default log level', async () => {
    const before = output.length
    const portal = addressOf('Customer portal')
    for (let i = 0; i < 5; i++) await fetch(`${portal.replace('/portal/', '')}/api/v1/health`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(output.slice(before)).not.toMatch(/"msg":"(incoming request|request completed|request)"/)
    expect(output).not.toMatch(/Server listening at/)
  })

  it('stops the server with it', async () => {
    const server = addressOf('Portal server')
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    await expect
      .poll(() =>
        fetch(`${server}/api/v1/health`).then(
          () => 'up',
          () => 'down',
        ),
      )
      .toBe('down')
  })
})
