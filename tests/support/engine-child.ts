import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { IpcInputs, IpcMethod, IpcResults } from '../../src/shared/ipc'
import type { EngineMessage, EngineRequest } from './engine-process'
import { testClock } from './clock'
import type { View } from './view'

const root = path.resolve(import.meta.dirname, '../..')
const script = path.join(root, 'tests/support/engine-process.ts')

/** Every engine process a suite started, so a failing suite can still kill them all. */
const running = new Set<EngineChild>()
// Should the test process end without its afterAll (a crash, process.exit), take them along.
process.once('exit', () => {
  for (const engine of running) engine.child.kill('SIGKILL')
})

type Request = EngineRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never

export interface EngineState {
  connection: string
  outbox: number
  heldSentAnyway: number
  failed: number
  /** The cache's view hash; null while the outbox holds entries. */
  hash: string | null
}

/**
 * The parent's handle on an engine process (tests/support/engine-process.ts). Calls fail at once
 * when the process dies; acknowledgements and outbox failures arrive as callbacks.
 */
export class EngineChild {
  private nextId = 1
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >()
  private output = ''
  private readonly stages = new Set<'loaded' | 'ready'>()
  readonly exited: Promise<number | null>
  onAck: (ack: { body: string; outboxId: number }) => void = () => undefined
  onFailed: (failure: Extract<EngineMessage, { type: 'failed' }>) => void = () => undefined
  /** A held reply was sent anyway by the process's stand-in for a person. */
  onHeld: () => void = () => undefined

  private constructor(
    readonly dataDir: string,
    readonly child: ChildProcess,
  ) {
    running.add(this)
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d).slice(-20_000)))
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d).slice(-20_000)))
    child.on('message', (message: EngineMessage) => this.onMessage(message))
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        running.delete(this)
        const err = new Error(`engine process ${child.pid} exited (${code ?? 'killed'})`)
        for (const p of this.pending.values()) p.reject(err)
        this.pending.clear()
        resolve(code)
      }),
    )
  }

  /** Forks an engine over `dataDir` (a new one, or the one a killed process left) and waits until it is open. */
  static async start(dataDir: string, timeoutMs = 30_000): Promise<EngineChild> {
    const engine = EngineChild.spawn(dataDir)
    await engine.whenReady(timeoutMs)
    return engine
  }

  /**
   * Forks without waiting: a crash test may kill the process while the engine is still opening.
   * `deferred` loads the code but opens the engine only on open(), so a suite can pay the start-up
   * cost while the previous process still runs.
   */
  static spawn(dataDir: string, options: { deferred?: boolean } = {}): EngineChild {
    const child = fork(script, options.deferred ? [dataDir, '--deferred'] : [dataDir], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      // The engine believes it is the test file's time (tests/support/clock.ts).
      env: { ...process.env, ...testClock.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    return new EngineChild(dataDir, child)
  }

  whenReady(timeoutMs = 30_000): Promise<void> {
    return this.when('ready', timeoutMs)
  }

  /** A deferred process has loaded its code and waits for open(). */
  whenLoaded(timeoutMs = 30_000): Promise<void> {
    return this.when('loaded', timeoutMs)
  }

  /** Tells a deferred process to open its engine. */
  open(): void {
    this.child.send({ op: 'open' })
  }

  private when(stage: 'loaded' | 'ready', timeoutMs: number): Promise<void> {
    if (this.stages.has(stage)) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL')
        reject(new Error(`engine process not ${stage} within ${timeoutMs} ms:\n${this.output}`))
      }, timeoutMs)
      this.child.on('message', (m: EngineMessage) => {
        if (m.type !== stage) return
        clearTimeout(timer)
        resolve()
      })
      void this.exited.then((code) => {
        clearTimeout(timer)
        reject(
          new Error(`engine process exited with ${code} before it was ${stage}:\n${this.output}`),
        )
      })
    })
  }

  get isReady(): boolean {
    return this.stages.has('ready')
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  logs(): string {
    return this.output
  }

  private onMessage(message: EngineMessage): void {
    if (message.type === 'loaded' || message.type === 'ready') this.stages.add(message.type)
    else if (message.type === 'ack') this.onAck(message)
    else if (message.type === 'failed') this.onFailed(message)
    else if (message.type === 'held') this.onHeld()
    else if (message.type === 'result') {
      const p = this.pending.get(message.id)
      if (!p) return
      this.pending.delete(message.id)
      if (message.ok) p.resolve(message.value)
      else
        p.reject(
          Object.assign(new Error(`${message.error.code}: ${message.error.message}`), {
            code: message.error.code,
          }),
        )
    }
  }

  request<T>(request: Request, timeoutMs = 30_000): Promise<T> {
    if (!this.alive) return Promise.reject(new Error('engine process is not running'))
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`engine request ${request.op} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer)
          resolve(v as T)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      const failed = (err: unknown) => {
        if (!this.pending.delete(id)) return
        clearTimeout(timer)
        reject(err instanceof Error ? err : new Error(String(err)))
      }
      try {
        // With a callback, a channel that closed meanwhile (the process was just killed) fails
        // this request instead of emitting an 'error' event nobody listens to.
        this.child.send({ ...request, id }, (err) => {
          if (err) failed(err)
        })
      } catch (err) {
        failed(err)
      }
    })
  }

  call<K extends IpcMethod>(method: K, input: IpcInputs[K]): Promise<IpcResults[K]> {
    return this.request({ op: 'call', method, input })
  }

  view(): Promise<{ view: View; hash: string }> {
    return this.request({ op: 'view' })
  }

  state(): Promise<EngineState> {
    return this.request({ op: 'state' })
  }

  /** Writes a reply; resolves once the outbox holds it. `thread` may be the local id of a conversation created here. */
  reply(thread: string, body: string): Promise<{ messageId: string; outboxId: number }> {
    return this.request({ op: 'reply', thread, body })
  }

  burst(thread: string, prefix: string, count: number, pauseMs = 0): Promise<{ written: number }> {
    return this.request({ op: 'burst', thread, prefix, count, pauseMs }, 600_000)
  }

  sendHeldAnyway(enabled: boolean): Promise<unknown> {
    return this.request({ op: 'sendHeldAnyway', enabled })
  }

  /** SIGKILL: no chance to finish a transaction, flush a file or say goodbye. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL')
    await this.exited
  }

  /** A clean shutdown; falls back to SIGKILL when the engine does not close in time. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (!this.alive) return
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    await this.request({ op: 'close' }, timeoutMs).catch(() => undefined)
    await this.exited
    clearTimeout(timer)
  }

  /** Kills every engine process still running (for afterAll, and on failure). */
  static async killAll(): Promise<void> {
    await Promise.all([...running].map((e) => e.kill()))
  }
}
