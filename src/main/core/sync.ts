import { io, type Socket } from 'socket.io-client'
import type { Connection, ConnectionState } from '../../shared/ipc'
import {
  ChangesEvent,
  isStaffRole,
  Person,
  serverEvents,
  SessionEndedEvent,
  type ChangeSet,
  type ClientToServerEvents,
  type Me,
  type ServerToClientEvents,
} from '../../shared/protocol'
import { ApiError, PortalApi } from './api'
import type { Applied, CacheStore } from './cache/store'
import { CoalescedRun } from '../../shared/coalesce'
import { EngineError } from './errors'
import type { EngineEvents } from './events'
import type { TokenStore } from './token-store'
import { nowIso } from '../../shared/clock'

export interface SyncOptions {
  /** Messages per change-feed page (the server allows up to 5000). */
  pageSize?: number
  /** Socket.IO reconnection delays, in ms. */
  reconnectDelayMs?: number
  reconnectDelayMaxMs?: number
  requestTimeoutMs?: number
}

export interface SyncHooks {
  /** After a batch is committed: notifications, prefetch. `live` is false for the initial sync. */
  onApplied(applied: Applied, live: boolean): void
  /** The connection came back (after its catch-up pull): send the outbox. */
  onOnline(): void
  /** The person's own record and preferences, at sign-in and after each catch-up. */
  onMe?(me: Me): void
}

const sessionCodes = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'PORTAL_ACCESS_DISABLED'])

/**
 * What a person reads when a question asked before signing in fails: the server does not answer,
 * or its own reason with its code (`fallback` when it sent none).
 */
function beforeSignInError(
  err: unknown,
  serverUrl: string,
  fallback: 'INVALID_CREDENTIALS' | 'INVALID_INPUT',
): unknown {
  if (err instanceof ApiError && err.kind === 'network')
    return new EngineError(
      'SERVER_UNREACHABLE',
      `${serverUrl} does not answer. Check the address and your connection.`,
    )
  if (err instanceof ApiError) return new EngineError((err.code as never) ?? fallback, err.message)
  return err
}

/**
 * Keeps the cache in step with the server. Pulls the change feed by cursor (the initial sync is
 * the same pull from 0, with progress); applies Socket.IO pushes at once without moving the
 * cursor; on every (re)connect pulls again, so a missed push is fetched. Holds the connection
 * state and its reason for the UI.
 */
export class Sync {
  api: PortalApi | null = null
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null
  private state: ConnectionState = 'signed-out'
  private reason: string | null = null
  private user: Person | null = null
  private readonly puller = new CoalescedRun(() => this.pullOnce(this.pullPhase))
  /** The phase of the run in progress: a call during it only asks for one more round of it. */
  private pullPhase: 'initial' | 'catch-up' = 'catch-up'
  private retryTimer: NodeJS.Timeout | null = null
  private closed = false
  private readonly pageSize: number

  constructor(
    private readonly store: CacheStore,
    private readonly events: EngineEvents,
    private readonly tokens: TokenStore,
    private readonly hooks: SyncHooks,
    private readonly options: SyncOptions = {},
  ) {
    // The server's largest page: fewer round trips and commits (100k messages synced in 6.9 s
    // instead of 8.3 s with 2000, before pipelining; scripts/bench.ts).
    this.pageSize = options.pageSize ?? 5000
    const user = store.getMeta('user')
    this.user = user ? Person.parse(JSON.parse(user)) : null
  }

  get online(): boolean {
    return this.state === 'online'
  }

  connection(): Connection {
    return {
      state: this.state,
      reason: this.reason,
      serverUrl: this.store.getMeta('serverUrl'),
      user: this.user,
      lastSyncedAt: this.store.getMeta('lastSyncedAt'),
    }
  }

  /** Resumes a session saved earlier: the cache is readable at once, the network catches up behind. */
  async resume(): Promise<Connection> {
    const serverUrl = this.store.getMeta('serverUrl')
    const token = await this.tokens.load()
    if (!serverUrl || !token || !this.user) return this.setState('signed-out', null)
    this.api = new PortalApi(serverUrl, token, this.options.requestTimeoutMs)
    this.setState('connecting', `Connecting to ${serverUrl}…`)
    this.connectSocket(serverUrl, token)
    return this.connection()
  }

  async signIn(serverUrl: string, email: string, password: string): Promise<Connection> {
    const api = new PortalApi(serverUrl, null, this.options.requestTimeoutMs)
    let session
    try {
      session = await api.signIn(email.trim().toLowerCase(), password)
    } catch (err) {
      throw beforeSignInError(err, serverUrl, 'INVALID_CREDENTIALS')
    }
    if (!isStaffRole(session.user.role)) {
      api.setToken(session.token)
      await api.signOut().catch(() => undefined)
      throw new EngineError(
        'FORBIDDEN',
        'Portal Inbox is for staff. Customers and subcontractors use the portal web page.',
      )
    }
    // Another person or server: nothing of the previous cache may remain.
    if (
      this.store.getMeta('userId') !== session.user.id ||
      this.store.getMeta('serverUrl') !== serverUrl
    )
      this.store.wipe()
    this.stopSocket()
    api.setToken(session.token)
    this.api = api
    this.user = session.user
    this.store.setSession(serverUrl, session.user)
    await this.tokens.save(session.token)
    this.setState('connecting', 'Downloading your conversations…')
    await Promise.all([this.rememberCompany(api), this.pull('initial')])
    this.connectSocket(serverUrl, session.token)
    return this.connection()
  }

  /**
   * Asks the server to mail a link that sets a new password (the way out of a sign-in lock, or
   * of a forgotten password). The answer is the server's sentence, the same for any address.
   */
  async requestPasswordReset(serverUrl: string, email: string): Promise<{ message: string }> {
    try {
      const { message } = await new PortalApi(
        serverUrl,
        null,
        this.options.requestTimeoutMs,
      ).forgotPassword(email.trim().toLowerCase())
      return { message }
    } catch (err) {
      throw beforeSignInError(err, serverUrl, 'INVALID_INPUT')
    }
  }

  async signOut(): Promise<void> {
    await this.api?.signOut().catch(() => undefined)
    this.stopSocket()
    this.api = null
    this.user = null
    await this.tokens.clear()
    this.setState('signed-out', null)
  }

  /**
   * Keeps the company's name in the cache, for what the desktop writes in it offline (a thread
   * exported as a PDF is headed by it). The change feed does not carry it; /me does. Asked at
   * sign-in and after each catch-up, so a rename arrives with the next reconnect; when the
   * question fails the name known before stays. The answer's preferences go to the onMe hook
   * (the desktop alert settings kept on the server).
   */
  private async rememberCompany(api: PortalApi): Promise<void> {
    try {
      const me = await api.me()
      if (this.closed || this.api !== api) return
      this.store.setCompany(me.company)
      this.hooks.onMe?.(me)
    } catch {
      // Kept from before; the next catch-up asks again.
    }
  }

  /** Pulls until the feed is exhausted. Concurrent calls coalesce into one more round. */
  pull(phase: 'initial' | 'catch-up' = 'catch-up'): Promise<void> {
    if (!this.puller.busy) this.pullPhase = phase
    return this.puller.run()
  }

  private async pullOnce(phase: 'initial' | 'catch-up'): Promise<void> {
    const api = this.api
    if (!api) return
    const start = this.store.cursor
    let cursor = start
    let next = api.changes(cursor, this.pageSize)
    for (;;) {
      const page = await next
      // Ask for the next page before applying this one: the server reads and encodes page n+1
      // while this process parses and applies page n, so the two processes work at the same
      // time instead of taking turns (scripts/bench.ts, `sync.msgs_per_s`). The cursor is the
      // server's, so the request is the one the loop would have sent next anyway.
      if (page.hasMore) {
        next = api.changes(page.cursor, this.pageSize)
        // Awaited next round; if applying this page throws, nobody will, and that is fine.
        next.catch(() => undefined)
        // Let the request leave before the synchronous apply below holds this thread: axios
        // sends it only after a few promise turns, so without this the server heard of page n+1
        // only once page n was applied and the two still took turns (`npm run bench`, 100k
        // messages: 17–18k messages/s without the yield, 22–26k with it).
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
      const applied = this.store.apply(page.changes, page.cursor)
      cursor = page.cursor
      this.afterApply(applied, phase !== 'initial' || start > 0)
      this.events.emit('syncProgress', {
        done: cursor - start,
        total: Math.max(page.head - start, cursor - start),
        phase,
      })
      if (!page.hasMore) break
    }
    this.store.setMeta('lastSyncedAt', nowIso(this.store.clock))
  }

  /** Applies one live push; the cursor stays where the last pull left it. */
  applyPush(changes: ChangeSet): void {
    this.afterApply(this.store.apply(changes), true)
  }

  private afterApply(applied: Applied, live: boolean): void {
    if (applied.threadIds.size || applied.projects || applied.people || applied.settings) {
      this.events.changed({
        threadIds: [...applied.threadIds],
        projects: applied.projects,
        people: applied.people,
        settings: applied.settings,
      })
    }
    this.hooks.onApplied(applied, live)
  }

  private connectSocket(serverUrl: string, token: string): void {
    this.stopSocket()
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(serverUrl, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: this.options.reconnectDelayMs ?? 500,
      reconnectionDelayMax: this.options.reconnectDelayMaxMs ?? 10_000,
      randomizationFactor: 0.5,
      timeout: this.options.requestTimeoutMs ?? 20_000,
    })
    this.socket = socket
    socket.on('connect', () => void this.catchUp())
    // The types are the server's promise; what arrives is parsed all the same.
    socket.on(serverEvents.changes, (payload: unknown) => {
      const event = ChangesEvent.safeParse(payload)
      if (event.success) this.applyPush(event.data.changes)
    })
    socket.on(serverEvents.sessionEnded, (payload: unknown) => {
      const ended = SessionEndedEvent.safeParse(payload)
      this.stopSocket()
      this.setState(
        'signed-out',
        ended.success ? ended.data.message : 'Your session ended. Sign in again.',
      )
    })
    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return
      if (reason === 'io client disconnect') return
      this.setState('offline', this.offlineReason())
    })
    socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      if (this.socket !== socket) return
      if (err.data?.code && sessionCodes.has(err.data.code)) {
        this.stopSocket()
        this.setState('signed-out', err.data.message ?? 'Your session ended. Sign in again.')
        return
      }
      this.setState('offline', this.offlineReason())
    })
  }

  private async catchUp(): Promise<void> {
    // A reconnect or retry that fires while the engine closes must not touch the closed database.
    if (this.closed) return
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.setState('connecting', 'Catching up…')
    try {
      await this.pull('catch-up')
      if (this.socket?.connected) this.setState('online', null)
      this.hooks.onOnline()
      if (this.api) void this.rememberCompany(this.api)
    } catch (err) {
      const e = err instanceof ApiError ? err : null
      if (e?.code && sessionCodes.has(e.code)) {
        this.stopSocket()
        this.setState('signed-out', e.message)
        return
      }
      this.setState(
        e?.kind === 'server' ? 'server-error' : 'offline',
        e?.kind === 'server'
          ? `The portal server has a problem: ${e.message}`
          : this.offlineReason(),
      )
      this.scheduleCatchUp()
    }
  }

  private scheduleCatchUp(delayMs = 2000): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => void this.catchUp(), delayMs)
    this.retryTimer.unref()
  }

  /**
   * Called by the outbox when a send finds no network, so the indicator says so at once.
   *
   * The socket may still be connected: a stalled network times a request out long before
   * Socket.IO's ping timeout (45 s) notices, and a connection that outlives the stall never
   * disconnects at all. Then no 'connect' comes to catch up and go online again, and the outbox,
   * which sends only while online, would wait for ever (the fault suite's blackhole found it).
   * So probe with a catch-up pull a second later, which retries every 2 s until the network
   * answers.
   */
  reportNetworkError(): void {
    if (this.state !== 'online') return
    this.setState('offline', this.offlineReason())
    if (this.socket?.connected) this.scheduleCatchUp(1000)
  }

  /**
   * The reason says nothing of the outbox: counted here it was frozen at the moment the
   * connection went, while the outbox kept changing. The UI counts the outbox itself, from the
   * list it shows.
   */
  private offlineReason(): string {
    if (this.closed) return 'Closed.'
    return 'No connection to the portal server; reconnecting. Reading and search work offline.'
  }

  private setState(state: ConnectionState, reason: string | null): Connection {
    if (state !== this.state || reason !== this.reason) {
      this.state = state
      this.reason = reason
      this.events.emit('connection', this.connection())
    }
    return this.connection()
  }

  private stopSocket(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    if (this.socket) {
      const s = this.socket
      this.socket = null
      s.removeAllListeners()
      s.disconnect()
    }
  }

  close(): void {
    this.closed = true
    this.stopSocket()
  }

  /** Resolves when no pull is running: the engine waits for it before closing the database. */
  get settled(): Promise<void> {
    return this.puller.idle.catch(() => undefined)
  }
}
