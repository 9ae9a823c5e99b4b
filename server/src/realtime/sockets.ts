import type { Server, Socket } from 'socket.io'
import type {
  ClientToServerEvents,
  ErrorCode,
  ServerToClientEvents,
} from '../../../src/shared/protocol'
import { serverEvents } from '../../../src/shared/protocol'
import type { Caller } from '../domain/caller'

/** What the server keeps on each socket, from its handshake. */
export interface SocketData {
  caller: Caller
  tokenHash: string
  /** When the session ends by itself: the socket is closed then, not left listening. */
  expiresAt: string
}

export type PortalIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>
export type PortalSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>

/** A socket here or (with an adapter) on another node, as fetchSockets() gives them. */
export type AnySocket = Awaited<ReturnType<PortalIo['fetchSockets']>>[number] | PortalSocket

/** Room names. Each audience has its own rooms, so an internal note is never emitted where a customer listens. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  companyStaff: (id: string) => `company:${id}:staff`,
  companyAdmin: (id: string) => `company:${id}:admin`,
  companyCustomer: (id: string) => `company:${id}:customer`,
  projectStaff: (id: string) => `project:${id}:staff`,
  projectCustomer: (id: string) => `project:${id}:customer`,
  threadStaff: (id: string) => `thread:${id}:staff`,
  threadCustomer: (id: string) => `thread:${id}:customer`,
}

/** Tells a socket why its session ended, then closes it. */
export function end(socket: AnySocket, code: ErrorCode, message: string): void {
  socket.emit(serverEvents.sessionEnded, { code, message })
  socket.disconnect(true)
}
