/**
 * An engine in a process of its own, for fault suites that SIGKILL it and start it again on the
 * same data dir, as a crash of the desktop app would. The parent (tests/support/engine-child.ts)
 * forks it with `node --import tsx tests/support/engine-process.ts <dataDir> [--deferred]` (with
 * --deferred it opens the engine only when told to) and drives it over
 * Node IPC: every IPC contract method, plus a few test operations (the cache's view and its
 * hash, a burst of replies acknowledged one by one).
 *
 * The "person" at this keyboard answers held replies with "send anyway" when told to, so a
 * reply held because a customer wrote in the meantime is still delivered.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { Engine } from '../../src/main/core/engine'
import { createHandlers, errorBody } from '../../src/main/core/handlers'
import type { TokenStore } from '../../src/main/core/token-store'
import type { IpcMethod } from '../../src/shared/ipc'
import { cacheView, hashView } from './view'
import { clockFromSpec } from '../../src/shared/clock'

/** The session token in a file beside the cache, written atomically: it survives a SIGKILL. */
export class FileTokenStore implements TokenStore {
  constructor(private readonly file: string) {}

  async load(): Promise<string | null> {
    try {
      return (JSON.parse(await fs.readFile(this.file, 'utf8')) as { token: string }).token
    } catch {
      return null
    }
  }

  async save(token: string): Promise<void> {
    const tmp = `${this.file}.tmp`
    const handle = await fs.open(tmp, 'w')
    try {
      await handle.writeFile(JSON.stringify({ token }))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(tmp, this.file)
  }

  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true })
  }
}

/** Requests from the parent. */
export type EngineRequest =
  | { id: number; op: 'call'; method: IpcMethod; input: unknown }
  | { id: number; op: 'view' }
  | { id: number; op: 'state' }
  | { id: number; op: 'reply'; thread: string; body: string }
  | { id: number; op: 'burst'; thread: string; prefix: string; count: number; pauseMs: number }
  | { id: number; op: 'sendHeldAnyway'; enabled: boolean }
  | { id: number; op: 'close' }

/** What the child sends back: answers to requests, and events. */
export type EngineMessage =
  | { type: 'loaded'; pid: number }
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'ack'; body: string; outboxId: number }
  | { type: 'held'; outboxId: number }
  | { type: 'failed'; outboxId: number; code: string | null; error: string | null; summary: string }

const send = (message: EngineMessage) => process.send?.(message)

async function main(): Promise<void> {
  const dataDir = process.argv[2]
  if (!dataDir || !process.send) {
    console.error(
      'usage: node --import tsx engine-process.ts <dataDir> [--deferred] (forked with an IPC channel)',
    )
    process.exit(2)
  }
  if (process.argv.includes('--deferred')) {
    // Loaded but not open: a crash suite forks the next process while the last one still runs
    // and tells it to open once the last one is dead and its cache file checked.
    send({ type: 'loaded', pid: process.pid })
    await new Promise<void>((resolve) => {
      const onOpen = (m: { op?: string }) => {
        if (m?.op !== 'open') return
        process.off('message', onOpen)
        resolve()
      }
      process.on('message', onOpen)
    })
  }
  const tokens = new FileTokenStore(path.join(dataDir, 'token.json'))
  const engine = await Engine.open({
    dataDir,
    tokens,
    prefetch: false,
    clock: clockFromSpec(process.env.PORTAL_CLOCK),
    // Short timeouts so a blackholed request fails within a fault window, as a person on a bad
    // network would see it; quick reconnects so the suite's time goes to faults, not waiting.
    sync: { reconnectDelayMs: 100, reconnectDelayMaxMs: 1000, requestTimeoutMs: 3000 },
  })
  const api = createHandlers(engine)
  const counts = { heldSentAnyway: 0, failed: 0 }
  const reportedFailures = new Set<number>()
  let sendHeldAnyway = false

  /** A conversation created here changes id when the server confirms it: find it by either. */
  const resolveThread = (idOrClientId: string): string => {
    if (engine.store.thread(idOrClientId)) return idOrClientId
    const row = engine.store.db
      .prepare('SELECT id FROM threads WHERE client_id = ?')
      .get(idOrClientId) as { id: string } | undefined
    return row?.id ?? idOrClientId
  }

  const reply = async (thread: string, body: string) => {
    const result = await api.reply({ threadId: resolveThread(thread), body })
    send({ type: 'ack', body, outboxId: result.outboxId })
    return result
  }

  // The person watching the outbox: held replies go anyway, failures are reported once. They
  // look whenever the outbox changes (and every 200 ms besides), so a held reply waits for the
  // suite's network, not for a slow reader.
  const look = () => {
    try {
      for (const entry of engine.outbox.list()) {
        if (entry.state === 'held' && sendHeldAnyway) {
          engine.outbox.sendAnyway(entry.id)
          counts.heldSentAnyway++
          send({ type: 'held', outboxId: entry.id })
        }
        if (entry.state === 'failed' && !reportedFailures.has(entry.id)) {
          reportedFailures.add(entry.id)
          counts.failed++
          send({
            type: 'failed',
            outboxId: entry.id,
            code: entry.errorCode,
            error: entry.error,
            summary: entry.summary,
          })
        }
      }
    } catch {
      // The engine is closing.
    }
  }
  let looking = false
  // The view's hash, computed again only after the cache changed: polling an idle engine is cheap
  // and does not take the CPU from engines that are still catching up.
  let cachedHash: string | null = null
  engine.events.on('changed', () => (cachedHash = null))
  const currentHash = () => (cachedHash ??= hashView(cacheView(engine.store.db)))
  engine.events.on('changed', (change) => {
    if (!change.outbox || looking) return
    looking = true
    setImmediate(() => {
      looking = false
      look()
    })
  })
  const watch = setInterval(look, 200)

  const handle = async (request: EngineRequest): Promise<unknown> => {
    switch (request.op) {
      case 'call':
        return (api[request.method] as (input: unknown) => Promise<unknown>)(request.input)
      case 'view': {
        // Always fresh: this is what a suite's final comparison uses.
        const view = cacheView(engine.store.db)
        return { view, hash: hashView(view) }
      }
      case 'state': {
        // The hash only matters once the outbox is empty; skipping it keeps polling cheap.
        const outbox = engine.outbox.pendingCount()
        return {
          connection: engine.sync.connection().state,
          outbox,
          ...counts,
          hash: outbox === 0 ? currentHash() : null,
        }
      }
      case 'reply':
        return reply(request.thread, request.body)
      case 'burst': {
        // Replies one after another, each acknowledged to the parent as soon as the outbox holds
        // it; the parent kills this process somewhere in the middle.
        let written = 0
        for (let i = 0; i < request.count; i++) {
          await reply(request.thread, `${request.prefix}${i}`)
          written++
          await new Promise((r) =>
            request.pauseMs > 0 ? setTimeout(r, request.pauseMs) : setImmediate(r),
          )
        }
        return { written }
      }
      case 'sendHeldAnyway':
        sendHeldAnyway = request.enabled
        return { ok: true }
      case 'close':
        clearInterval(watch)
        await engine.close()
        setImmediate(() => process.exit(0))
        return { ok: true }
    }
  }

  process.on('message', (request: EngineRequest) => {
    handle(request).then(
      (value) => send({ type: 'result', id: request.id, ok: true, value: value ?? null }),
      (err: unknown) => {
        const body = errorBody(err)
        send({
          type: 'result',
          id: request.id,
          ok: false,
          error: {
            code: body.code,
            message: body.code === 'INTERNAL' ? String(err) : body.message,
          },
        })
      },
    )
  })
  // The parent went away: do not outlive it.
  process.on('disconnect', () => process.exit(0))
  send({ type: 'ready', pid: process.pid })
}

main().catch((err: unknown) => {
  console.error('engine process failed to start:', err)
  process.exit(1)
})
