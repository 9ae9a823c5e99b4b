// The renderer's one way to the engine. In Electron the preload exposes `window.portalInbox`;
// in a browser (the headless host) the same contract travels over a WebSocket. Either way the
// rest of the renderer sees the same typed EngineApi and events.
import type {
  DownloadReport,
  EngineApi,
  EngineErrorBody,
  IpcEvent,
  IpcEvents,
} from '../../shared/ipc'
import { ipcMethodNames } from '../../shared/ipc-names'
import { decodeValue, encodeValue, type HostMessage } from '../../shared/ipc-wire'

export type Bridge = EngineApi & {
  on<K extends IpcEvent>(event: K, listener: (payload: IpcEvents[K]) => void): () => void
  /** Electron's application menu: the command of the item chosen ("compose", "send", …). */
  onCommand?(listener: (command: string) => void): () => void
  /** Electron only: how each file the page saved ended (src/main/electron/downloads.ts). */
  onDownload?(listener: (report: DownloadReport) => void): () => void
  platform: 'electron' | 'browser'
}

export class EngineCallError extends Error {
  constructor(
    readonly code: EngineErrorBody['code'],
    message: string,
  ) {
    super(message)
  }
}

declare global {
  interface Window {
    portalInbox?: Bridge
  }
}

export function connectEngine(): Bridge {
  if (window.portalInbox) return window.portalInbox
  return browserBridge()
}

function browserBridge(): Bridge {
  const token =
    new URLSearchParams(location.hash.slice(1)).get('token') ??
    sessionStorage.getItem('portal-inbox-token') ??
    ''
  // Keep the token for reloads of this tab only, and take it out of the address bar.
  sessionStorage.setItem('portal-inbox-token', token)
  if (location.hash) history.replaceState(null, '', location.pathname + location.search)

  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let socket: WebSocket
  let ready: Promise<void>

  const open = () => {
    socket = new WebSocket(
      `${location.origin.replace(/^http/, 'ws')}/ipc?token=${encodeURIComponent(token)}`,
    )
    ready = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true })
      socket.addEventListener(
        'error',
        () =>
          reject(
            new EngineCallError(
              'SERVER_UNREACHABLE',
              'Portal Inbox’s engine is not reachable. Is `npm run start:web` still running?',
            ),
          ),
        { once: true },
      )
    })
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as HostMessage
      if ('event' in message) {
        for (const listener of listeners.get(message.event) ?? [])
          listener(decodeValue(message.payload))
        return
      }
      const call = pending.get(message.id)
      if (!call) return
      pending.delete(message.id)
      if ('error' in message)
        call.reject(
          new EngineCallError(message.error.code as EngineErrorBody['code'], message.error.message),
        )
      else call.resolve(decodeValue(message.result))
    })
    socket.addEventListener('close', () => {
      for (const call of pending.values())
        call.reject(
          new EngineCallError(
            'SERVER_UNREACHABLE',
            'The connection to Portal Inbox’s engine closed.',
          ),
        )
      pending.clear()
      setTimeout(open, 1000)
    })
  }
  open()

  const methods = Object.fromEntries(
    ipcMethodNames.map((method) => [
      method,
      async (input: unknown) => {
        await ready
        const id = nextId++
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject })
          socket.send(JSON.stringify({ id, method, input: encodeValue(input ?? {}) }))
        })
      },
    ]),
  ) as unknown as EngineApi

  return {
    ...methods,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    platform: 'browser',
  }
}
