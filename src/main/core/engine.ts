import fs from 'node:fs/promises'
import path from 'node:path'
import type { CacheDatabase as Database } from './cache/database'
import { gatherBatch } from '../../shared/alerts'
import type { NotificationEvent, NotificationPreferences } from '../../shared/ipc'
// issue 14: settings
import type { DesktopAlertState } from '../../shared/ipc'
import type { Attachment } from '../../shared/protocol'
import { Admin } from './admin'
import { openCache } from './cache/database'
import { preview } from './cache/messages'
import { CacheStore, type Applied } from './cache/store'
import { CoalescedRun } from '../../shared/coalesce'
import { EngineEvents } from './events'
import { FileStore } from './files'
import { decide } from './notify'
import { DesktopAlertSettings } from './desktop-alerts'
import { Outbox } from './outbox'
import { Sync, type SyncOptions } from './sync'
import type { TokenStore } from './token-store'
import { nowDate, systemClock, type Clock } from '../../shared/clock'

export interface EngineOptions {
  /** Holds cache.sqlite, staged uploads and downloaded files. */
  dataDir: string
  tokens: TokenStore
  /** better-sqlite3 built for Electron's ABI (docs/architecture.md). */
  nativeBinding?: string
  sync?: SyncOptions
  /** Fetch small attachments ahead of time so they open offline. */
  prefetch?: boolean
  /**
   * Opens a file with the system's app (Electron: shell.openPath); resolves whether it opened.
   * Absent in the headless host and tests, where openAttachment only reports the file's path.
   */
  openPath?: (path: string) => Promise<boolean>
  /** What time it is (tests set it; see src/shared/clock.ts); the machine's clock by default. */
  clock?: Clock
}

/**
 * The desktop engine: the local cache, sync, the outbox, files, search and the notification
 * policy, in plain Node. The Electron glue and the headless host both serve its handler map.
 */
export class Engine {
  readonly events = new EngineEvents()
  readonly store: CacheStore
  readonly files: FileStore
  readonly outbox: Outbox
  readonly sync: Sync
  readonly admin: Admin
  private readonly desktopAlerts: DesktopAlertSettings
  readonly clock: Clock
  focus: { threadId: string | null; windowFocused: boolean } = {
    threadId: null,
    windowFocused: false,
  }
  // issue 14: settings
  /**
   * Whether the alerts can show and whether the tray paused them: the shell that shows them sets
   * this (Electron's NativeNotifications). The headless host shows none and has no system to ask.
   */
  desktopAlertState: () => DesktopAlertState = () => ({ os: 'unknown', pausedUntil: null })
  private closed = false
  private readonly prefetcher = new CoalescedRun(
    () => this.prefetchRound(),
    () => this.closed,
  )
  /** Attachments tried in the prefetch run in progress: one that failed is not asked again in it. */
  private prefetchTried = new Set<string>()

  private constructor(
    db: Database,
    readonly options: EngineOptions,
  ) {
    this.clock = options.clock ?? systemClock
    this.store = new CacheStore(db, this.clock)
    this.files = new FileStore(this.store, options.dataDir, this.events, this.clock)
    this.sync = new Sync(
      this.store,
      this.events,
      options.tokens,
      {
        onApplied: (a, live) => this.onApplied(a, live),
        onOnline: () => void this.outbox.kick({ now: true }),
        onMe: (me) => this.desktopAlerts.fromServer(me.preferences.desktop),
      },
      options.sync,
    )
    this.outbox = this.newOutbox()
    this.admin = new Admin(this.sync)
    this.desktopAlerts = new DesktopAlertSettings(this.store, () => this.sync.api)
  }

  /** The outbox sends only when the connection is online, which is after the catch-up pull: a reply is compared with what arrived while offline before it goes. */
  private newOutbox(): Outbox {
    return new Outbox(
      this.store,
      this.files,
      this.events,
      () => (this.sync.online ? this.sync.api : null),
      () => this.sync.reportNetworkError(),
      this.clock,
    )
  }

  static async open(options: EngineOptions): Promise<Engine> {
    await fs.mkdir(options.dataDir, { recursive: true })
    const db = openCache(path.join(options.dataDir, 'cache.sqlite'), {
      nativeBinding: options.nativeBinding,
    })
    const engine = new Engine(db, options)
    await engine.files.init()
    await engine.sync.resume()
    return engine
  }

  get me(): string {
    return this.store.me
  }

  notificationPreferences(): NotificationPreferences {
    return this.desktopAlerts.get()
  }

  setNotificationPreferences(patch: Partial<NotificationPreferences>): NotificationPreferences {
    return this.desktopAlerts.set(patch)
  }

  /** Marks threads unread on this desktop only (the server has no such mark); see markUnread in cache/local-writes.ts. */
  markUnread(threadIds: string[]): number {
    const marked = this.store.markUnread(threadIds)
    if (marked.length) {
      this.events.changed({ threadIds: marked })
      this.emitBadge()
    }
    return marked.length
  }

  /** The person opened a thread: a mark of markUnread is cleared. */
  threadOpened(threadId: string): void {
    const cleared = this.store.clearUnreadMarks([threadId])
    if (cleared.length) {
      this.events.changed({ threadIds: cleared })
      this.emitBadge()
    }
  }

  emitBadge(): void {
    this.events.emit('badge', { unread: this.store.unreadTotal() })
  }

  /** Downloads an attachment when needed and opens it with the system's app, where there is one. */
  async openAttachment(attachment: Attachment): Promise<{ opened: boolean; path: string }> {
    const file = await this.files.openableCopy(this.sync.api, attachment)
    if (!this.options.openPath) return { opened: false, path: file }
    return { opened: await this.options.openPath(file), path: file }
  }

  async signOut(): Promise<void> {
    this.outbox.stop()
    await this.sync.signOut()
    this.store.wipe()
    await this.files.wipe()
    // A fresh outbox for whoever signs in next.
    ;(this as { outbox: Outbox }).outbox = this.newOutbox()
    this.events.changed({ projects: true, people: true, settings: true, outbox: true })
    this.events.emit('badge', { unread: 0 })
  }

  private onApplied(applied: Applied, live: boolean): void {
    if (live) this.notify(applied)
    this.emitBadge()
    // Small files come down ahead of time, after the initial sync too, so they open offline.
    if (this.options.prefetch !== false && applied.newMessages.some((m) => m.attachments.length))
      void this.prefetch()
  }

  private notify(applied: Applied): void {
    if (!applied.newMessages.length) return
    const prefs = this.notificationPreferences()
    const now = nowDate(this.clock)
    const me = this.me
    // The directory is read once and each thread once per batch. A catch-up after a long
    // disconnect applies thousands of messages in a page, and reading every person and the thread
    // again for each message was most of its time: 10k missed messages took 6 s to catch up
    // (scripts/bench.ts, `catchup.ms`).
    const people = new Map(this.store.people().map((p) => [p.id, p]))
    const threads = new Map<string, ReturnType<CacheStore['thread']>>()
    const alerts: NotificationEvent[] = []
    for (const message of applied.newMessages) {
      let thread = threads.get(message.threadId)
      if (thread === undefined) {
        thread = this.store.thread(message.threadId)
        threads.set(message.threadId, thread)
      }
      if (!thread) continue
      const author = people.get(message.authorId) ?? null
      const decision = decide({
        message,
        thread,
        authorRole: author?.role ?? null,
        me,
        prefs,
        focus: this.focus,
        now,
      })
      if (decision !== 'urgent' && decision !== 'normal') continue
      alerts.push({
        kind: decision,
        threadId: thread.id,
        messageId: message.id,
        title: `${decision === 'urgent' ? 'Urgent: ' : ''}${author?.name ?? 'Someone'} · ${thread.projectName}`,
        body: `${thread.subject}: ${preview(message)}`.slice(0, 240),
        sound: prefs.sound,
      })
    }
    // One alert per kind for the batch: a catch-up after hours offline says "40 new messages"
    // once, on the page and on the desktop, instead of raising forty.
    for (const alert of gatherBatch(alerts)) this.events.emit('notification', alert)
  }

  /** Downloads small attachments in the background while online, newest first, until none is left. */
  prefetch(): Promise<void> {
    if (!this.prefetcher.busy) this.prefetchTried = new Set()
    return this.prefetcher.run()
  }

  private async prefetchRound(): Promise<void> {
    const tried = this.prefetchTried
    for (;;) {
      const batch = this.files.prefetchCandidates(20).filter((a) => !tried.has(a.sha256))
      if (!batch.length || this.closed || !this.sync.api) break
      for (const attachment of batch) {
        tried.add(attachment.sha256)
        await this.files.download(this.sync.api, attachment).catch(() => undefined)
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.outbox.stop()
    this.sync.close()
    await this.outbox.idle.catch(() => undefined)
    await this.sync.settled
    this.store.close()
  }
}
