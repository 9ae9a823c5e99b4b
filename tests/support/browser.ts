import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { testClock, type TestClock } from './clock'

/**
 * Debian's Chromium (apt-get install chromium), or the browser named by PORTAL_CHROMIUM for people
 * who have Playwright's own. Never `npx playwright install`: it downloads a browser of its own.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

/**
 * A browser context on the test file's clock (tests/support/clock.ts), so the page's "now" (the
 * snooze choices, "today", relative times) is the one the servers and engines believe in. Time
 * runs on at its real pace after install.
 */
export async function newContext(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
  clock: TestClock = testClock,
): Promise<BrowserContext> {
  const context = await browser.newContext(options)
  await context.clock.install({ time: clock.now() })
  return context
}
