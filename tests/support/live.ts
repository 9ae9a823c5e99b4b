import { io, type Socket } from 'socket.io-client'
import { ChangesEvent, serverEvents } from '../../src/shared/protocol'
import type { Api } from './api'

export interface LiveSocket {
  socket: Socket
  /** Every 'changes' event so far, parsed. */
  changes: ChangesEvent[]
  /** The 'session:ended' payloads so far. */
  ended: { code: string; message: string }[]
  /** Whether a 'changes' event carried a message with this client id. */
  gotMessage(clientId: string): boolean
  /** Resolves when the server closed this socket (after a 'session:ended' or a refusal). */
  closed: Promise<string>
  close(): void
}

/** A Socket.IO connection as the desktop app makes it (token in `auth`), without reconnection. */
export function connectLive(who: Pick<Api, 'url' | 'token'>): Promise<LiveSocket> {
  return new Promise((resolve, reject) => {
    const socket = io(who.url, {
      auth: { token: who.token },
      transports: ['websocket'],
      reconnection: false,
    })
    const changes: ChangesEvent[] = []
    const ended: { code: string; message: string }[] = []
    socket.on(serverEvents.changes, (payload: unknown) => changes.push(ChangesEvent.parse(payload)))
    socket.on(serverEvents.sessionEnded, (payload: { code: string; message: string }) =>
      ended.push(payload),
    )
    const closed = new Promise<string>((done) =>
      socket.once('disconnect', (reason) => done(reason)),
    )
    socket.once('connect', () =>
      resolve({
        socket,
        changes,
        ended,
        closed,
        gotMessage: (clientId) =>
          changes.some((e) => e.changes.messages.some((m) => m.clientId === clientId)),
        close: () => socket.disconnect(),
      }),
    )
    socket.once('connect_error', reject)
  })
}
