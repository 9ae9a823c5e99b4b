import { chromium, type Browser } from 'playwright-core'

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
