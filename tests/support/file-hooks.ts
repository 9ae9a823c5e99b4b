import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { DEMO_PASSWORD } from './api'
import { startHost, type RunningHost } from '../../src/main/host/host'
import { launchBrowser } from './browser'
import { openEngine, type TestEngine } from './engine'

/**
 * Things a test file starts once in module scope and shares across its hooks and cases, beside
 * its `serverForFile`: each is started in a `beforeAll` and stopped in an `afterAll` registered
 * with it, so whatever a file registers later (a host over the engine, say) is stopped first.
 */
export function forFile<T>(
  what: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<void>,
): () => T {
  let value: T | undefined
  beforeAll(async () => {
    value = await start()
  })
  afterAll(async () => {
    if (value !== undefined) await stop(value)
  })
  return () => {
    if (value === undefined) throw new Error(`the file's ${what} is not there (not started)`)
    return value
  }
}

/** The file's Chromium. */
export const browserForFile = (): (() => Browser) =>
  forFile('browser', launchBrowser, (browser) => browser.close())

/** A desktop engine signed in as `email` (the demo password); closed again if the sign-in fails. */
export async function signedInEngine(serverUrl: string, email: string): Promise<TestEngine> {
  const engine = await openEngine()
  try {
    await engine.api.signIn({ serverUrl, email, password: DEMO_PASSWORD })
    return engine
  } catch (error) {
    await engine.close()
    throw error
  }
}

/**
 * The file's desktop engine, signed in as `email` to the address `serverUrl()` gives once the
 * file's server is up (none: not signed in).
 */
export const engineForFile = (signIn?: {
  serverUrl: () => string
  email: string
}): (() => TestEngine) =>
  forFile(
    'engine',
    () => (signIn ? signedInEngine(signIn.serverUrl(), signIn.email) : openEngine()),
    (engine) => engine.close(),
  )

/** Fails the file first when a page it loads has not been built (`dir` holds the build's index.html). */
export function requireBuilt(dir: string, what: string): void {
  if (!fs.existsSync(path.join(dir, 'index.html')))
    throw new Error(`Build the ${what} first: npm run build`)
}

/** The file's headless host over its engine, serving the renderer from `rendererDir()`. */
export const hostForFile = (
  engine: () => TestEngine,
  rendererDir: () => string | Promise<string>,
): (() => RunningHost) =>
  forFile(
    'host',
    async () => startHost({ engine: engine().engine, rendererDir: await rendererDir() }),
    (host) => host.close(),
  )
