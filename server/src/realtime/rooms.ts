import { clientEvents, JoinRequest, type JoinReply } from '../../../src/shared/protocol'
import { isAdmin, isStaff, type Caller } from '../domain/caller'
import type { LiveRepository } from '../repositories/live'
import { rooms, type AnySocket, type PortalSocket } from './sockets'

const BAD_ROOM: JoinReply = {
  ok: false,
  error: {
    code: 'VALIDATION_FAILED',
    message: 'Send { room: "company" | "project:<id>" | "thread:<id>" }.',
  },
}

/**
 * Which rooms a person may be in: the ones they are put in on connecting (their company's,
 * their projects' and threads' in their audience), and the ones they ask for, authorised on
 * join and again whenever their access changes.
 */
export class RoomGuard {
  constructor(private readonly live: LiveRepository) {}

  /** The concrete rooms a request for `room` maps to for this caller; empty when not allowed. */
  async authorize(caller: Caller, room: string): Promise<string[]> {
    if (room === 'company')
      return isStaff(caller)
        ? [
            rooms.companyStaff(caller.companyId),
            ...(isAdmin(caller) ? [rooms.companyAdmin(caller.companyId)] : []),
          ]
        : []
    const [kind, id = ''] = room.split(':')
    if (kind === 'thread') {
      if (!(await this.live.threadVisible(caller, id))) return []
      return [isStaff(caller) ? rooms.threadStaff(id) : rooms.threadCustomer(id)]
    }
    if (kind === 'project') {
      const project = await this.live.projectFor(caller, id)
      if (!project) return []
      if (isAdmin(caller)) return [rooms.projectStaff(id)]
      if (!project.member) return []
      return [isStaff(caller) ? rooms.projectStaff(id) : rooms.projectCustomer(id)]
    }
    return []
  }

  async defaultRooms(caller: Caller): Promise<string[]> {
    const list = [rooms.user(caller.id)]
    const { projectIds, threadIds } = await this.live.memberships(caller.id)
    if (isStaff(caller)) {
      list.push(rooms.companyStaff(caller.companyId))
      if (isAdmin(caller)) list.push(rooms.companyAdmin(caller.companyId))
      else list.push(...projectIds.map(rooms.projectStaff), ...threadIds.map(rooms.threadStaff))
    } else {
      list.push(
        rooms.companyCustomer(caller.companyId),
        ...projectIds.map(rooms.projectCustomer),
        ...threadIds.map(rooms.threadCustomer),
      )
    }
    return list
  }

  /** Answers a socket's join and leave requests. Payloads are parsed: the types are the client's promise only. */
  listen(socket: PortalSocket): void {
    socket.on(clientEvents.join, async (payload, ack) => {
      const reply = await this.join(socket, payload)
      if (typeof ack === 'function') ack(reply)
    })
    socket.on(clientEvents.leave, async (payload, ack) => {
      const parsed = JoinRequest.safeParse(payload)
      if (!parsed.success) return ack?.(BAD_ROOM)
      for (const room of socket.rooms)
        if (room.startsWith(`${parsed.data.room}:`)) await socket.leave(room)
      ack?.({ ok: true, room: parsed.data.room })
    })
  }

  private async join(socket: PortalSocket, payload: unknown): Promise<JoinReply> {
    const parsed = JoinRequest.safeParse(payload)
    if (!parsed.success) return BAD_ROOM
    const target = await this.authorize(socket.data.caller, parsed.data.room)
    if (!target.length) {
      return {
        ok: false,
        error: {
          code: parsed.data.room === 'company' ? 'FORBIDDEN' : 'NOT_FOUND',
          message: 'That room does not exist or you do not have access to it.',
        },
      }
    }
    await socket.join(target)
    return { ok: true, room: parsed.data.room }
  }

  /** Moves a socket to the rooms its person may see now: out of those no longer allowed, into their own. */
  async recheck(socket: AnySocket, caller: Caller): Promise<void> {
    socket.data.caller = caller
    for (const room of socket.rooms) {
      if (room === socket.id || room === rooms.user(caller.id)) continue
      const [kind, id] = room.split(':')
      const request = kind === 'company' ? 'company' : `${kind}:${id}`
      const allowed = await this.authorize(caller, request)
      if (!allowed.includes(room)) socket.leave(room)
    }
    socket.join(await this.defaultRooms(caller))
  }
}
