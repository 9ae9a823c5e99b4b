import type { Database } from 'better-sqlite3'
import type {
  ChangeSet,
  CompanySettings,
  Message,
  Person,
  PublicSettings,
  Thread,
} from '../../../shared/protocol'
import type {
  Draft,
  InboxThread,
  InboxView,
  Insights,
  LocalMessage,
  SearchHitLocal,
} from '../../../shared/ipc'
import { nowIso, type Clock } from '../../../shared/clock'
import { applyChanges, type Applied } from './apply'
import { listPeople, listProjects } from './directory'
import * as drafts from './drafts'
import * as inbox from './inbox-queries'
import { computeInsights, type InsightsInput } from './insights'
import * as local from './local-writes'
import * as messages from './messages'
import { getMeta, setMeta, wipeCache } from './meta'
import { searchCache } from './search'
import * as filesTable from './files-table'
import * as outboxTable from './outbox-table'
import { bound, json, type Bound } from './statements'
import { patchThread, updateParticipants, type ThreadPatchLocal } from './threads'

export type { Applied } from './apply'

/**
 * The local cache, for the rest of the engine: each method names what it does and hands the
 * database to the module of its domain (apply, inbox-queries, messages, local-writes, drafts,
 * …), where the SQL is. Everything is synchronous better-sqlite3: the engine owns its database, a
 * transaction never waits on the network, and a batch from the server is applied in one
 * transaction before anyone is told about it.
 */
export class CacheStore {
  /** The outbox table (cache/outbox-table.ts): the outbox's queue reads and changes it here. */
  readonly outbox: Bound<typeof outboxTable>
  /** Staged uploads and downloaded files (cache/files-table.ts). */
  readonly files: Bound<typeof filesTable>

  constructor(
    readonly db: Database,
    /** "Now" for what depends on it here: snoozes, drafts' times. */
    readonly clock: Clock,
  ) {
    this.outbox = bound(db, outboxTable)
    this.files = bound(db, filesTable)
  }

  close(): void {
    this.db.close()
  }

  /** Runs `work` in one transaction of the cache. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  // ---- meta ----

  getMeta(key: string): string | null {
    return getMeta(this.db, key)
  }

  setMeta(key: string, value: string): void {
    setMeta(this.db, key, value)
  }

  get cursor(): number {
    return Number(this.getMeta('cursor') ?? 0)
  }

  get me(): string {
    return this.getMeta('userId') ?? ''
  }

  settings(): CompanySettings | PublicSettings | null {
    const value = this.getMeta('settings')
    return value ? (JSON.parse(value) as CompanySettings) : null
  }

  /** The signed-in person's company (its name heads an exported thread); null until the server said. */
  company(): { id: string; name: string } | null {
    const value = this.getMeta('company')
    return value ? (JSON.parse(value) as { id: string; name: string }) : null
  }

  setCompany(company: { id: string; name: string }): void {
    this.setMeta('company', json({ id: company.id, name: company.name }))
  }

  /** Who is signed in to which server, kept together. */
  setSession(serverUrl: string, user: Person): void {
    this.transaction(() => {
      this.setMeta('serverUrl', serverUrl)
      this.setMeta('userId', user.id)
      this.setMeta('user', json(user))
    })
  }

  /** Drops everything: signing out must leave nothing of the company on this machine. */
  wipe(): void {
    wipeCache(this.db)
  }

  // ---- the server's changes ----

  apply(changes: ChangeSet, cursor?: number): Applied {
    return applyChanges(this.db, changes, cursor)
  }

  // ---- optimistic writes (called by the outbox inside its own transaction) ----

  insertLocalThread(t: Thread): void {
    local.insertLocalThread(this.db, t)
  }

  insertLocalMessage(m: Message, outboxId: number): void {
    local.insertLocalMessage(this.db, m, outboxId)
  }

  removeLocalMessages(outboxId: number): string[] {
    return local.removeLocalMessages(this.db, outboxId)
  }

  removeLocalThread(threadId: string): void {
    local.removeLocalThread(this.db, threadId)
  }

  editLocalMessage(outboxId: number, edit: { body: string; clientId: string }): void {
    local.editLocalMessage(this.db, outboxId, edit)
  }

  refreshLastMessage(threadId: string): void {
    local.refreshLastMessage(this.db, threadId)
  }

  markReadLocally(messageIds: string[], at: string): string[] {
    return local.markReadLocally(this.db, this.me, messageIds, at)
  }

  markUnread(threadIds: string[]): string[] {
    return local.markUnread(this.db, threadIds)
  }

  clearUnreadMarks(threadIds: Iterable<string>): string[] {
    return local.clearUnreadMarks(this.db, this.me, threadIds)
  }

  clearUnreadMarksOfMessages(messageIds: string[]): string[] {
    return local.clearUnreadMarksOfMessages(this.db, this.me, messageIds)
  }

  patchThreadLocally(threadId: string, patch: ThreadPatchLocal): void {
    patchThread(this.db, threadId, patch)
  }

  setParticipantsLocally(threadId: string, update: (ids: string[]) => string[]): void {
    updateParticipants(this.db, threadId, update)
  }

  // ---- drafts ----

  getDraft(key: string): Draft | null {
    return drafts.getDraft(this.db, key)
  }

  saveDraft(draft: Omit<Draft, 'updatedAt'>, now = nowIso(this.clock)): Draft {
    return drafts.saveDraft(this.db, draft, now)
  }

  deleteDraft(key: string): void {
    drafts.deleteDraft(this.db, key)
  }

  // ---- reading ----

  people(): Person[] {
    return listPeople(this.db)
  }

  projects() {
    return listProjects(this.db)
  }

  listThreads(
    view: InboxView,
    projectId: string | undefined,
    offset: number,
    limit: number,
    now = nowIso(this.clock),
  ): { threads: InboxThread[]; total: number } {
    return inbox.listThreads(this.db, { view, projectId, offset, limit, now, me: this.me })
  }

  viewFilter(view: InboxView, now: string) {
    return inbox.viewFilter(view, now, this.me)
  }

  countView(view: InboxView, projectId: string | undefined, now: string): number {
    return inbox.countView(this.db, { view, projectId, now, me: this.me })
  }

  viewCounts(now = nowIso(this.clock)) {
    return inbox.viewCounts(this.db, now, this.me)
  }

  threadIdForClientId(clientId: string): string | null {
    return inbox.threadIdForClientId(this.db, clientId, this.me)
  }

  thread(threadId: string): InboxThread | null {
    return inbox.inboxThread(this.db, threadId)
  }

  unreadTotal(): number {
    return inbox.unreadTotal(this.db)
  }

  messages(threadId: string, before: number | undefined, limit: number) {
    return messages.messagePage(this.db, threadId, before, limit)
  }

  /**
   * Every message of a thread the cache holds, oldest first, with its files: the whole
   * conversation for an export, where the screen reads it a page at a time (messages()).
   */
  threadMessages(threadId: string): LocalMessage[] {
    return messages.threadMessages(this.db, threadId)
  }

  message(id: string): LocalMessage | null {
    return messages.messageById(this.db, id)
  }

  lastCustomerMessageAt(threadId: string): string | null {
    return messages.lastCustomerMessageAt(this.db, threadId)
  }

  customerMessagesSince(threadId: string, after: string): number {
    return messages.customerMessagesSince(this.db, threadId, after)
  }

  search(query: string, limit: number): SearchHitLocal[] {
    return searchCache(this.db, this.me, query, limit)
  }

  insights(input: InsightsInput, now: Date): Promise<Insights> {
    return computeInsights(this.db, input, now)
  }
}
