import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { startHost, type RunningHost } from '../../src/main/host/host'
import { launchBrowser, newContext } from './browser'
import { openEngine, type TestEngine } from './engine'
import type { FaultProxy } from './proxy'
import { startServer, type RunningServer } from './server'

/** The screens the inbox must work on: a laptop, and a common desktop monitor. */
export const LAPTOP = { width: 1280, height: 720 }
export const DESKTOP = { width: 1440, height: 900 }

export const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer')

/**
 * The whole desktop stack for a browser test: the real portal server (demo data) in its own
 * process, the real engine in this one, the headless host serving the built renderer, and
 * Debian's Chromium. `signedIn` signs the engine in directly (the sign-in screen has its own test).
 */
export interface InboxStack {
  server: RunningServer
  engine: TestEngine
  host: RunningHost
  browser: Browser
  /** A fresh context and page on the inbox; collects page errors so a test can assert none. */
  open(options?: {
    colorScheme?: 'light' | 'dark'
    viewport?: { width: number; height: number }
    /** The browser's language (and so its clock: 12- or 24-hour); en-US by default. */
    locale?: string
  }): Promise<InboxPage>
  close(): Promise<void>
}

export interface InboxPage {
  page: Page
  context: BrowserContext
  errors: string[]
  close(): Promise<void>
}

export async function startInboxStack(
  options: {
    email?: string | null
    server?: RunningServer
    /** Where the engine signs in, when not the server itself (a fault proxy in front of it). */
    serverUrl?: string
    /** Environment for the server this stack starts (when `server` is not given). */
    serverEnv?: Record<string, string>
  } = {},
): Promise<InboxStack> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new Error('Build the renderer first: npm run build')
  const server = options.server ?? (await startServer({ env: options.serverEnv }))
  const engine = await openEngine()
  const email = options.email === undefined ? 'staff@demo.test' : options.email
  if (email)
    await engine.api.signIn({
      serverUrl: options.serverUrl ?? server.url,
      email,
      password: 'portal-demo',
    })
  const host = await startHost({ engine: engine.engine, rendererDir })
  const browser = await launchBrowser()
  return {
    server,
    engine,
    host,
    browser,
    async open({ colorScheme = 'light', viewport = { width: 1400, height: 900 }, locale } = {}) {
      // A context per page: axe needs one, and each test starts from a clean tab.
      const context = await newContext(browser, { viewport, colorScheme, locale })
      // Fail fast with the locator's name rather than at the test's timeout.
      context.setDefaultTimeout(8_000)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${m.text()} @ ${m.location().url}`)
      })
      await page.goto(host.openUrl)
      return { page, context, errors, close: () => context.close() }
    },
    async close() {
      await browser.close().catch(() => undefined)
      await host.close().catch(() => undefined)
      await engine.close().catch(() => undefined)
      if (!options.server) await server.stop()
    },
  }
}

/** The inbox list's rows, one a thread. */
export const conversationRows = (page: Page) =>
  page.getByRole('list', { name: /conversations$/ }).getByRole('listitem')

/** The inbox list's row of the thread with this subject. */
export const conversationRow = (page: Page, subject: string | RegExp) =>
  conversationRows(page).filter({ hasText: subject })

/** Opens the thread with this subject from the inbox list, once the list shows it (once). */
export async function openConversation(page: Page, subject: string): Promise<void> {
  await expect.poll(() => conversationRow(page, subject).count(), { timeout: 10_000 }).toBe(1)
  await conversationRow(page, subject).getByRole('button').first().click()
  await expect.poll(() => page.getByTestId('thread-subject').textContent()).toBe(subject)
}

/** Cuts the engine off at its fault proxy (the server stays up) and waits until the page says so. */
export async function cutOff(stack: InboxStack, proxy: FaultProxy, page: Page): Promise<void> {
  proxy.set('refuse')
  // A pull through the refusing proxy fails at once, however busy the machine is.
  await stack.engine.api.syncNow({})
  await expect
    .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), {
      timeout: 15_000,
    })
    .toBe('offline')
}

/** Waits until the inbox list shows at least one row. */
export async function waitForInbox(page: Page): Promise<void> {
  await expect.poll(() => conversationRows(page).count(), { timeout: 15_000 }).toBeGreaterThan(0)
}

/** Saves a screenshot for the README when PORTAL_SCREENSHOTS names a folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.PORTAL_SCREENSHOTS
  if (!dir) return
  fs.mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: path.join(dir, `${name}.png`) })
}
