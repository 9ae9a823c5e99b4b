import fs from 'node:fs/promises'
import { afterAll, beforeAll } from 'vitest'
import { type Api, demoDirectory, signIn } from './api'
import type { TestClock } from './clock'
import type { Directory } from './fixtures'
import type { MailSink } from './mail'
import { FaultProxy } from './proxy'
import { freePort, startServer, type RunningServer } from './server'

/**
 * One real portal server for a file whose tests share state in module scope and hooks (they
 * restart the server on its port, put a fault proxy in front of it, or start things beside it),
 * which the `test.extend` fixtures cannot do. Started in a `beforeAll`, stopped in an `afterAll`
 * registered first, so it runs after the file's own clean-up (vitest runs after-hooks as a stack).
 */
/** The demo company's people, by the names the suites call them (server/src/demo). */
export const DEMO_PEOPLE = {
  admin: 'admin@demo.test',
  sam: 'staff@demo.test',
  tess: 'staff2@demo.test',
  carla: 'customer@demo.test',
  ben: 'customer2@demo.test',
  chris: 'customer3@demo.test',
  erin: 'customer4@demo.test',
  sid: 'sub@demo.test',
} as const
export type DemoName = keyof typeof DEMO_PEOPLE

/** `people` for `serverForFile`, named from the demo company: `demoPeople('admin', 'carla')`. */
export function demoPeople<N extends DemoName>(...names: N[]): Record<N, string> {
  const people: Partial<Record<N, string>> = {}
  for (const name of names) people[name] = DEMO_PEOPLE[name]
  return people as Record<N, string>
}

export interface FileServerOptions<N extends string> {
  /** The demo people the file signs in, by the names its tests use: `{ carla: 'customer@demo.test' }`. */
  people: Record<N, string>
  env?: Record<string, string>
  /** Variables the server must not inherit from the environment running the tests. */
  unsetEnv?: string[]
  /** The server delivers its mail over SMTP to this receiver, listening from the file's start to its end. */
  mail?: MailSink
  clock?: TestClock
  /** Keep one port for the file, so `restart()` brings the server back on the same address. */
  fixedPort?: boolean
  /** Put a fault proxy in front of the server (implies a fixed port). */
  viaProxy?: boolean
  /** Runs before the server starts (a build check, say), so a missing step fails first. */
  before?: () => void | Promise<void>
}

export type FileServer<N extends string> = {
  readonly server: RunningServer
  /** The fault proxy in front of the server, when the file asked for one. */
  readonly proxy: FaultProxy
  /** The demo directory, looked up as whoever of `people` is admin@demo.test. */
  readonly dir: Directory
  /**
   * Stops the server, runs `whileDown` (if given), and starts it again on the same data and port,
   * with `env` over the file's environment from then on (if given).
   */
  restart(
    whileDown?: () => Promise<void>,
    changes?: { env?: Record<string, string> },
  ): Promise<void>
} & { readonly [name in N]: Api }

export function serverForFile<N extends string>(options: FileServerOptions<N>): FileServer<N> {
  const names = Object.keys(options.people) as N[]
  const signedIn = {} as Record<N, Api>
  let server: RunningServer | undefined
  let proxy: FaultProxy | undefined
  let dir: Directory | undefined
  let port: number | undefined
  let env = options.env
  const start = async (dataDir?: string) => {
    const mail = options.mail && { PORTAL_SMTP_URL: options.mail.url }
    const saved = (options.unsetEnv ?? []).map((name) => [name, process.env[name]] as const)
    for (const [name] of saved) delete process.env[name]
    try {
      return await startServer({ dataDir, port, env: { ...mail, ...env }, clock: options.clock })
    } finally {
      for (const [name, value] of saved) if (value !== undefined) process.env[name] = value
    }
  }

  beforeAll(async () => {
    await options.before?.()
    await options.mail?.listen()
    if (options.fixedPort || options.viaProxy) port = await freePort()
    server = await start()
    if (options.viaProxy) proxy = await new FaultProxy({ host: '127.0.0.1', port: port! }).start()
    const apis = await Promise.all(names.map((name) => signIn(server!.url, options.people[name])))
    names.forEach((name, i) => (signedIn[name] = apis[i]!))
    const admin = names.find((name) => options.people[name] === 'admin@demo.test')
    if (admin) dir = await demoDirectory(signedIn[admin])
  })
  afterAll(async () => {
    await proxy?.stop()
    await server?.stop()
    if (options.mail?.port) await options.mail.close()
    if (server) await fs.rm(server.dataDir, { recursive: true, force: true })
  })

  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined)
      throw new Error(`the file's ${what} is not there (not started, or not asked for)`)
    return value
  }
  const handle = {
    get server() {
      return started('server', server)
    },
    get proxy() {
      return started('proxy', proxy)
    },
    get dir() {
      return started('directory', dir)
    },
    async restart(whileDown?: () => Promise<void>, changes: { env?: Record<string, string> } = {}) {
      const { dataDir } = started('server', server)
      await server!.stop()
      await whileDown?.()
      env = { ...env, ...changes.env }
      server = await start(dataDir)
    },
  }
  for (const name of names)
    Object.defineProperty(handle, name, { get: () => started(name, signedIn[name]) })
  return handle as FileServer<N>
}
