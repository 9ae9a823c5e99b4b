import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { vi } from 'vitest'
import type { EngineApi, IpcEvent, IpcEvents } from '../../src/shared/ipc'
import { Engine, type EngineOptions } from '../../src/main/core/engine'
import { createHandlers } from '../../src/main/core/handlers'
import { MemoryTokenStore } from '../../src/main/core/token-store'
import { testClock } from './clock'

export interface TestEngine {
  engine: Engine
  api: EngineApi
  dataDir: string
  tokens: MemoryTokenStore
  /** Resolves with the first event of that name matching the predicate. */
  next<K extends IpcEvent>(
    event: K,
    predicate?: (payload: IpcEvents[K]) => boolean,
    timeoutMs?: number,
  ): Promise<IpcEvents[K]>
  /** Polls until the check passes (the engine works asynchronously). */
  until<T>(check: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<NonNullable<T>>
  /** Waits until the engine's cache holds this thread (written on the server); answers its id. */
  sees(threadId: string | Promise<string>): Promise<string>
  close(): Promise<void>
}

/** An engine in this process over a temp data dir, as the Electron main process would run it. */
export async function openEngine(
  options: Partial<EngineOptions> & { dataDir?: string } = {},
): Promise<TestEngine> {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'portal-engine-')))
  const tokens = (options.tokens as MemoryTokenStore | undefined) ?? new MemoryTokenStore()
  const engine = await Engine.open({
    dataDir,
    tokens,
    prefetch: false,
    clock: testClock,
    sync: { reconnectDelayMs: 100, reconnectDelayMaxMs: 500, ...options.sync },
    ...options,
  })
  const api = createHandlers(engine)
  const until: TestEngine['until'] = (check, what, timeoutMs = 10_000) => {
    return vi.waitFor(
      async () => {
        const value = await check()
        if (!value) throw new Error(`timed out waiting for ${what}`)
        return value as NonNullable<typeof value>
      },
      { timeout: timeoutMs, interval: 25 },
    )
  }
  return {
    engine,
    api,
    dataDir,
    tokens,
    next(event, predicate = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off()
          reject(new Error(`no ${event} event within ${timeoutMs} ms`))
        }, timeoutMs)
        const off = engine.events.on(event, (payload) => {
          if (!predicate(payload)) return
          clearTimeout(timer)
          off()
          resolve(payload)
        })
      })
    },
    until,
    async sees(threadId) {
      const id = await threadId
      await until(() => engine.store.thread(id), `thread ${id} to arrive`)
      return id
    },
    close: () => engine.close(),
  }
}
