import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { testClock, type TestClock } from './clock'

export interface RunningServer {
  url: string
  dataDir: string
  process: ChildProcess
  /** Output so far, for failure messages. */
  output(): string
  stop(): Promise<void>
  /** SIGKILL, for crash tests. */
  kill(): Promise<void>
}

/** A port free right now, for a server that must come back on the same address after a restart. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

const root = path.resolve(import.meta.dirname, '../..')

/**
 * Starts the real portal server as its own process on 127.0.0.1 with an ephemeral port and a
 * temporary data directory (or the one given, to restart on the same data).
 */
export async function startServer(
  options: {
    demo?: boolean
    dataDir?: string
    port?: number
    env?: Record<string, string>
    /** What time the server believes it is; the test file's clock by default. */
    clock?: TestClock
  } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'portal-test-')))
  const args = [
    '--import',
    'tsx',
    path.join(root, 'server/src/cli.ts'),
    '--port',
    String(options.port ?? 0),
    '--host',
    '127.0.0.1',
    '--data',
    dataDir,
    '--log-level',
    'warn',
  ]
  if (options.demo !== false) args.push('--demo')
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...(options.clock ?? testClock).env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`portal server did not start within 60 s:\n${out}`)),
      60_000,
    )
    const onData = () => {
      const match = out.match(/Portal server listening on (http:\/\/[^\s]+)/)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`portal server exited with ${code}:\n${out}`))
    })
  })

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    url,
    dataDir,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
