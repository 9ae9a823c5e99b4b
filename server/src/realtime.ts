import type { Server as HttpServer } from 'node:http'
import type { Kysely } from 'kysely'
import { Server, type Socket } from 'socket.io'
import {
  clientEvents,
  JoinRequest,
  serverEvents,
  type ChangeSet,
  type ChangesEvent,
  type ErrorCode,
  type JoinReply,
} from '../../src/shared/protocol'
import type { Clock } from '../../src/shared/clock'
import type { Database } from './db/schema'
import { threadVisibleAs } from './repositories/visibility'
import { isAdmin, isStaff, type Caller } from './domain/caller'
import type { Changed } from './domain/changed'
import { publicSettings } from './domain/settings'
import { AppError } from './errors'
import { loadCompany } from './repositories/companies'
import { loadMessages, loadProjects, loadThreads, toPerson, toRead } from './repositories/entities'
import { assertPortalAccess, callerFromRow, type SessionRepository } from './repositories/sessions'
import { SESSION_COOKIE } from './plugins/auth'
import { sha256 } from './util'

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by
  if (n > 0) counts.set(key, n)
  else counts.delete(key)
}

/** Tells a socket why its session ended, then closes it. */
function end(
  socket: { emit(event: string, payload: unknown): unknown; disconnect(close?: boolean): unknown },
  code: ErrorCode,
  message: string,
): void {
  socket.emit(serverEvents.sessionEnded, { code, message })
  socket.disconnect(true)
}

interface SocketData {
  caller: Caller
  tokenHash: string
  /** When the session ends by itself: the socket is closed then, not left listening. */
  expiresAt: string
}
type PortalSocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  SocketData
>

/**
 * Live connections one sign-in and one person may hold (this node). A person has the desktop app
 * and some portal tabs on a few devices; hundreds on one token is a leak or an attack, and each
 * socket costs memory and a place in every room.
 */
export const MAX_SOCKETS_PER_SESSION = 20
export const MAX_SOCKETS_PER_PERSON = 50
/** setTimeout's longest delay; a later expiry is caught by the scheduled re-check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Room names. Each audience has its own rooms, so an internal note is never emitted where a customer listens. */
const rooms = {
  user: (id: string) => `user:${id}`,
  companyStaff: (id: string) => `company:${id}:staff`,
  companyAdmin: (id: string) => `company:${id}:admin`,
  companyCustomer: (id: string) => `company:${id}:customer`,
  projectStaff: (id: string) => `project:${id}:staff`,
  projectCustomer: (id: string) => `project:${id}:customer`,
  threadStaff: (id: string) => `thread:${id}:staff`,
  threadCustomer: (id: string) => `thread:${id}:customer`,
}

const emptySet = (): ChangeSet => ({
  people: [],
  projects: [],
  threads: [],
  messages: [],
  reads: [],
  settings: null,
  removedThreadIds: [],
})

function maxSeq(set: ChangeSet): number {
  return Math.max(
    0,
    ...[...set.people, ...set.projects, ...set.threads, ...set.messages, ...set.reads].map(
      (e) => e.seq,
    ),
  )
}

/**
 * The desktop app sends its token in `auth`; the customer portal's page has only its HttpOnly
 * cookie, which counts only when the page is our own origin (no cross-site WebSocket hijacking).
 */
function handshakeToken(handshake: {
  auth?: Record<string, unknown>
  headers: Record<string, string | string[] | undefined>
}): string | undefined {
  if (typeof handshake.auth?.token === 'string') return handshake.auth.token
  const cookie = String(handshake.headers.cookie ?? '').match(
    new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`),
  )?.[1]
  if (!cookie) return undefined
  const origin = String(handshake.headers.origin ?? '')
  const host = String(handshake.headers.host ?? '')
  try {
    if (new URL(origin).host !== host) return undefined
  } catch {
    return undefined
  }
  return decodeURIComponent(cookie)
}

/**
 * Live delivery over Socket.IO. The session token is checked in the handshake; each socket is put
 * in the rooms its person may see, asked-for rooms are authorised on join, and rooms are checked
 * again whenever that person's access changes. A push is only a hint to apply at once: clients
 * still pull the change feed after every reconnect, so a missed push is never a lost change.
 */
export class Realtime {
  readonly io: Server
  /** Open sockets per session hash and per person on this node, counted when a handshake is accepted. */
  private readonly perSession = new Map<string, number>()
  private readonly perPerson = new Map<string, number>()

  constructor(
    httpServer: HttpServer,
    private readonly db: Kysely<Database>,
    private readonly sessions: SessionRepository,
    private readonly log: { warn(obj: object, msg: string): void },
    private readonly clock: Clock,
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      cors: { origin: false },
    })
    this.io.use((socket, next) => {
      const token = handshakeToken(socket.handshake)
      this.sessions
        .resolveSession(token)
        .then(({ caller, tokenHash, expiresAt }) => {
          // Checked and counted in one synchronous step, so racing handshakes cannot all slip in.
          const refusal = this.overCap(tokenHash, caller.id)
          if (refusal) {
            next(
              Object.assign(new Error(refusal), {
                data: { code: 'TOO_MANY_CONNECTIONS', message: refusal },
              }),
            )
            return
          }
          bump(this.perSession, tokenHash, 1)
          bump(this.perPerson, caller.id, 1)
          socket.data.caller = caller
          socket.data.tokenHash = tokenHash
          socket.data.expiresAt = expiresAt
          next()
        })
        .catch((err: unknown) => {
          const e =
            err instanceof AppError ? err : new AppError('UNAUTHENTICATED', 'Sign in first.')
          next(Object.assign(new Error(e.message), { data: { code: e.code, message: e.message } }))
        })
    })
    this.io.on('connection', (socket: PortalSocket) => void this.onConnection(socket))
  }

  private overCap(tokenHash: string, userId: string): string | null {
    if ((this.perSession.get(tokenHash) ?? 0) >= MAX_SOCKETS_PER_SESSION)
      return `This sign-in already has ${MAX_SOCKETS_PER_SESSION} live connections open. Close some portal tabs or app windows, then reload.`
    if ((this.perPerson.get(userId) ?? 0) >= MAX_SOCKETS_PER_PERSON)
      return `Your account already has ${MAX_SOCKETS_PER_PERSON} live connections open. Close some portal tabs or app windows on your devices, then reload.`
    return null
  }

  private async onConnection(socket: PortalSocket): Promise<void> {
    const caller = socket.data.caller
    const expiry = this.scheduleExpiry(socket)
    socket.once('disconnect', () => {
      clearTimeout(expiry)
      bump(this.perSession, socket.data.tokenHash, -1)
      bump(this.perPerson, socket.data.caller.id, -1)
    })
    try {
      await socket.join(await this.defaultRooms(caller))
    } catch (err) {
      this.log.warn({ err: String(err) }, 'could not place socket in its rooms')
    }
    socket.on(clientEvents.join, async (payload: unknown, ack?: (reply: JoinReply) => void) => {
      const reply = await this.join(socket, payload)
      if (typeof ack === 'function') ack(reply)
    })
    socket.on(clientEvents.leave, async (payload: unknown, ack?: (reply: JoinReply) => void) => {
      const parsed = JoinRequest.safeParse(payload)
      if (!parsed.success)
        return ack?.({
          ok: false,
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Send { room: "company" | "project:<id>" | "thread:<id>" }.',
          },
        })
      for (const room of socket.rooms)
        if (room.startsWith(`${parsed.data.room}:`)) await socket.leave(room)
      ack?.({ ok: true, room: parsed.data.room })
    })
  }

  private async join(socket: PortalSocket, payload: unknown): Promise<JoinReply> {
    const parsed = JoinRequest.safeParse(payload)
    if (!parsed.success)
      return {
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Send { room: "company" | "project:<id>" | "thread:<id>" }.',
        },
      }
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

  /** The concrete rooms a request for `room` maps to for this caller; empty when not allowed. */
  private async authorize(caller: Caller, room: string): Promise<string[]> {
    if (room === 'company')
      return isStaff(caller)
        ? [
            rooms.companyStaff(caller.companyId),
            ...(isAdmin(caller) ? [rooms.companyAdmin(caller.companyId)] : []),
          ]
        : []
    const [kind, id = ''] = room.split(':')
    if (kind === 'thread') {
      const visible = await this.db
        .selectFrom('threads as t')
        .select('t.id')
        .where('t.id', '=', id)
        .where(threadVisibleAs(caller, 't'))
        .executeTakeFirst()
      return visible ? [isStaff(caller) ? rooms.threadStaff(id) : rooms.threadCustomer(id)] : []
    }
    if (kind === 'project') {
      const project = await this.db
        .selectFrom('projects')
        .select('id')
        .where('id', '=', id)
        .where('company_id', '=', caller.companyId)
        .executeTakeFirst()
      if (!project) return []
      if (isAdmin(caller)) return [rooms.projectStaff(id)]
      const member = await this.db
        .selectFrom('project_members')
        .select('user_id')
        .where('project_id', '=', id)
        .where('user_id', '=', caller.id)
        .executeTakeFirst()
      if (!member) return []
      return [isStaff(caller) ? rooms.projectStaff(id) : rooms.projectCustomer(id)]
    }
    return []
  }

  private async defaultRooms(caller: Caller): Promise<string[]> {
    const list = [rooms.user(caller.id)]
    const projects = await this.db
      .selectFrom('project_members')
      .select('project_id')
      .where('user_id', '=', caller.id)
      .execute()
    const threads = await this.db
      .selectFrom('thread_participants')
      .select('thread_id')
      .where('user_id', '=', caller.id)
      .execute()
    if (isStaff(caller)) {
      list.push(rooms.companyStaff(caller.companyId))
      if (isAdmin(caller)) list.push(rooms.companyAdmin(caller.companyId))
      else
        list.push(
          ...projects.map((p) => rooms.projectStaff(p.project_id)),
          ...threads.map((t) => rooms.threadStaff(t.thread_id)),
        )
    } else {
      list.push(
        rooms.companyCustomer(caller.companyId),
        ...projects.map((p) => rooms.projectCustomer(p.project_id)),
        ...threads.map((t) => rooms.threadCustomer(t.thread_id)),
      )
    }
    return list
  }

  /** Re-checks every socket of these people: ends those that lost access, moves the rest to the rooms they may now see. */
  async refreshAccess(userIds: Iterable<string>): Promise<void> {
    for (const userId of userIds) {
      const sockets = await this.io.in(rooms.user(userId)).fetchSockets()
      if (!sockets.length) continue
      const row = await this.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirst()
      let caller: Caller | null = null
      let ended: AppError | null = null
      if (row) {
        try {
          assertPortalAccess(row)
          caller = callerFromRow(row)
        } catch (err) {
          ended = err instanceof AppError ? err : null
        }
      }
      for (const socket of sockets) {
        if (!caller) {
          end(
            socket,
            ended?.code ?? 'UNAUTHENTICATED',
            ended?.message ?? 'Your account was removed.',
          )
          continue
        }
        socket.data.caller = caller
        for (const room of socket.rooms) {
          if (room === socket.id || room === rooms.user(userId)) continue
          const [kind, id] = room.split(':')
          const request = kind === 'company' ? 'company' : `${kind}:${id}`
          const allowed = await this.authorize(caller, request)
          if (!allowed.includes(room)) socket.leave(room)
        }
        socket.join(await this.defaultRooms(caller))
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

  /** Pushes what a committed write changed to every room that may see it, in the shape of a feed page. */
  async publish(changed: Changed): Promise<void> {
    if (changed.empty) return
    try {
      for (const ended of changed.endedSessions)
        await this.endSessions(ended.userId, {
          exceptHash: ended.exceptHash,
          message: ended.message,
        })
      if (changed.accessUserIds.size) await this.refreshAccess(changed.accessUserIds)
      await this.publishThreads(changed)
      await this.publishDirectory(changed)
      for (const { userId, threadId } of changed.removed)
        this.emit([rooms.user(userId)], { ...emptySet(), removedThreadIds: [threadId] })
    } catch (err) {
      // Clients catch up from the feed on their next pull; a failed push must not fail the write.
      this.log.warn({ err: String(err) }, 'live push failed')
    }
  }

  private async publishThreads(changed: Changed): Promise<void> {
    const messageRows = changed.messageIds.size
      ? await this.db
          .selectFrom('messages')
          .selectAll()
          .where('id', 'in', [...changed.messageIds])
          .execute()
      : []
    const readRows = changed.reads.length
      ? await this.db
          .selectFrom('reads')
          .selectAll()
          .where((eb) =>
            eb.or(
              changed.reads.map((r) =>
                eb.and([eb('message_id', '=', r.messageId), eb('user_id', '=', r.userId)]),
              ),
            ),
          )
          .execute()
      : []
    const threadIds = new Set([
      ...changed.threadIds,
      ...messageRows.map((m) => m.thread_id),
      ...readRows.map((r) => r.thread_id),
    ])
    if (!threadIds.size) return
    const threadRows = await this.db
      .selectFrom('threads')
      .selectAll()
      .where('id', 'in', [...threadIds])
      .execute()
    const [staffThreads, customerThreads, messages] = await Promise.all([
      loadThreads(this.db, threadRows, 'staff'),
      loadThreads(this.db, threadRows, 'customer'),
      loadMessages(this.db, messageRows),
    ])
    const readers = readRows.length
      ? await this.db
          .selectFrom('users')
          .select(['id', 'role'])
          .where('id', 'in', [...new Set(readRows.map((r) => r.user_id))])
          .execute()
      : []
    const staffReader = new Set(
      readers.filter((r) => r.role === 'admin' || r.role === 'staff').map((r) => r.id),
    )

    for (const row of threadRows) {
      const inThread = messages.filter((m) => m.threadId === row.id)
      const reads = readRows.filter((r) => r.thread_id === row.id).map(toRead)
      const staffSet: ChangeSet = {
        ...emptySet(),
        threads: staffThreads.filter((t) => t.id === row.id),
        messages: inThread,
        reads,
      }
      this.emit(
        [
          rooms.companyAdmin(row.company_id),
          rooms.projectStaff(row.project_id),
          rooms.threadStaff(row.id),
        ],
        staffSet,
      )

      const publicMessages = inThread.filter((m) => !m.internal)
      const onlyInternal = inThread.length > 0 && publicMessages.length === 0
      const threadTouched = changed.threadIds.has(row.id) && !onlyInternal
      if (publicMessages.length || threadTouched) {
        this.emit([rooms.threadCustomer(row.id)], {
          ...emptySet(),
          threads: customerThreads.filter((t) => t.id === row.id),
          messages: publicMessages,
        })
      }
      // Customers learn only their own read marks (for their unread counts on other devices).
      for (const read of reads.filter((r) => !staffReader.has(r.userId)))
        this.emit([rooms.user(read.userId)], { ...emptySet(), reads: [read] })
    }
  }

  private async publishDirectory(changed: Changed): Promise<void> {
    const companyId = changed.companyId
    const company =
      changed.settings || changed.projectIds.size ? await loadCompany(this.db, companyId) : null
    if (changed.projectIds.size && company) {
      const rows = await this.db
        .selectFrom('projects')
        .selectAll()
        .where('id', 'in', [...changed.projectIds])
        .execute()
      const projects = await loadProjects(this.db, rows, company.settings)
      this.emit([rooms.companyStaff(companyId)], { ...emptySet(), projects })
      for (const project of projects)
        this.emit([rooms.projectCustomer(project.id)], { ...emptySet(), projects: [project] })
    }
    if (changed.personIds.size) {
      const rows = await this.db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', [...changed.personIds])
        .execute()
      this.emit([rooms.companyStaff(companyId)], {
        ...emptySet(),
        people: rows.map((r) => toPerson(r, null)),
      })
    }
    if (changed.settings && company) {
      this.emit([rooms.companyStaff(companyId)], { ...emptySet(), settings: company.settings })
      this.emit([rooms.companyCustomer(companyId)], {
        ...emptySet(),
        settings: publicSettings(company.settings),
      })
    }
  }

  private emit(target: string[], changes: ChangeSet): void {
    const event: ChangesEvent = { seq: maxSeq(changes), changes }
    this.io.to(target).emit(serverEvents.changes, event)
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.io.close(() => resolve()))
  }
}
