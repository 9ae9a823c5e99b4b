import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import type { Clock } from '../../../src/shared/clock'
import type { Changed } from '../domain/changed'
import type { LiveRepository } from '../repositories/live'
import type { SessionRepository } from '../repositories/sessions'
import { sha256 } from '../util'
import { checkHandshakes } from './handshake'
import { ChangePusher } from './push'
import { RoomGuard } from './rooms'
import { end, rooms, type PortalIo, type PortalSocket } from './sockets'

export { MAX_SOCKETS_PER_PERSON, MAX_SOCKETS_PER_SESSION } from './handshake'

/** setTimeout's longest delay; a later expiry is caught by the scheduled re-check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Live delivery over Socket.IO. The session token is checked in the handshake (./handshake.ts);
 * each socket is put in the rooms its person may see, asked-for rooms are authorised on join, and
 * rooms are checked again whenever that person's access changes (./rooms.ts); a committed write is
 * pushed to the rooms that may see it (./push.ts). A push is only a hint to apply at once: clients
 * still pull the change feed after every reconnect, so a missed push is never a lost change.
 * Here: the life of a connection, which ends with its session.
 */
export class Realtime {
  readonly io: PortalIo
  private readonly rooms: RoomGuard
  private readonly pusher: ChangePusher

  constructor(
    httpServer: HttpServer,
    private readonly sessions: SessionRepository,
    live: LiveRepository,
    private readonly log: { warn(obj: object, msg: string): void },
    private readonly clock: Clock,
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      cors: { origin: false },
    })
    this.rooms = new RoomGuard(live)
    this.pusher = new ChangePusher(this.io, live)
    checkHandshakes(this.io, sessions)
    this.io.on('connection', (socket) => void this.onConnection(socket))
  }

  private async onConnection(socket: PortalSocket): Promise<void> {
    const expiry = this.scheduleExpiry(socket)
    socket.once('disconnect', () => clearTimeout(expiry))
    try {
      await socket.join(await this.rooms.defaultRooms(socket.data.caller))
    } catch (err) {
      this.log.warn({ err: String(err) }, 'could not place socket in its rooms')
    }
    this.rooms.listen(socket)
  }

  /** Re-checks every socket of these people: ends those that lost access, moves the rest to the rooms they may now see. */
  async refreshAccess(userIds: Iterable<string>): Promise<void> {
    for (const userId of userIds) {
      const sockets = await this.io.in(rooms.user(userId)).fetchSockets()
      if (!sockets.length) continue
      const now = await this.sessions.currentCaller(userId)
      for (const socket of sockets) {
        if (now.caller) await this.rooms.recheck(socket, now.caller)
        else
          end(
            socket,
            now.ended?.code ?? 'UNAUTHENTICATED',
            now.ended?.message ?? 'Your account was removed.',
          )
      }
    }
  }

  /** A socket lives no longer than its session: at the session's end it is told so and closed. */
  private scheduleExpiry(socket: PortalSocket): NodeJS.Timeout {
    const ms = Date.parse(socket.data.expiresAt) - this.clock.now()
    const timer = setTimeout(
      () => {
        if (Date.parse(socket.data.expiresAt) > this.clock.now()) {
          // Longer than one timer can wait: look again later.
          this.scheduleExpiry(socket)
          return
        }
        end(socket, 'SESSION_EXPIRED', 'Your session has expired. Sign in again.')
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    )
    timer.unref()
    return timer
  }

  /** Ends the live connections opened with a token that was just signed out. */
  async endSession(userId: string, token: string): Promise<void> {
    await this.endSessions(userId, { onlyHash: sha256(token), message: 'You signed out.' })
  }

  /** Ends a person's live connections (all, all but one session, or one session), saying why. */
  async endSessions(
    userId: string,
    options: { exceptHash?: string; onlyHash?: string; message: string },
  ): Promise<void> {
    for (const socket of await this.io.in(rooms.user(userId)).fetchSockets()) {
      const hash = socket.data.tokenHash
      if (options.exceptHash && hash === options.exceptHash) continue
      if (options.onlyHash && hash !== options.onlyHash) continue
      end(socket, 'SESSION_EXPIRED', options.message)
    }
  }

  /**
   * Checks every connected socket's session again: one that was revoked or expired meanwhile (on
   * any node, or while a timer could not fire) is told so and closed. Runs on the server's schedule.
   */
  async recheckSessions(): Promise<number> {
    const sockets = await this.io.local.fetchSockets()
    const ended = await this.sessions.ended([...new Set(sockets.map((s) => s.data.tokenHash))])
    let closed = 0
    for (const socket of sockets) {
      const why = ended.get(socket.data.tokenHash)
      if (!why) continue
      end(socket, why.code, why.message)
      closed++
    }
    return closed
  }

  /** Pushes what a committed write changed: ends the sessions it ended, re-checks rooms, then sends. */
  async publish(changed: Changed): Promise<void> {
    if (changed.empty) return
    try {
      for (const ended of changed.endedSessions)
        await this.endSessions(ended.userId, {
          exceptHash: ended.exceptHash,
          message: ended.message,
        })
      if (changed.accessUserIds.size) await this.refreshAccess(changed.accessUserIds)
      await this.pusher.push(changed)
    } catch (err) {
      // Clients catch up from the feed on their next pull; a failed push must not fail the write.
      this.log.warn({ err: String(err) }, 'live push failed')
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.io.close(() => resolve()))
  }
}
