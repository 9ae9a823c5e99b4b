import { randomUUID } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { test } from 'vitest'
import { type Api, type ApiResponse, demoDirectory, signIn } from './api'
import { startInboxStack } from './inbox'
import { connectLive, type LiveSocket } from './live'
import { FaultProxy } from './proxy'
import { startServer, type RunningServer } from './server'

type OnCleanup = (cleanup: () => Promise<void>) => void

/**
 * The suites' shared set-up as vitest fixtures (`test.extend`): one real portal server per test
 * file (its own process on 127.0.0.1, an ephemeral port and a temp data dir, as startServer
 * does), the demo people signed in on first use, the demo directory, live sockets closed after
 * the file, and "start a conversation" with fresh client ids. A suite takes what its tests
 * name: `it('…', async ({ carla, dir }) => …)`.
 */

export interface ServerSuiteOptions {
  /** Environment for the server the file starts (e.g. PORTAL_WRITE_LIMITS=off). */
  env?: Record<string, string>
}

/** What a new conversation says; the project is named by its demo prefix, Maple by default. */
export interface NewThread {
  subject: string
  body: string
  project?: string
  clientId?: string
  urgent?: boolean
  participantIds?: string[]
  attachmentIds?: string[]
}

export type Directory = Awaited<ReturnType<typeof demoDirectory>>

/** A server suite's test API; `newId` is how the file makes client ids (the desktop uses v7). */
function serverFixtures(options: ServerSuiteOptions, newId: () => string) {
  return test
    .extend(
      'server',
      { scope: 'file' }, // eslint-disable-next-line no-empty-pattern -- vitest reads the fixtures a function needs from this pattern
      async ({}, { onCleanup }) => {
        const server = await startServer({ env: options.env })
        onCleanup(() => server.stop())
        return server
      },
    )
    .extend('admin', { scope: 'file' }, ({ server }) => signIn(server.url, 'admin@demo.test'))
    .extend('sam', { scope: 'file' }, ({ server }) => signIn(server.url, 'staff@demo.test'))
    .extend('carla', { scope: 'file' }, ({ server }) => signIn(server.url, 'customer@demo.test'))
    .extend('ben', { scope: 'file' }, ({ server }) => signIn(server.url, 'customer2@demo.test'))
    .extend('chris', { scope: 'file' }, ({ server }) => signIn(server.url, 'customer3@demo.test'))
    .extend('sid', { scope: 'file' }, ({ server }) => signIn(server.url, 'sub@demo.test'))
    .extend('dir', { scope: 'file' }, ({ admin }) => demoDirectory(admin))
    .extend(
      'live',
      { scope: 'file' }, // eslint-disable-next-line no-empty-pattern -- as above: no fixtures needed
      ({}, { onCleanup }) => {
        const opened: LiveSocket[] = []
        onCleanup(() => opened.forEach((socket) => socket.close()))
        /** A live socket as the desktop opens it, closed when the file is done. */
        return async (who: Pick<Api, 'url' | 'token'>) => {
          const socket = await connectLive(who)
          opened.push(socket)
          return socket
        }
      },
    )
    .extend('newThread', { scope: 'file' }, ({ dir }) =>
      /** Posts a new conversation as `who` and answers the server's response, for the test to judge. */
      (who: Api, thread: NewThread): Promise<ApiResponse> => {
        const { project = 'Maple', clientId = newId(), ...fields } = thread
        return who.post('/threads', { clientId, projectId: dir.project(project), ...fields })
      },
    )
}

export type ServerTest = ReturnType<typeof serverFixtures>

/**
 * Starts the file's fixtures in a `beforeAll` of the test API the file uses, so start-up counts
 * against the hook timeout as it always did, not against the first test's. It must be that API:
 * vitest keeps file-scoped values per `extend`ed API, so a hook on another would start a second
 * server. (The cast: the file's own fixtures only add to the context the hook reads.)
 */
function startedFirst<T>(it: T, start: (it: ServerTest) => void): T {
  start(it as unknown as ServerTest)
  return it
}

/**
 * A file's tests against one real portal server. `own` adds the file's own fixtures (helpers
 * that need the server or the demo people); the server starts before the first test.
 */
export function serverSuite<T = ServerTest>(
  options: ServerSuiteOptions = {},
  own?: (it: ServerTest) => T,
): T {
  const it = serverFixtures(options, randomUUID)
  return startedFirst(own ? own(it) : (it as T), (first) =>
    first.beforeAll(async ({ server }) => void server),
  )
}

export interface InboxSuiteOptions extends ServerSuiteOptions {
  /** Who the engine signs in as (staff@demo.test by default; null: nobody). */
  email?: string | null
  /** Put a fault proxy between the engine and the server, so a test can cut the engine off. */
  viaProxy?: boolean
  /** How long the start-up may take (the hook timeout by default), for a file that needs more. */
  startTimeout?: number
}

/**
 * A file's browser tests: the real server, the engine in this process (behind a fault proxy
 * when asked), the headless host and Chromium (startInboxStack), started before the first test.
 */
export function inboxSuite<T = InboxTest>(
  options: InboxSuiteOptions = {},
  own?: (it: InboxTest) => T,
): T {
  const it = inboxFixtures(options)
  return startedFirst(own ? own(it) : (it as T), (first) =>
    (first as unknown as InboxTest).beforeAll(
      async ({ stack }) => void stack,
      options.startTimeout,
    ),
  )
}

export type InboxTest = ReturnType<typeof inboxFixtures>

function inboxFixtures(options: InboxSuiteOptions) {
  const base = serverFixtures(options, uuidv7).extend(
    'proxy',
    { scope: 'file' },
    async ({ server }, { onCleanup }) => {
      const proxy = await new FaultProxy({
        host: '127.0.0.1',
        port: Number(new URL(server.url).port),
      }).start()
      onCleanup(() => proxy.stop())
      return proxy
    },
  )
  const open = async (
    server: RunningServer,
    serverUrl: string | undefined,
    onCleanup: OnCleanup,
  ) => {
    const stack = await startInboxStack({ server, serverUrl, email: options.email })
    onCleanup(() => stack.close())
    return stack
  }
  // Only a file that asks for the proxy starts one; its engine then signs in through it.
  const it = options.viaProxy
    ? base.extend('stack', { scope: 'file' }, ({ server, proxy }, { onCleanup }) =>
        open(server, proxy.url, onCleanup),
      )
    : base.extend('stack', { scope: 'file' }, ({ server }, { onCleanup }) =>
        open(server, undefined, onCleanup),
      )
  return it
}
