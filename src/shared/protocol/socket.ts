import { z } from 'zod'
import { ChangeSet } from './api'
import { ErrorCodeSchema } from './errors'

/**
 * Socket.IO events. The token travels in the handshake (`auth: { token }`); every event the
 * server pushes carries the changed entities as a ChangeSet, with the seq of the newest one.
 * A client applies a push at once but advances its cursor only from pulls (docs/architecture.md).
 */
export const ChangesEvent = z.object({ seq: z.number().int(), changes: ChangeSet })
export type ChangesEvent = z.infer<typeof ChangesEvent>

/** A change set of just these parts, every other list empty (what a push of one kind carries). */
export function changeSetOf(parts: Partial<ChangeSet> = {}): ChangeSet {
  return {
    people: [],
    projects: [],
    threads: [],
    messages: [],
    reads: [],
    settings: null,
    removedThreadIds: [],
    ...parts,
  }
}

/** Rooms a client may ask for: its company (admins), a project (its team and contacts) or a thread. */
export const RoomName = z.union([
  z.literal('company'),
  z.string().regex(/^project:[0-9a-f-]{36}$/),
  z.string().regex(/^thread:[0-9a-f-]{36}$/),
])
export const JoinRequest = z.object({ room: RoomName })
export const JoinReply = z.union([
  z.object({ ok: z.literal(true), room: z.string() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: ErrorCodeSchema, message: z.string() }),
  }),
])
export type JoinReply = z.infer<typeof JoinReply>

/** Sent before the server disconnects a socket whose session ended or whose access was turned off. */
export const SessionEndedEvent = z.object({ code: ErrorCodeSchema, message: z.string() })

export const serverEvents = {
  changes: 'changes',
  sessionEnded: 'session:ended',
} as const
export const clientEvents = {
  join: 'room:join',
  leave: 'room:leave',
} as const
export type JoinRequest = z.infer<typeof JoinRequest>
export type SessionEndedEvent = z.infer<typeof SessionEndedEvent>

/**
 * What the server pushes, for Socket.IO's own generics (`Server<ClientToServerEvents,
 * ServerToClientEvents>`, `Socket<ServerToClientEvents, ClientToServerEvents>`). The types say
 * what a well-behaved side sends; each side still parses what it receives with the schemas above.
 */
export interface ServerToClientEvents {
  [serverEvents.changes]: (event: ChangesEvent) => void
  [serverEvents.sessionEnded]: (event: SessionEndedEvent) => void
}

/** What a client asks, each answered through the acknowledgement. */
export interface ClientToServerEvents {
  [clientEvents.join]: (request: JoinRequest, ack?: (reply: JoinReply) => void) => void
  [clientEvents.leave]: (request: JoinRequest, ack?: (reply: JoinReply) => void) => void
}
